/**
 * The card tallies (core/stats/card-tallies.ts) kept up to date at write time, as the review
 * tallies are (review-tallies.ts): a DBCore middleware on the cards table adjusts them in the
 * same IndexedDB transaction as every add, put, delete, range delete and clear of cards. Grading,
 * undo, imports, suspending, burying, rescheduling, deleting, restoring: all are counted without
 * remembering to, and a transaction that aborts takes its tally changes with it.
 *
 * - Any read-write transaction over `cards` is widened to the tally table.
 * - Deletes and overwrites read the old rows first, to take away what they had added.
 * - Changes within one transaction are applied one after the other; if adjusting the tallies
 *   fails, the whole transaction is aborted, so the cards and their tallies never disagree.
 * - A transaction without the tally table (an upgrade from before version 6, which builds them
 *   afterwards from every card) passes through.
 *
 * Should they disagree all the same, the statistics page notices it from a count of the cards and
 * recounts (`rebuildCardTallies`).
 */
import type {
	DBCore,
	DBCoreMutateRequest,
	DBCoreMutateResponse,
	DBCoreTable,
	DBCoreTransaction,
	Middleware
} from 'dexie';
import type { Card } from '../core/model';
import {
	CardTallyBuilders,
	type CardTallyKind,
	type StoredCardTally
} from '../core/stats/card-tallies';
import type { RecallDb } from './db';

export const CARD_TALLY_TABLE = 'cardTallies';
const CARDS = 'cards';
const PAGE = 10_000;
/** Dexie's DBCoreRangeType.Any: the whole table (`clear()`). */
const RANGE_ANY = 3;

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

/** Takes `removed` away from and adds `added` to the stored tally rows. */
async function adjust(
	tallies: DBCoreTable,
	trans: DBCoreTransaction,
	removed: readonly (Card | undefined)[],
	added: readonly Card[]
): Promise<void> {
	const changes = new CardTallyBuilders();
	const gone = removed.filter((c): c is Card => c !== undefined && c !== null);
	if (gone.length === 0 && added.length === 0) return;
	// First the keys the changes touch (into a scratch set of builders), then the stored rows.
	// Additions first: a request that writes one key twice removes what its first write added,
	// and a memory entry can only be taken away once it is there.
	for (const card of added) changes.apply(card, 1);
	for (const card of gone) changes.apply(card, -1);
	const wanted: [string, CardTallyKind, number][] = [...changes.values()].map((b) => [
		b.deckId,
		b.kind,
		b.day
	]);
	const stored = (await tallies.getMany({ trans, keys: wanted })) as (
		StoredCardTally | undefined
	)[];
	const builders = new CardTallyBuilders();
	wanted.forEach(([deckId, kind, day], i) => builders.row(deckId, kind, day, stored[i]));
	for (const card of added) builders.apply(card, 1);
	for (const card of gone) builders.apply(card, -1);
	const puts: StoredCardTally[] = [];
	const deletes: [string, CardTallyKind, number][] = [];
	for (const b of builders.values()) {
		if (!b.empty) puts.push(b.toRow());
		else deletes.push([b.deckId, b.kind, b.day]);
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

/** The cards write `req`, with the tallies adjusted to it in the same transaction. */
async function mutateCounted(
	cards: DBCoreTable,
	tallies: DBCoreTable,
	req: DBCoreMutateRequest
): Promise<DBCoreMutateResponse> {
	const { trans } = req;
	let removed: (Card | undefined)[] = [];
	if (req.type === 'put' || req.type === 'delete') {
		const extract = cards.schema.primaryKey.extractKey!;
		const keys: unknown[] =
			req.type === 'delete' ? req.keys : (req.keys ?? req.values.map((v: unknown) => extract(v)));
		const known = [...new Set(keys.filter((k) => k !== undefined && k !== null))];
		const old = known.length ? await cards.getMany({ trans, keys: known }) : [];
		// What each write replaces: the stored row, or what an earlier write of the same key left.
		const current = new Map(known.map((k, j) => [k, old[j] as Card | undefined]));
		removed = keys.map((k, i): Card | undefined => {
			if (k === undefined || k === null) return undefined;
			const before = current.get(k);
			current.set(k, req.type === 'put' ? (req.values[i] as Card) : undefined);
			return before;
		});
	} else if (req.type === 'deleteRange' && req.range.type !== RANGE_ANY) {
		const found = await cards.query({
			trans,
			values: true,
			query: { index: cards.schema.primaryKey, range: req.range }
		});
		removed = found.result as Card[];
	}
	const res = await cards.mutate(req);
	const keep = (i: number) => res.failures[i] === undefined;
	try {
		if (req.type === 'deleteRange' && res.numFailures > 0) throw Object.values(res.failures)[0];
		if (req.type === 'deleteRange' && req.range.type === RANGE_ANY) {
			const cleared = await tallies.mutate({ type: 'deleteRange', trans, range: req.range });
			if (cleared.numFailures > 0) throw Object.values(cleared.failures)[0];
		} else {
			const added =
				req.type === 'add' || req.type === 'put' ? req.values.filter((_, i) => keep(i)) : [];
			const gone = req.type === 'deleteRange' ? removed : removed.filter((_, i) => keep(i));
			await adjust(tallies, trans, gone, added as Card[]);
		}
	} catch (e) {
		// The cards are written but their tallies are not: the transaction must not commit.
		try {
			(trans as unknown as IDBTransaction).abort();
		} catch {
			// Already finished or aborting.
		}
		throw e;
	}
	return res;
}

/** Whether `trans` (an IDBTransaction) can reach the tally table: not in an older upgrade step. */
function reachesTallies(trans: DBCoreTransaction): boolean {
	const names = (trans as unknown as Partial<IDBTransaction>).objectStoreNames;
	return names === undefined || names.contains(CARD_TALLY_TABLE);
}

/** The middleware (see the top of the file), at the review tallies' level. */
export const cardTallyMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'CardTallies',
	level: 1.5,
	create(down) {
		const counted = down.schema.tables.some((t) => t.name === CARD_TALLY_TABLE);
		if (!counted) return down;
		return {
			...down,
			transaction(stores, mode, options) {
				const widen =
					mode === 'readwrite' && stores.includes(CARDS) && !stores.includes(CARD_TALLY_TABLE);
				return down.transaction(widen ? [...stores, CARD_TALLY_TABLE] : stores, mode, options);
			},
			table(name) {
				const table = down.table(name);
				if (name !== CARDS) return table;
				const tallies = down.table(CARD_TALLY_TABLE);
				return {
					...table,
					mutate: (req: DBCoreMutateRequest) =>
						reachesTallies(req.trans)
							? inTurn(req.trans, () => mutateCounted(table, tallies, req))
							: table.mutate(req)
				};
			}
		};
	}
};

/** Tally rows of every card, read a page of ids at a time (the v6 upgrade, recounts). */
export async function buildAllCardTallies(cards: RecallDb['cards']): Promise<StoredCardTally[]> {
	const builders = new CardTallyBuilders();
	let page = await cards.orderBy(':id').limit(PAGE).toArray();
	while (page.length > 0) {
		for (const card of page) builders.apply(card, 1);
		if (page.length < PAGE) break;
		page = await cards.where(':id').above(page.at(-1)!.id).limit(PAGE).toArray();
	}
	return [...builders.values()].filter((b) => !b.empty).map((b) => b.toRow());
}

/** The stored tally rows of one deck, or of every deck. */
export function cardTallyRowsOf(db: RecallDb, deckId: string | null) {
	return deckId === null
		? db.cardTallies.toCollection()
		: db.cardTallies
				.where('[deckId+kind+day]')
				.between([deckId, -Infinity, -Infinity], [deckId, Infinity, Infinity], true, true);
}

/** Counts every card afresh and replaces the tallies with the count, in one transaction. */
export async function rebuildCardTallies(db: RecallDb): Promise<void> {
	await db.transaction('rw', [db.cards, db.cardTallies], async () => {
		const fresh = await buildAllCardTallies(db.cards);
		await db.cardTallies.clear();
		await db.cardTallies.bulkPut(fresh);
	});
}
