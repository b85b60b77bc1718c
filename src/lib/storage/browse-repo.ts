/**
 * The browser's reads: cards matching a search, as rows. The search's index plan
 * (core/search/plan.ts) picks what to read — cards by deckId, by [deckId+queue+due] ranges, by
 * the notes' *tags index, or by revlog time — and the predicate filters that; a search no index
 * can narrow reads every card once.
 *
 * Three ways to read, for three sizes of answer:
 * - `searchCards`: everything at once, in one read transaction (a consistent view; the filtered
 *   study screen uses it for its 100 cards);
 * - `windowIds` + `readWindow`: the empty search in an order an index keeps (due, deck): the card
 *   ids in that order from the index alone, then only the rows on screen;
 * - `streamSearch`: pages of 2,000 notes with their cards (or of candidate cards from the plan),
 *   matched as they come, each page's rows handed over at once; cancelled by an AbortSignal. What
 *   it reads of every card and note stays in memory for the session (browse-cache.ts).
 */
import { Dexie } from 'dexie';
import { CardState, Queue, type Card, type Deck, type Grade, type Preset } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import {
	browseRow,
	byCardId,
	compareText,
	compileSearch,
	daysBackStart,
	decidedByText,
	searchTexts,
	needsNote,
	noteForSearch,
	planSearch,
	searchTerms,
	type BrowseRow,
	type CardPredicate,
	type IndexPlan,
	type IndexSource,
	type NoteForSearch,
	type SearchEnv,
	type SearchNode,
	type SearchNote,
	type SortOrder
} from '../core/search';
import { browseCache, nextTask, type BrowseCache } from './browse-cache';
import type { RecallDb } from './db';
import { searchTextPages } from './note-search-packs';

export interface SearchOptions {
	now: number;
	timeZone: string;
}

export interface SearchResult {
	rows: BrowseRow[];
	/** The indexes read, or null when every card was read. */
	indexes: IndexSource['index'][] | null;
}

/** Ids of cards answered (rating 1–4) since `from`, from the revlog's reviewedAt index. */
async function ratedCardIds(db: RecallDb, from: number, rating?: Grade): Promise<Set<string>> {
	const ids = new Set<string>();
	await db.revlog
		.where('reviewedAt')
		.aboveOrEqual(from)
		.each((log) => {
			if (log.rating !== 0 && (rating === undefined || log.rating === rating)) ids.add(log.cardId);
		});
	return ids;
}

const ratedKey = (from: number, rating?: Grade) => `${from}:${rating ?? ''}`;

/** The search environment: decks, presets, and the cards each `rated:` term names. */
export async function searchEnv(
	db: RecallDb,
	node: SearchNode,
	options: SearchOptions
): Promise<{ env: SearchEnv; decks: Deck[]; presetFor: (deckId: string) => Preset }> {
	const [decks, presets] = await Promise.all([db.decks.toArray(), db.presets.toArray()]);
	const presetById = new Map(presets.map((p) => [p.id, p]));
	const deckById = new Map(decks.map((d) => [d.id, d]));
	const fallback = presetById.get(DEFAULT_PRESET.id) ?? DEFAULT_PRESET;
	const presetFor = (deckId: string) =>
		presetById.get(deckById.get(deckId)?.presetId ?? '') ?? fallback;
	const base: SearchEnv = {
		now: options.now,
		timeZone: options.timeZone,
		// Study days for search follow the default preset, as Anki has one day start per collection.
		dayStartHour: fallback.dayStartHour,
		decks: decks.map((d) => ({ id: d.id, title: d.title })),
		presetFor
	};
	const rated = new Map<string, Set<string>>();
	for (const term of searchTerms(node)) {
		if (term.kind !== 'rated') continue;
		const from = daysBackStart(term.days, base);
		const key = ratedKey(from, term.rating);
		if (!rated.has(key)) rated.set(key, await ratedCardIds(db, from, term.rating));
	}
	const env: SearchEnv = {
		...base,
		ratedSince: (from, rating) => rated.get(ratedKey(from, rating)) ?? new Set()
	};
	return { env, decks, presetFor };
}

type RangeSource = Extract<IndexSource, { index: 'deck' | 'queue' }>;
type CardRange = ReturnType<RecallDb['cards']['toCollection']>;

/** The index ranges a deck or queue source reads: one per deck (and queue range). */
function sourceRanges(db: RecallDb, source: RangeSource, env: SearchEnv): CardRange[] {
	if (source.index === 'deck') {
		// One equals per deck reads its index range at once; anyOf would walk a cursor.
		return source.deckIds.map((id) => db.cards.where('deckId').equals(id));
	}
	const deckIds = source.deckIds ?? env.decks.map((d) => d.id);
	return deckIds.flatMap((deckId) =>
		source.ranges.map((r) =>
			db.cards
				.where('[deckId+queue+due]')
				.between([deckId, r.queue, r.from], [deckId, r.queue, r.to], true, false)
		)
	);
}

/** Ids of the notes a tag source names, from the notes' *tags index. */
async function tagNoteIds(
	db: RecallDb,
	source: Extract<IndexSource, { index: 'tag' }>
): Promise<Set<string>> {
	const noteIds = new Set<string>();
	const add = (key: string) => noteIds.add(key);
	for (const tag of source.equals) {
		await db.notes.where('tags').equalsIgnoreCase(tag).eachPrimaryKey(add);
	}
	for (const prefix of source.prefixes) {
		await db.notes.where('tags').startsWithIgnoreCase(prefix).eachPrimaryKey(add);
	}
	return noteIds;
}

async function readSource(db: RecallDb, source: IndexSource, env: SearchEnv): Promise<Card[]> {
	switch (source.index) {
		case 'deck':
		case 'queue':
			return (await Promise.all(sourceRanges(db, source, env).map((r) => r.toArray()))).flat();
		case 'tag':
			return cardsOfNotes(db, await tagNoteIds(db, source));
		case 'rated': {
			const ids = env.ratedSince?.(source.from, source.rating) ?? new Set<string>();
			const cards = await db.cards.bulkGet([...ids]);
			return cards.filter((c) => c !== undefined);
		}
	}
}

/**
 * Cards of many notes. `anyOf` walks one cursor with a jump per key (slow: ~1 ms a key), so a
 * few notes are read with parallel look-ups and many with one read of the whole table.
 */
async function cardsOfNotes(db: RecallDb, noteIds: Set<string>): Promise<Card[]> {
	if (noteIds.size * 8 > (await db.notes.count())) {
		return db.cards.filter((c) => noteIds.has(c.noteId)).toArray();
	}
	const lists = await Promise.all(
		[...noteIds].map((id) => db.cards.where('noteId').equals(id).toArray())
	);
	return lists.flat();
}

async function readCandidates(db: RecallDb, plan: IndexPlan, env: SearchEnv): Promise<Card[]> {
	const lists = await Promise.all(plan.sources.map((s) => readSource(db, s, env)));
	if (lists.length === 1) return lists[0] ?? [];
	const byId = new Map<string, Card>();
	for (const list of lists) for (const card of list) byId.set(card.id, card);
	return [...byId.values()];
}

async function allNotes(db: RecallDb): Promise<Map<string, SearchNote>> {
	const all = await db.notes.toArray();
	return new Map(all.map((n) => [n.id, n]));
}

/** The notes of `cards`: looked up one by one for a few cards, read whole for many. */
async function notesOf(db: RecallDb, cards: Card[]): Promise<Map<string, SearchNote>> {
	if (cards.length * 4 > (await db.notes.count())) return allNotes(db);
	const ids = [...new Set(cards.map((c) => c.noteId))];
	const notes = await db.notes.bulkGet(ids);
	return new Map(notes.filter((n) => n !== undefined).map((n) => [n.id, n]));
}

/**
 * Cards matching `node`, as unsorted browser rows, read in one transaction. The app searches with
 * `streamSearch`; this plain full read is the reference the streamed and windowed reads are
 * tested against (and the benchmark's "before").
 */
export async function searchCards(
	db: RecallDb,
	node: SearchNode,
	options: SearchOptions
): Promise<SearchResult> {
	return db.transaction('r', [db.decks, db.presets, db.cards, db.notes, db.revlog], async () => {
		const { env, decks, presetFor } = await searchEnv(db, node, options);
		const plan = planSearch(node, env);
		const matches = compileSearch(node, env);
		const read = plan ? readCandidates(db, plan, env) : db.cards.toArray();
		let found: Card[];
		let notes: Map<string, SearchNote>;
		if (!needsNote(node)) {
			// Cards decide alone: only the matches' notes are read (for their columns).
			found = (await read).filter((card) => matches({ card }));
			notes = await notesOf(db, found);
		} else if (plan) {
			const cards = await read;
			notes = await notesOf(db, cards);
			found = cards.filter((card) => matches({ card, note: notes.get(card.noteId) }));
		} else {
			// Every card and every note: both read at once.
			const [cards, all] = await Promise.all([read, allNotes(db)]);
			notes = all;
			found = cards.filter((card) => matches({ card, note: notes.get(card.noteId) }));
		}
		const titles = new Map(decks.map((d) => [d.id, d.title]));
		const rows = found.map((card) =>
			browseRow(
				card,
				notes.get(card.noteId),
				titles.get(card.deckId) ?? '',
				presetFor(card.deckId),
				options.now
			)
		);
		return { rows, indexes: plan ? plan.sources.map((s) => s.index) : null };
	});
}

/** What a row needs besides its card and note: deck titles, presets, the time. */
export interface RowContext {
	now: number;
	titles: ReadonlyMap<string, string>;
	presetFor: (deckId: string) => Preset;
}

function rowOf(card: Card, note: NoteForSearch | undefined, ctx: RowContext): BrowseRow {
	return browseRow(
		card,
		note,
		ctx.titles.get(card.deckId) ?? '',
		ctx.presetFor(card.deckId),
		ctx.now
	);
}

/** Decks, presets and the time, for rows. */
/** How many cards the collection holds (every deck, suspended ones too). */
export function countCards(db: RecallDb): Promise<number> {
	return db.cards.count();
}

export async function rowContext(db: RecallDb, now: number): Promise<RowContext> {
	const { decks, presetFor } = await searchEnv(db, { kind: 'all' }, { now, timeZone: 'UTC' });
	return { now, titles: new Map(decks.map((d) => [d.id, d.title])), presetFor };
}

// ---------------------------------------------------------------------------------------------
// Windows: the empty search in index order.

/**
 * Studied cards keep a time in `due` (ms since 1970), new cards a position (note position × 100
 * + ordinal): below this bound is a position, above it a time (1973). `windowIds` checks that
 * every card is on its side before it trusts the `due` index for the order.
 */
export const NEW_DUE_LIMIT = 1e11;

export interface WindowIds {
	/** Card ids in the order of the sort: the first ones at once, more with `more()`. */
	ids: string[];
	/** How many there are in all. */
	total: number;
	/**
	 * The index keeps ties (cards due at the same moment) by id ascending; a descending order
	 * read backwards has them by id descending: readWindow puts them back (see `sortRows`).
	 */
	reverseTies: boolean;
	/** Appends the next ids (about 10,000); false once all are there. */
	more: () => Promise<boolean>;
}

/** Ids read at once when opening, and after that per call of `more()`. */
const FIRST_IDS = 500;
const MORE_IDS = 10_000;

/** Whether each card sits on the side of NEW_DUE_LIMIT its state says, deck by deck. */
async function dueSidesHold(db: RecallDb, total: number): Promise<boolean> {
	const deckIds = (await db.decks.toCollection().primaryKeys()) as string[];
	const index = db.cards.where('[deckId+queue+due]');
	const range = (deckId: string, queue: Queue, from: number, to: number) =>
		index.between([deckId, queue, from], [deckId, queue, to], true, false);
	const perDeck = await Promise.all(
		deckIds.map(async (deckId) => {
			const [inDeck, newAbove, ...studiedBelow] = await Promise.all([
				index.between([deckId, Dexie.minKey], [deckId, Dexie.maxKey]).count(),
				range(deckId, Queue.New, NEW_DUE_LIMIT, Infinity).count(),
				...[Queue.Learning, Queue.Review, Queue.Relearning].map((q) =>
					range(deckId, q, -Infinity, NEW_DUE_LIMIT).count()
				)
			]);
			// Suspended and buried cards keep their state apart from the queue: read them.
			const held = await index
				.between([deckId, Queue.Buried, -Infinity], [deckId, Queue.Suspended, Infinity])
				.toArray();
			const heldOk = held.every((c) => (c.state === CardState.New) === c.due < NEW_DUE_LIMIT);
			return { inDeck, ok: newAbove === 0 && studiedBelow.every((n) => n === 0) && heldOk };
		})
	);
	// Cards of a deck that no longer exists would escape the check.
	return perDeck.every((d) => d.ok) && perDeck.reduce((sum, d) => sum + d.inDeck, 0) === total;
}

/**
 * Reads the `due` index in chunks of ids, one segment after the other (studied, then new; or
 * backwards). A chunk ends at some card; the next one starts with that card's ties (cards due at
 * the same moment after it in the index) and goes on above its due.
 */
function dueReader(db: RecallDb, descending: boolean) {
	const segments = descending
		? [
				{ from: -Infinity, to: NEW_DUE_LIMIT },
				{ from: NEW_DUE_LIMIT, to: Infinity }
			]
		: [
				{ from: NEW_DUE_LIMIT, to: Infinity },
				{ from: -Infinity, to: NEW_DUE_LIMIT }
			];
	let segment = 0;
	let bound: { due: number; id: string } | null = null;
	return async (size: number): Promise<string[] | null> => {
		while (segment < segments.length) {
			const { from, to } = segments[segment]!;
			const after = bound;
			const { ids, read, last } = await db.transaction('r', db.cards, async () => {
				const index = db.cards.where('due');
				let ties: string[] = [];
				if (after) {
					const equal = (await index.equals(after.due).primaryKeys()) as string[];
					ties = descending
						? equal.filter((id) => id < after.id).reverse()
						: equal.filter((id) => id > after.id);
				}
				const range = descending
					? index.between(from, after ? after.due : to, true, false).reverse()
					: index.between(after ? after.due : from, to, !after, false);
				const read = (await range.limit(size).primaryKeys()) as string[];
				const lastId = read.at(-1);
				const last = lastId === undefined ? undefined : await db.cards.get(lastId);
				return { ids: [...ties, ...read], read: read.length, last };
			});
			if (read < size || !last) {
				segment++;
				bound = null;
			} else {
				bound = { due: last.due, id: last.id };
			}
			if (ids.length > 0) return ids;
		}
		return null;
	};
}

async function dueOrder(db: RecallDb, descending: boolean): Promise<WindowIds | null> {
	const checked = await db.transaction('r', db.cards, db.decks, async () => {
		const total = await db.cards.count();
		const [studied, fresh, sidesHold] = await Promise.all([
			db.cards.where('due').aboveOrEqual(NEW_DUE_LIMIT).count(),
			db.cards.where('due').below(NEW_DUE_LIMIT).count(),
			dueSidesHold(db, total)
		]);
		// A card without a usable due is in no index range: then the index cannot order them all.
		return sidesHold && studied + fresh === total ? total : null;
	});
	if (checked === null) return null;
	const read = dueReader(db, descending);
	let done = false;
	const step = async () => {
		if (!done) {
			const ids = await read(view.ids.length === 0 ? FIRST_IDS : MORE_IDS);
			if (ids) for (const id of ids) view.ids.push(id);
			done = ids === null || view.ids.length >= view.total;
		}
		return !done;
	};
	// One read at a time: the reader continues where the last one ended.
	let queue: Promise<boolean> = Promise.resolve(true);
	const view: WindowIds = {
		ids: [],
		total: checked,
		reverseTies: descending,
		more: () => (queue = queue.then(step, step))
	};
	await view.more();
	return view;
}

async function deckOrder(db: RecallDb, descending: boolean): Promise<WindowIds | null> {
	return db.transaction('r', db.cards, db.decks, async () => {
		const [decks, total] = await Promise.all([db.decks.toArray(), db.cards.count()]);
		const sorted = [...decks].sort((a, b) => compareText(a.title, b.title));
		if (descending) sorted.reverse();
		// Decks whose titles compare equal ("French", "french") share one run, ordered by card id.
		const groups: Deck[][] = [];
		for (const deck of sorted) {
			const group = groups.at(-1);
			if (group && compareText(group[0]!.title, deck.title) === 0) group.push(deck);
			else groups.push([deck]);
		}
		const lists = await Promise.all(
			groups.map(async (group) => {
				const parts = await Promise.all(
					group.map((d) => db.cards.where('deckId').equals(d.id).primaryKeys())
				);
				const ids = parts.flat() as string[];
				return group.length > 1 ? ids.sort(byCardId) : ids;
			})
		);
		const ids = lists.flat();
		// Cards of a deck that no longer exists have no title to sort by here.
		if (ids.length !== total) return null;
		return { ids, total, reverseTies: false, more: () => Promise.resolve(false) };
	});
}

/**
 * The card ids of a search in the order of `order`, from an index alone — when it can: the
 * empty search sorted by due or deck. Otherwise null (stream instead).
 */
export async function windowIds(
	db: RecallDb,
	node: SearchNode,
	order: SortOrder
): Promise<WindowIds | null> {
	if (node.kind !== 'all') return null;
	if (order.column === 'due') return dueOrder(db, order.descending);
	if (order.column === 'deck') return deckOrder(db, order.descending);
	return null;
}

/** Reads ids until there are at least `count` (or all). */
export async function idsUpTo(view: WindowIds, count: number): Promise<void> {
	while (view.ids.length < Math.min(count, view.total) && (await view.more()));
}

/**
 * The rows at positions [from, to) of `view` (undefined where a card is gone since). With
 * `reverseTies`, runs of cards due at the same moment are first read whole and put in id order
 * in `view.ids` itself, so every window agrees.
 */
export async function readWindow(
	db: RecallDb,
	view: WindowIds,
	from: number,
	to: number,
	ctx: RowContext
): Promise<(BrowseRow | undefined)[]> {
	await idsUpTo(view, to + (view.reverseTies ? MORE_IDS : 0));
	const { ids } = view;
	to = Math.min(to, ids.length);
	return db.transaction('r', db.cards, db.notes, async () => {
		const cards = new Map<string, Card | undefined>();
		const load = async (a: number, b: number) => {
			const slice = ids.slice(a, b);
			const got = await db.cards.bulkGet(slice);
			slice.forEach((id, i) => cards.set(id, got[i]));
		};
		await load(from, to);
		if (view.reverseTies && to > from) {
			const due = (i: number) => cards.get(ids[i] as string)?.due;
			// Widen the span to whole runs of equal due at both ends.
			let lo = from;
			const first = due(from);
			while (lo > 0) {
				const start = Math.max(0, lo - 64);
				await load(start, lo);
				while (lo > start && due(lo - 1) === first) lo--;
				if (lo > start) break;
			}
			let hi = to;
			const last = due(to - 1);
			while (hi < ids.length) {
				const end = Math.min(ids.length, hi + 64);
				await load(hi, end);
				while (hi < end && due(hi) === last) hi++;
				if (hi < end) break;
			}
			for (let i = lo; i < hi;) {
				let j = i + 1;
				while (j < hi && due(j) === due(i)) j++;
				if (j - i > 1) {
					const run = ids.slice(i, j).sort(byCardId);
					ids.splice(i, run.length, ...run);
				}
				i = j;
			}
		}
		const shown = ids.slice(from, to).map((id) => cards.get(id));
		const noteIds = [...new Set(shown.filter((c) => c !== undefined).map((c) => c.noteId))];
		const notes = await db.notes.bulkGet(noteIds);
		const byId = new Map(notes.filter((n) => n !== undefined).map((n) => [n.id, n]));
		return shown.map((card) => card && rowOf(card, byId.get(card.noteId), ctx));
	});
}

// ---------------------------------------------------------------------------------------------
// Streams: pages, matched as they come.

/** Notes per page of a full scan (with their cards), and candidate cards per page. */
export const SCAN_PAGE = 2000;
/** Work done in memory between two yields to the page, ms. */
const SLICE_MS = 8;

export interface StreamProgress {
	/** Matching cards found so far. */
	found: number;
	/** Cards looked at so far, of `total`. */
	scanned: number;
	total: number;
}

export interface StreamOptions extends SearchOptions {
	signal?: AbortSignal;
	/** Each page's matches, as soon as they are found. */
	onRows?: (rows: BrowseRow[], progress: StreamProgress) => void;
	pageSize?: number;
}

export interface StreamResult extends SearchResult {
	/** The context the rows were built with. */
	context: RowContext;
}

/** Pages of notes (by id) with the cards of those notes, straight from IndexedDB. */
async function readScanPage(db: RecallDb, after: string | undefined, size: number) {
	return db.transaction('r', db.notes, db.cards, async () => {
		const from = after === undefined ? db.notes.toCollection() : db.notes.where(':id').above(after);
		const notes = await from.limit(size).toArray();
		const upTo = notes.length < size ? null : (notes.at(-1) as SearchNote).id;
		const byNote = db.cards.where('noteId');
		const cards =
			after === undefined
				? upTo === null
					? db.cards.toCollection()
					: byNote.belowOrEqual(upTo)
				: upTo === null
					? byNote.above(after)
					: byNote.between(after, upTo, false, true);
		return { upTo, notes: notes.map(noteForSearch), cards: await cards.toArray() };
	});
}

type Visit = (cards: readonly Card[], noteOf: (id: string) => NoteForSearch | undefined) => void;

/**
 * Every card with its note, in pages: first what the cache holds, in slices that yield to the
 * page, then the rest from IndexedDB (which the cache keeps).
 */
async function scanAll(
	db: RecallDb,
	cache: BrowseCache,
	pageSize: number,
	visit: Visit,
	signal?: AbortSignal
): Promise<void> {
	await cache.refresh();
	signal?.throwIfAborted();
	const generation = cache.generation;
	const covered = cache.covered;
	if (covered !== undefined) {
		// The maps themselves: emptying the cache swaps in new ones, these stay whole.
		const { cards, notes } = cache;
		const noteOf = (id: string) => notes.get(id);
		let batch: Card[] = [];
		let slice = performance.now();
		for (const card of cards.values()) {
			if (covered !== null && card.noteId > covered) continue;
			batch.push(card);
			if (batch.length === 256) {
				visit(batch, noteOf);
				batch = [];
				if (performance.now() - slice > SLICE_MS) {
					await nextTask();
					signal?.throwIfAborted();
					slice = performance.now();
				}
			}
		}
		visit(batch, noteOf);
		if (covered === null) return;
	}
	let after = covered ?? undefined;
	for (;;) {
		signal?.throwIfAborted();
		const page = await readScanPage(db, after, pageSize);
		signal?.throwIfAborted();
		cache.addPage(after, page.upTo, page.notes, page.cards, generation);
		const notes = new Map(page.notes.map((n) => [n.id, n]));
		visit(page.cards, (id) => notes.get(id));
		if (page.upTo === null) return;
		after = page.upTo;
		await nextTask();
	}
}

/** Whether a words-only search should read the search texts: the session holds no notes yet. */
async function textsOnly(cache: BrowseCache): Promise<boolean> {
	await cache.refresh();
	return cache.covered === undefined;
}

/**
 * A search decided by words alone (`decidedByText`), cold: the notes' stored search texts are
 * matched a page at a time (read from their packs, note-search-packs.ts), and only the matching
 * notes are read, with their cards. `visit` matches those again on the notes themselves, so the
 * rows are what a full scan gives (a note without a stored text is read and matched itself).
 */
async function scanTexts(
	db: RecallDb,
	matches: CardPredicate,
	pageSize: number,
	visit: Visit,
	signal?: AbortSignal
): Promise<void> {
	// Words are matched on the note only: the card is never looked at.
	const noCard = {} as Card;
	for await (const page of searchTextPages(db, signal)) {
		signal?.throwIfAborted();
		const hits: string[] = [];
		for (const [id, text] of page) {
			if (text === null || matches({ card: noCard, texts: searchTexts(text) })) hits.push(id);
		}
		for (let start = 0; start < hits.length; start += pageSize) {
			const chunk = hits.slice(start, start + pageSize);
			const { cards, notes } = await db.transaction('r', db.cards, db.notes, async () => ({
				cards: await db.cards.where('noteId').anyOf(chunk).toArray(),
				notes: (await db.notes.bulkGet(chunk)).filter((n) => n !== undefined).map(noteForSearch)
			}));
			signal?.throwIfAborted();
			const byId = new Map(notes.map((n) => [n.id, n]));
			visit(cards, (id) => byId.get(id));
		}
		await nextTask();
	}
}

/** Candidate card ids of a plan, from index keys; 'all' when a full scan is cheaper. */
async function candidateIds(
	db: RecallDb,
	plan: IndexPlan,
	env: SearchEnv
): Promise<string[] | 'all'> {
	const lists = await Promise.all(
		plan.sources.map(async (source): Promise<string[] | 'all'> => {
			switch (source.index) {
				case 'deck':
				case 'queue':
					return (
						await Promise.all(sourceRanges(db, source, env).map((r) => r.primaryKeys()))
					).flat();
				case 'tag': {
					const noteIds = await tagNoteIds(db, source);
					if (noteIds.size * 8 > (await db.notes.count())) return 'all';
					const lists = await Promise.all(
						[...noteIds].map((id) => db.cards.where('noteId').equals(id).primaryKeys())
					);
					return lists.flat();
				}
				case 'rated':
					return [...(env.ratedSince?.(source.from, source.rating) ?? [])];
			}
		})
	);
	if (lists.some((l) => l === 'all')) return 'all';
	const ids = lists as string[][];
	return ids.length === 1 ? (ids[0] as string[]) : [...new Set(ids.flat())];
}

/** Candidate cards in pages, from the cache when it holds everything, else from IndexedDB. */
async function scanIds(
	db: RecallDb,
	cache: BrowseCache,
	ids: readonly string[],
	pageSize: number,
	visit: Visit,
	signal?: AbortSignal
): Promise<void> {
	await cache.refresh();
	signal?.throwIfAborted();
	for (let start = 0; start < ids.length; start += pageSize) {
		const chunk = ids.slice(start, start + pageSize);
		if (cache.complete) {
			const { cards, notes } = cache;
			const found = chunk.map((id) => cards.get(id)).filter((c) => c !== undefined);
			visit(found, (id) => notes.get(id));
		} else {
			const { cards, notes } = await db.transaction('r', db.cards, db.notes, async () => {
				const cards = (await db.cards.bulkGet(chunk)).filter((c) => c !== undefined);
				// Notes are needed for the rows' columns in any case.
				const noteIds = [...new Set(cards.map((c) => c.noteId))];
				const notes = await db.notes.bulkGet(noteIds);
				return { cards, notes: notes.filter((n) => n !== undefined).map(noteForSearch) };
			});
			const byId = new Map(notes.map((n) => [n.id, n]));
			visit(cards, (id) => byId.get(id));
		}
		signal?.throwIfAborted();
		await nextTask();
		signal?.throwIfAborted();
	}
}

/**
 * Cards matching `node`, as unsorted rows, read in pages: `onRows` gets each page's matches as
 * soon as they are found. Throws the signal's reason when aborted (a newer search).
 */
export async function streamSearch(
	db: RecallDb,
	node: SearchNode,
	options: StreamOptions
): Promise<StreamResult> {
	const { signal, onRows } = options;
	const pageSize = options.pageSize ?? SCAN_PAGE;
	const cache = browseCache(db);
	const { env, decks, presetFor, plan, ids, total } = await db.transaction(
		'r',
		[db.decks, db.presets, db.cards, db.notes, db.revlog],
		async () => {
			const { env, decks, presetFor } = await searchEnv(db, node, options);
			const plan = planSearch(node, env);
			const ids = plan ? await candidateIds(db, plan, env) : 'all';
			const total = ids === 'all' ? await db.cards.count() : ids.length;
			return { env, decks, presetFor, plan, ids, total };
		}
	);
	signal?.throwIfAborted();
	const context: RowContext = {
		now: options.now,
		titles: new Map(decks.map((d) => [d.id, d.title])),
		presetFor
	};
	const matches = compileSearch(node, env);
	const cardDecides = !needsNote(node);
	const rows: BrowseRow[] = [];
	let scanned = 0;
	const visit: Visit = (cards, noteOf) => {
		const found: BrowseRow[] = [];
		for (const card of cards) {
			const note = cardDecides ? undefined : noteOf(card.noteId);
			if (!matches({ card, note })) continue;
			found.push(rowOf(card, note ?? noteOf(card.noteId), context));
		}
		scanned += cards.length;
		rows.push(...found);
		onRows?.(found, { found: rows.length, scanned, total: Math.max(total, scanned) });
	};
	if (ids === 'all' && !cardDecides && decidedByText(node) && (await textsOnly(cache))) {
		await scanTexts(db, matches, pageSize, visit, signal);
	} else if (ids === 'all') await scanAll(db, cache, pageSize, visit, signal);
	else await scanIds(db, cache, ids, pageSize, visit, signal);
	return {
		rows,
		indexes: plan && ids !== 'all' ? plan.sources.map((s) => s.index) : null,
		context
	};
}
