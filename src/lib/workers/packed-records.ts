/**
 * Review records cross to the worker as columns of typed arrays, transferred rather than cloned:
 * cloning 100,000 small objects would hold up the page for a noticeable moment, a few buffers
 * move at once. Card ids are sent once each.
 */
import type { CardState } from '../core/model';
import type { ReviewRecord } from '../core/optimizer/items';

export interface PackedRecords {
	cardIds: string[];
	/** Index into cardIds, per record. */
	card: Uint32Array;
	reviewedAt: Float64Array;
	rating: Uint8Array;
	/** State before the review; NO_STATE when unknown. */
	state: Uint8Array;
}

const NO_STATE = 255;

export function packRecords(records: readonly ReviewRecord[]): PackedRecords {
	const index = new Map<string, number>();
	const packed: PackedRecords = {
		cardIds: [],
		card: new Uint32Array(records.length),
		reviewedAt: new Float64Array(records.length),
		rating: new Uint8Array(records.length),
		state: new Uint8Array(records.length)
	};
	records.forEach((r, i) => {
		let card = index.get(r.cardId);
		if (card === undefined) index.set(r.cardId, (card = packed.cardIds.push(r.cardId) - 1));
		packed.card[i] = card;
		packed.reviewedAt[i] = r.reviewedAt;
		packed.rating[i] = r.rating;
		packed.state[i] = r.state ?? NO_STATE;
	});
	return packed;
}

export function unpackRecords(packed: PackedRecords): ReviewRecord[] {
	return Array.from(packed.card, (card, i) => {
		const record: ReviewRecord = {
			cardId: packed.cardIds[card] ?? '',
			reviewedAt: packed.reviewedAt[i] ?? 0,
			rating: packed.rating[i] ?? 0
		};
		const state = packed.state[i];
		if (state !== undefined && state !== NO_STATE) record.state = state as CardState;
		return record;
	});
}

export function buffersOf(packed: PackedRecords): ArrayBuffer[] {
	return [packed.card, packed.reviewedAt, packed.rating, packed.state].map(
		(a) => a.buffer as ArrayBuffer
	);
}
