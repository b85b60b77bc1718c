/**
 * Merge rules, the same on every device and on the server:
 *
 * - Reviews are a grow-only set keyed by their stable id: a review is in the merged log once,
 *   however many times and in whatever order it arrives.
 * - Fields are last-writer-wins registers, one per (entity, id, field), ordered by their hybrid
 *   logical clock stamp: edits to different fields of a note both survive; the same field
 *   edited twice keeps the later edit.
 * - A deletion is the `_deleted` field set to true (a tombstone), merged like any other field,
 *   so a deletion and a later restore (or edit) on another device order by their clocks.
 *   An undone review is a tombstone on the review (`entity: 'review'`).
 * - A card's state is the replay of its merged log (`orderedLog`), in time order with the review
 *   id breaking ties, so every device replays the same sequence.
 *
 * Each rule is commutative, associative and idempotent: any order, duplication or interleaving of
 * the same batches gives the same state (merge.test.ts checks it as a property).
 */
import type { RevlogEntry } from '../model';
import { compareHlc } from './hlc';
import {
	DELETED,
	fieldKey,
	fromReviewRecord,
	type Entity,
	type FieldRecord,
	type Json,
	type ReviewRecord,
	type SyncRecord
} from './protocol';

/** Canonical JSON (object keys sorted): equal values give equal text. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.keys(value as object)
		.sort()
		.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
		.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
	return `{${entries.join(',')}}`;
}

/** Whether field record `incoming` replaces `stored` (a later stamp; equal stamps: a total order on the value). */
export function fieldWins(incoming: FieldRecord, stored: FieldRecord | undefined): boolean {
	if (!stored) return true;
	const c = compareHlc(incoming.hlc, stored.hlc);
	if (c !== 0) return c > 0;
	return canonicalJson(incoming.value) > canonicalJson(stored.value);
}

/** Whether review `incoming` replaces `stored` under the same id (only damaged data differs). */
export function reviewWins(incoming: ReviewRecord, stored: ReviewRecord | undefined): boolean {
	if (!stored) return true;
	return canonicalJson(incoming) < canonicalJson(stored);
}

/**
 * One batch reduced to what it means: one record per review id and per field (the winner), in a
 * stable order. The server upserts this, so a batch never touches a row twice.
 */
export function compactBatch(records: readonly SyncRecord[]): SyncRecord[] {
	const reviews = new Map<string, ReviewRecord>();
	const fields = new Map<string, FieldRecord>();
	for (const r of records) {
		if (r.kind === 'review') {
			if (reviewWins(r, reviews.get(r.id))) reviews.set(r.id, r);
		} else {
			const key = fieldKey(r);
			if (fieldWins(r, fields.get(key))) fields.set(key, r);
		}
	}
	return [...reviews.values(), ...fields.values()];
}

/** Review-log rows in replay order: by time, ties by review id. */
export function orderedLog(reviews: readonly ReviewRecord[]): RevlogEntry[] {
	return [...reviews]
		.sort((a, b) => a.reviewedAt - b.reviewedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
		.map(fromReviewRecord);
}

export interface EntityView {
	fields: Record<string, Json>;
	deleted: boolean;
}

/** The merged state of a collection's synced records (what a device or the server holds). */
export class SyncReplica {
	readonly reviews = new Map<string, ReviewRecord>();
	readonly fields = new Map<string, FieldRecord>();

	/** Merges `records` in; returns those that changed the state. */
	apply(records: readonly SyncRecord[]): SyncRecord[] {
		const changed: SyncRecord[] = [];
		for (const r of records) {
			if (r.kind === 'review') {
				if (reviewWins(r, this.reviews.get(r.id))) {
					this.reviews.set(r.id, r);
					changed.push(r);
				}
			} else {
				const key = fieldKey(r);
				if (fieldWins(r, this.fields.get(key))) {
					this.fields.set(key, r);
					changed.push(r);
				}
			}
		}
		return changed;
	}

	isDeleted(entity: Entity, id: string): boolean {
		return this.fields.get(fieldKey({ entity, id, field: DELETED }))?.value === true;
	}

	/** The card's merged log, undone reviews left out, in replay order. */
	cardLog(cardId: string): RevlogEntry[] {
		const rows = [...this.reviews.values()].filter(
			(r) => r.cardId === cardId && !this.isDeleted('review', r.id)
		);
		return orderedLog(rows);
	}

	/** An entity's merged fields (`undefined` when no field of it is known). */
	entity(entity: Entity, id: string): EntityView | undefined {
		const prefix = `${entity}\u0000${id}\u0000`;
		const fields: Record<string, Json> = {};
		let found = false;
		for (const [key, r] of this.fields) {
			if (!key.startsWith(prefix)) continue;
			found = true;
			if (r.field !== DELETED) fields[r.field] = r.value;
		}
		return found ? { fields, deleted: this.isDeleted(entity, id) } : undefined;
	}

	/** Everything, in a canonical text: two replicas hold the same state exactly when equal. */
	fingerprint(): string {
		const reviews = [...this.reviews.keys()].sort().map((k) => canonicalJson(this.reviews.get(k)));
		const fields = [...this.fields.keys()].sort().map((k) => canonicalJson(this.fields.get(k)));
		return `${reviews.join('\n')}\n--\n${fields.join('\n')}`;
	}

	/** Every record, e.g. to push them all again to a server restored from a backup. */
	records(): SyncRecord[] {
		return [...this.reviews.values(), ...this.fields.values()];
	}
}
