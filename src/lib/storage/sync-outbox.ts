/**
 * The sync outbox, filled at write time by a DBCore middleware on the review log, as the review
 * tallies are (review-tallies.ts): every review-log row added is queued to push in the same
 * IndexedDB transaction, and every row deleted by key while its card is still in the store (an
 * undo) queues a tombstone; history removed with its card (a deleted deck, Check database's stray
 * rows) is removed from the log here only, never on other devices, and kept aside in
 * `syncPending` (signed in), so that it comes back with the card should the card come back (a
 * restore, the same package imported again). A review therefore exists locally exactly when it
 * is queued — a transaction that aborts takes its queue entry with it — and grading costs one
 * small extra put.
 *
 * Rows the sync itself writes (pulled from the server) are not queued again: their transaction
 * is marked with `markPulled`. Clearing the whole log (a restore on a signed-out device) queues
 * nothing: such a restore never deletes reviews on other devices. Signed in, a restore is sent
 * as the changes it makes (restore-signed-in.ts).
 */
import { Dexie } from 'dexie';
import type {
	DBCore,
	DBCoreMutateRequest,
	DBCoreMutateResponse,
	DBCoreTable,
	DBCoreTransaction,
	Middleware
} from 'dexie';
import type { RevlogEntry } from '../core/model';
import {
	STUDY_SETTINGS_ID,
	SYNCED_TABLES,
	diffEntity,
	type SyncedTable
} from '../core/sync/entities';
import { HybridClock } from '../core/sync/hlc';
import {
	DELETED,
	fieldKey,
	reviewRecordId,
	toReviewRecord,
	type SyncRecord
} from '../core/sync/protocol';
import { randomId } from './ids';

export const OUTBOX_TABLE = 'syncOutbox';
/** The meta row of the sync account (sync-repo.ts). */
export const ACCOUNT_KEY = 'sync:account';
const REVLOG = 'revlog';
/** Pulled reviews of cards not on this device, and reviews removed with their card. */
const PENDING_TABLE = 'syncPending';
const META = 'meta';
/** The meta row holding the collection-wide study settings (entity `setting`, id `study`). */
export const STUDY_SETTINGS_KEY = 'setting:study';
const WATCHED = new Set<string>([REVLOG, META, ...Object.keys(SYNCED_TABLES)]);

/** One queued record; the key makes a record queued twice one entry (the later wins). */
export interface OutboxRow {
	key: string;
	record: SyncRecord;
}

export function outboxKey(r: SyncRecord): string {
	return r.kind === 'review' ? `r:${r.id}` : `f:${fieldKey(r)}`;
}

/** This page's clock for tombstones and edits (a fresh node id per page load keeps stamps unique). */
export const localClock = new HybridClock(randomId(12), () => Date.now());

const pulled = new WeakSet<object>();
/** Transactions that emptied a whole table (a restore): what they write is not queued. */
const restoring = new WeakSet<object>();
/** The stores each read-write transaction was opened on. */
const scopes = new WeakMap<object, string[]>();

/** The sync writes pulled rows in `trans` (an IDBTransaction): they are not queued to push again. */
export function markPulled(trans: object): void {
	pulled.add(trans);
}

/**
 * Whether this device is signed in to a sync server (null: not known yet — then queue). Signed
 * out, review rows are not queued: the first sync after signing in pushes the whole log anyway,
 * and a collection that never syncs does not carry a second copy of its history.
 */
let signedIn: boolean | null = null;

export function setSignedIn(value: boolean | null): void {
	signedIn = value;
}

const listeners = new Set<() => void>();

/** Called after something was queued (the sync loop debounces a push). */
export function onOutboxWrite(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

function notifyLater(trans: DBCoreTransaction): void {
	if (listeners.size === 0) return;
	const idb = trans as unknown as IDBTransaction;
	idb.addEventListener?.('complete', () => {
		for (const l of listeners) l();
	});
}

async function queue(outbox: DBCoreTable, trans: DBCoreTransaction, records: SyncRecord[]) {
	if (records.length === 0) return;
	const res = await outbox.mutate({
		type: 'put',
		trans,
		values: records.map((record): OutboxRow => ({ key: outboxKey(record), record }))
	});
	if (res.numFailures > 0) throw Object.values(res.failures)[0];
	notifyLater(trans);
}

async function mutateQueued(
	log: DBCoreTable,
	outbox: DBCoreTable,
	cards: DBCoreTable,
	pending: DBCoreTable,
	req: DBCoreMutateRequest
): Promise<DBCoreMutateResponse> {
	const { trans } = req;
	if (pulled.has(trans as object) || signedIn === false) return log.mutate(req);
	let removed: RevlogEntry[] = [];
	let orphaned: RevlogEntry[] = [];
	if (req.type === 'delete' && req.keys.length > 0 && scopes.get(trans)?.includes('cards')) {
		const rows = (await log.getMany({ trans, keys: req.keys })).filter(Boolean) as RevlogEntry[];
		const cardIds = [...new Set(rows.map((r) => r.cardId))];
		const found = await cards.getMany({ trans, keys: cardIds });
		const present = new Set(cardIds.filter((_, i) => found[i] !== undefined));
		removed = rows.filter((r) => present.has(r.cardId));
		orphaned = rows.filter((r) => !present.has(r.cardId));
	}
	const res = await log.mutate(req);
	try {
		if (orphaned.length > 0) {
			// Kept aside, never dropped: should the card come back (a restore, the same package
			// imported again, on any device), so does its history (sync-repo's adoptPending).
			const kept = await pending.mutate({
				type: 'put',
				trans,
				values: orphaned.map((r) => toReviewRecord(r))
			});
			if (kept.numFailures > 0) throw Object.values(kept.failures)[0];
		}
		const records: SyncRecord[] = [];
		if (req.type === 'add' || req.type === 'put') {
			req.values.forEach((v, i) => {
				if (res.failures[i] === undefined) records.push(toReviewRecord(v as RevlogEntry));
			});
		} else if (req.type === 'delete') {
			for (const row of removed) {
				records.push({
					kind: 'field',
					entity: 'review',
					id: reviewRecordId(row),
					field: DELETED,
					value: true,
					hlc: localClock.tick()
				});
			}
		}
		await queue(outbox, trans, records);
	} catch (e) {
		try {
			(trans as unknown as IDBTransaction).abort();
		} catch {
			// Already finished or aborting.
		}
		throw e;
	}
	return res;
}

type Row = Record<string, unknown>;

/**
 * A write to a collection table (notes, decks, cards, models, presets) or to the study settings:
 * the fields it changed are queued, each stamped by this page's clock, in the write's own
 * transaction. The rows before the write are read first (one `getMany`), so only what changed
 * travels.
 */
async function mutateEntities(
	name: SyncedTable | typeof META,
	table: DBCoreTable,
	outbox: DBCoreTable,
	req: DBCoreMutateRequest
): Promise<DBCoreMutateResponse> {
	const { trans } = req;
	if (
		pulled.has(trans) ||
		restoring.has(trans) ||
		signedIn === false ||
		(trans as unknown as IDBTransaction).mode === 'versionchange'
	) {
		return table.mutate(req);
	}
	if (req.type === 'deleteRange') {
		// Emptying a table is a restore (export-repo), never a deletion on other devices.
		if (req.range.type === 3 /* DBCoreRangeType.Any */) {
			restoring.add(trans);
			return table.mutate(req);
		}
		const keys = await table.query({
			trans,
			values: false,
			query: { index: table.schema.primaryKey, range: req.range }
		});
		return mutateEntities(name, table, outbox, {
			type: 'delete',
			trans,
			keys: keys.result
		} as DBCoreMutateRequest);
	}
	const extract = table.schema.primaryKey.extractKey;
	const keys: unknown[] =
		req.type === 'delete'
			? req.keys
			: (req.keys ?? req.values.map((v) => (extract ? extract(v) : undefined)));
	const watched =
		name === META ? keys.map((k) => k === STUDY_SETTINGS_KEY) : keys.map((k) => k !== undefined);
	const wanted = keys.filter((_, i) => watched[i]);
	const before = wanted.length ? await table.getMany({ trans, keys: wanted }) : [];
	const res = await table.mutate(req);
	try {
		const records: SyncRecord[] = [];
		let j = 0;
		keys.forEach((key, i) => {
			if (!watched[i]) return;
			const old = before[j++] as Row | undefined;
			if (res.failures[i] !== undefined) return;
			const next = req.type === 'delete' ? undefined : (req.values[i] as Row);
			if (name === META) {
				records.push(
					...diffEntity(
						'setting',
						STUDY_SETTINGS_ID,
						old?.value as Row | undefined,
						next?.value as Row | undefined,
						() => localClock.tick()
					).filter((r) => r.field !== DELETED)
				);
			} else {
				records.push(
					...diffEntity(SYNCED_TABLES[name], String(key), old as never, next as never, () =>
						localClock.tick()
					)
				);
			}
		});
		await queue(outbox, trans, records);
	} catch (e) {
		try {
			(trans as unknown as IDBTransaction).abort();
		} catch {
			// Already finished or aborting.
		}
		throw e;
	}
	return res;
}

/** Level 1.4: under the review tallies' middleware, over Dexie's virtual indexes. */
export const syncOutboxMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'SyncOutbox',
	level: 1.4,
	create(down) {
		if (!down.schema.tables.some((t) => t.name === OUTBOX_TABLE)) return down;
		return {
			...down,
			transaction(stores, mode, options) {
				if (mode !== 'readwrite' || !stores.some((s) => WATCHED.has(s))) {
					return down.transaction(stores, mode, options);
				}
				const extra: string[] = [];
				if (!stores.includes(OUTBOX_TABLE)) extra.push(OUTBOX_TABLE);
				// Reviews removed with their card are kept aside in the pending table.
				if (stores.includes(REVLOG) && !stores.includes(PENDING_TABLE)) extra.push(PENDING_TABLE);
				const trans = down.transaction([...stores, ...extra], mode, options);
				scopes.set(trans, stores);
				return trans;
			},
			table(name) {
				const table = down.table(name);
				if (!WATCHED.has(name)) return table;
				const outbox = down.table(OUTBOX_TABLE);
				if (name !== REVLOG) {
					return {
						...table,
						mutate: (req: DBCoreMutateRequest) =>
							Dexie.Promise.resolve(
								mutateEntities(name as SyncedTable | typeof META, table, outbox, req)
							)
					};
				}
				const cards = down.table('cards');
				const pending = down.table(PENDING_TABLE);
				return {
					...table,
					// A Dexie promise, so that a caller awaiting it stays in the transaction's zone.
					mutate: (req: DBCoreMutateRequest) =>
						Dexie.Promise.resolve(mutateQueued(table, outbox, cards, pending, req))
				};
			}
		};
	}
};
