/**
 * The browser's reads: cards matching a search, as rows. The search's index plan
 * (core/search/plan.ts) picks what to read — cards by deckId, by [deckId+queue+due] ranges, by
 * the notes' *tags index, or by revlog time — and the predicate filters that; a search no index
 * can narrow reads every card once. All in one read transaction, so rows are a consistent view.
 */
import type { Card, Deck, Grade, Preset } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import {
	browseRow,
	compileSearch,
	daysBackStart,
	needsNote,
	planSearch,
	searchTerms,
	type BrowseRow,
	type IndexPlan,
	type IndexSource,
	type SearchEnv,
	type SearchNode,
	type SearchNote
} from '../core/search';
import type { RecallDb } from './db';

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

async function readSource(db: RecallDb, source: IndexSource, env: SearchEnv): Promise<Card[]> {
	switch (source.index) {
		case 'deck': {
			// One equals per deck reads its index range at once; anyOf would walk a cursor.
			const lists = await Promise.all(
				source.deckIds.map((id) => db.cards.where('deckId').equals(id).toArray())
			);
			return lists.flat();
		}
		case 'queue': {
			const deckIds = source.deckIds ?? env.decks.map((d) => d.id);
			const reads = deckIds.flatMap((deckId) =>
				source.ranges.map((r) =>
					db.cards
						.where('[deckId+queue+due]')
						.between([deckId, r.queue, r.from], [deckId, r.queue, r.to], true, false)
						.toArray()
				)
			);
			return (await Promise.all(reads)).flat();
		}
		case 'tag': {
			const noteIds = new Set<string>();
			const add = (key: string) => noteIds.add(key);
			for (const tag of source.equals) {
				await db.notes.where('tags').equalsIgnoreCase(tag).eachPrimaryKey(add);
			}
			for (const prefix of source.prefixes) {
				await db.notes.where('tags').startsWithIgnoreCase(prefix).eachPrimaryKey(add);
			}
			return cardsOfNotes(db, noteIds);
		}
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

/** Cards matching `node`, as unsorted browser rows. */
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
