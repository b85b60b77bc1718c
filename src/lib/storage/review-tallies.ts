/**
 * The review tallies (core/stats/buckets.ts) kept up to date at write time: a DBCore middleware
 * on the review log adjusts them in the same IndexedDB transaction as every add, put, delete,
 * range delete and clear of review-log rows. Every path that writes reviews — grading, undo,
 * imports, deleting decks or cards, restoring a backup or snapshot, Check database — is then
 * counted without remembering to, and a transaction that aborts takes its tally changes with it.
 *
 * - Any read-write transaction over `revlog` is widened to the tally table.
 * - Deletes and overwrites read the old rows first, to take away what they had added.
 * - Changes within one transaction are applied one after the other (a read-modify-write of a
 *   tally row must not interleave with another's); if adjusting the tallies fails, the whole
 *   transaction is aborted, so the log and its tallies never disagree.
 *
 * Should they disagree all the same (a bug, a hand-edited database), the statistics page notices
 * it from a count and rebuilds the days it shows (`rebuildTallies`), and Check database compares
 * every row with a count from scratch.
 */
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
	ALL_DECKS,
	TallyBuilders,
	contributionOf,
	tallyDecks,
	tallyRows,
	type StoredTally
} from '../core/stats/buckets';
import { DAY_MS } from '../core/scheduling/day';
import type { RecallDb } from './db';

export const TALLY_TABLE = 'reviewTallies';
const REVLOG = 'revlog';
const PAGE = 10_000;
/** UTC days recounted per transaction (some 20,000 reviews at a million a year): grading waits little. */
const REBUILD_DAYS = 7;
/** Dexie's DBCoreRangeType.Any: the whole table (`clear()`). */
const RANGE_ANY = 3;

/** Work on one transaction's tallies, one change at a time. */
const queues = new WeakMap<DBCoreTransaction, Promise<unknown>>();

function inTurn<T>(trans: DBCoreTransaction, work: () => Promise<T>): Promise<T> {
	const before = queues.get(trans);
	const run = before ? before.then(work, work) : work();
	queues.set(
		trans,
		run.catch(() => {})
	);
	return run;
}

/** Adds `added` and takes away `removed` from the stored tally rows. */
async function adjust(
	tallies: DBCoreTable,
	trans: DBCoreTransaction,
	removed: readonly (RevlogEntry | undefined)[],
	added: readonly RevlogEntry[]
): Promise<void> {
	const changes: [NonNullable<ReturnType<typeof contributionOf>>, 1 | -1][] = [];
	for (const row of removed) {
		const c = row && contributionOf(row);
		if (c) changes.push([c, -1]);
	}
	for (const row of added) {
		const c = contributionOf(row);
		if (c) changes.push([c, 1]);
	}
	if (changes.length === 0) return;
	const keys = new Map<string, [string, number]>();
	for (const [c] of changes) {
		for (const deckId of tallyDecks(c)) keys.set(`${c.day}|${deckId}`, [deckId, c.day]);
	}
	const wanted = [...keys.values()];
	const stored = (await tallies.getMany({ trans, keys: wanted })) as (StoredTally | undefined)[];
	const builders = new TallyBuilders();
	wanted.forEach(([deckId, day], i) => builders.row(deckId, day, stored[i]));
	for (const [c, sign] of changes) {
		for (const deckId of tallyDecks(c)) builders.row(deckId, c.day).add(c, sign);
	}
	const puts: StoredTally[] = [];
	const deletes: [string, number][] = [];
	for (const b of builders.values()) {
		if (!b.empty) puts.push(b.toRow());
		else deletes.push([b.deckId, b.day]);
	}
	for (const req of [
		{ type: 'put' as const, trans, values: puts },
		{ type: 'delete' as const, trans, keys: deletes }
	]) {
		if ((req.type === 'put' ? req.values : req.keys).length === 0) continue;
		const res = await tallies.mutate(req);
		if (res.numFailures > 0) throw Object.values(res.failures)[0];
	}
}

/** The review-log write `req`, with the tallies adjusted to it in the same transaction. */
async function mutateCounted(
	log: DBCoreTable,
	tallies: DBCoreTable,
	req: DBCoreMutateRequest
): Promise<DBCoreMutateResponse> {
	const { trans } = req;
	let removed: (RevlogEntry | undefined)[] = [];
	if (req.type === 'put' || req.type === 'delete') {
		const extract = log.schema.primaryKey.extractKey!;
		const keys: unknown[] =
			req.type === 'delete' ? req.keys : (req.keys ?? req.values.map((v: unknown) => extract(v)));
		const known = [...new Set(keys.filter((k) => k !== undefined && k !== null))];
		const old = known.length ? await log.getMany({ trans, keys: known }) : [];
		// What each write replaces: the stored row, or what an earlier write of the same key left.
		const current = new Map(known.map((k, j) => [k, old[j] as RevlogEntry | undefined]));
		removed = keys.map((k, i): RevlogEntry | undefined => {
			if (k === undefined || k === null) return undefined;
			const before = current.get(k);
			current.set(k, req.type === 'put' ? (req.values[i] as RevlogEntry) : undefined);
			return before;
		});
	} else if (req.type === 'deleteRange' && req.range.type !== RANGE_ANY) {
		const found = await log.query({
			trans,
			values: true,
			query: { index: log.schema.primaryKey, range: req.range }
		});
		removed = found.result as RevlogEntry[];
	}
	const res = await log.mutate(req);
	const keep = (i: number) => res.failures[i] === undefined;
	try {
		if (req.type === 'deleteRange') {
			// Which rows went is unknown: let the transaction fail rather than guess.
			if (res.numFailures > 0) throw Object.values(res.failures)[0];
		}
		if (req.type === 'deleteRange' && req.range.type === RANGE_ANY) {
			const cleared = await tallies.mutate({ type: 'deleteRange', trans, range: req.range });
			if (cleared.numFailures > 0) throw Object.values(cleared.failures)[0];
		} else {
			const added =
				req.type === 'add' || req.type === 'put' ? req.values.filter((_, i) => keep(i)) : [];
			const gone = req.type === 'deleteRange' ? removed : removed.filter((_, i) => keep(i));
			await adjust(tallies, trans, gone, added as RevlogEntry[]);
		}
	} catch (e) {
		// The log is written but its tallies are not: the transaction must not commit.
		try {
			(trans as unknown as IDBTransaction).abort();
		} catch {
			// Already finished or aborting.
		}
		throw e;
	}
	return res;
}

/**
 * The middleware (see the top of the file). Level 1.5: below Dexie's hooks (2), above its
 * virtual indexes (1), so the tally table is reached without a Dexie-level transaction object.
 */
export const reviewTallyMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'ReviewTallies',
	level: 1.5,
	create(down) {
		const counted = down.schema.tables.some((t) => t.name === TALLY_TABLE);
		if (!counted) return down;
		return {
			...down,
			transaction(stores, mode, options) {
				const widen =
					mode === 'readwrite' && stores.includes(REVLOG) && !stores.includes(TALLY_TABLE);
				return down.transaction(widen ? [...stores, TALLY_TABLE] : stores, mode, options);
			},
			table(name) {
				const table = down.table(name);
				if (name !== REVLOG) return table;
				const tallies = down.table(TALLY_TABLE);
				return {
					...table,
					mutate: (req: DBCoreMutateRequest) =>
						inTurn(req.trans, () => mutateCounted(table, tallies, req))
				};
			}
		};
	}
};

/** Tally rows of the whole review log, read a page of ids at a time (the v3 upgrade, checks). */
export async function buildAllTallies(revlog: RecallDb['revlog']): Promise<StoredTally[]> {
	const builders = new TallyBuilders();
	let page = await revlog.orderBy(':id').limit(PAGE).toArray();
	while (page.length > 0) {
		for (const row of page) builders.add(row);
		if (page.length < PAGE) break;
		page = await revlog.where(':id').above(page.at(-1)!.id).limit(PAGE).toArray();
	}
	return [...builders.values()].filter((b) => !b.empty).map((b) => b.toRow());
}

/** Stored tally rows of one deck (or of all decks together) for UTC days `first`…`last`. */
export function tallyRowsBetween(db: RecallDb, deckId: string | null, first: number, last: number) {
	const id = deckId ?? ALL_DECKS;
	return db.reviewTallies.where('[deckId+day]').between([id, first], [id, last], true, true);
}

/** Review-log rows of one deck (or all) from instant `from` (inclusive) to `to` (exclusive). */
export function revlogBetween(db: RecallDb, deckId: string | null, from: number, to: number) {
	return deckId === null
		? db.revlog.where('reviewedAt').between(from, to, true, false)
		: db.revlog.where('[deckId+reviewedAt]').between([deckId, from], [deckId, to], true, false);
}

/**
 * Counts UTC days `first`…`last` of one deck (or all, every deck's rows) afresh from the log: a week per
 * transaction, each replacing that week's rows with a count of the log as it stands then.
 * Writes meanwhile are kept by the middleware, so the result is right once the last week is done.
 */
export async function rebuildTallies(
	db: RecallDb,
	deckId: string | null,
	first: number,
	last: number,
	onProgress?: (share: number) => void
): Promise<void> {
	// ALL_DECKS is no deck's id (ids are never empty): asking for it means every deck.
	if (deckId === ALL_DECKS) deckId = null;
	for (let from = first; from <= last; from += REBUILD_DAYS) {
		const to = Math.min(last, from + REBUILD_DAYS - 1);
		await db.transaction('rw', [db.revlog, db.reviewTallies], async () => {
			const rows = await revlogBetween(db, deckId, from * DAY_MS, (to + 1) * DAY_MS).toArray();
			const fresh = tallyRows(rows);
			if (deckId === null) {
				// Every row of those days: each deck's and the all-decks row.
				await db.reviewTallies.where('day').between(from, to, true, true).delete();
				await db.reviewTallies.bulkPut(fresh);
			} else {
				await tallyRowsBetween(db, deckId, from, to).delete();
				await db.reviewTallies.bulkPut(fresh.filter((t) => t.deckId === deckId));
			}
		});
		onProgress?.((to - first + 1) / (last - first + 1));
	}
}
