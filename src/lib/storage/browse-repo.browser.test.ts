import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue, type Deck } from '../core/model';
import { gradeCard } from '../core/scheduling/scheduler';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { parseSearch, sortRows, type BrowseRow, type SortOrder } from '../core/search';
import { addDeck, addNote, bulkCollection, patchCard, reviewState } from './browse-testing';
import { browseCache, dropBrowseCache, holdBrowseCache, releaseBrowseCache } from './browse-cache';
import {
	idsUpTo,
	NEW_DUE_LIMIT,
	readWindow,
	rowContext,
	searchCards,
	streamSearch,
	windowIds,
	type StreamProgress
} from './browse-repo';
import type { RecallDb } from './db';
import { updateNote } from './note-repo';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

/** Monday 2026-11-23 12:00 UTC; study days start at 04:00 (the default preset). */
const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

let db: RecallDb;
let history: Deck;
let army: Deck;
let french: Deck;

beforeEach(async () => {
	db = freshDb();
	history = await addDeck(db, 'History', NOW - 30 * DAY);
	army = await addDeck(db, 'History::Red Army', NOW - 30 * DAY);
	french = await addDeck(db, 'French', NOW - 30 * DAY);
	await addNote(
		db,
		history.id,
		{ fields: { front: 'Who was <b>Trotsky</b>?', back: 'A revolutionary' }, tags: ['people'] },
		NOW - 10 * DAY
	);
	await addNote(
		db,
		army.id,
		{ fields: { front: 'Founded in', back: '1918' }, tags: ['Dates::Founding'] },
		NOW - 2 * DAY
	);
	await addNote(
		db,
		french.id,
		{ type: 'reversed', fields: { front: 'dog', back: 'chien' }, tags: ['animals'] },
		NOW
	);
	await addNote(
		db,
		french.id,
		{ type: 'cloze', fields: { text: 'Le {{c1::chat}} et le {{c2::chien}}' } },
		NOW
	);
});

afterEach(async () => {
	dropBrowseCache(db);
	await dropDb(db);
});

async function search(text: string) {
	const result = await searchCards(db, parseSearch(text), { now: NOW, timeZone: 'UTC' });
	return {
		ids: result.rows.map((r) => r.front).sort(),
		indexes: result.indexes,
		rows: result.rows
	};
}

async function cardOf(front: string) {
	const { rows } = await search('');
	const row = rows.find((r) => r.front === front);
	if (!row) throw new Error(`no card "${front}"`);
	return (await db.cards.get(row.cardId))!;
}

describe('searching cards in IndexedDB', () => {
	it('lists every card with its columns for the empty search, reading all cards', async () => {
		const { ids, indexes, rows } = await search('');
		expect(ids).toEqual([
			'Founded in',
			'Le [...] et le chien',
			'Le chat et le [...]',
			'Who was Trotsky?',
			'chien',
			'dog'
		]);
		expect(indexes).toBeNull();
		expect(rows.find((r) => r.front === 'Founded in')).toMatchObject({
			deck: 'History::Red Army',
			tags: ['Dates::Founding'],
			retrievability: null,
			interval: 0
		});
	});

	it('finds a deck and its subdecks through the deckId index', async () => {
		expect(await search('deck:history')).toMatchObject({
			ids: ['Founded in', 'Who was Trotsky?'],
			indexes: ['deck']
		});
		expect((await search('deck:"History::Red Army"')).ids).toEqual(['Founded in']);
		expect((await search('deck:nowhere')).ids).toEqual([]);
	});

	it('finds tags through the notes *tags index, ignoring case, with child tags', async () => {
		expect(await search('tag:dates')).toMatchObject({ ids: ['Founded in'], indexes: ['tag'] });
		expect((await search('tag:ANIMALS')).ids).toEqual(['chien', 'dog']);
		expect((await search('tag:peo*')).ids).toEqual(['Who was Trotsky?']);
		expect((await search('tag:none')).ids).toEqual(['Le [...] et le chien', 'Le chat et le [...]']);
	});

	it('finds due, suspended and buried cards through [deckId+queue+due]', async () => {
		const trotsky = await cardOf('Who was Trotsky?');
		await patchCard(db, trotsky.id, reviewState(NOW, 10, 10, 0));
		const dog = await cardOf('dog');
		await patchCard(db, dog.id, reviewState(NOW, 1, 10, 3));
		const chien = await cardOf('chien');
		await patchCard(db, chien.id, { queue: Queue.Suspended });
		const founded = await cardOf('Founded in');
		await patchCard(db, founded.id, { queue: Queue.Buried, buriedUntil: NOW + DAY });

		expect(await search('is:due')).toMatchObject({ ids: ['Who was Trotsky?'], indexes: ['queue'] });
		expect(await search('is:suspended')).toMatchObject({ ids: ['chien'], indexes: ['queue'] });
		expect((await search('is:buried')).ids).toEqual(['Founded in']);
		expect((await search('is:review')).ids).toEqual(['Who was Trotsky?', 'dog']);
		expect((await search('deck:french is:new')).ids).toEqual([
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien'
		]);
		expect((await search('deck:french is:due')).ids).toEqual([]);
	});

	it('finds cards answered lately through the review log, by rating', async () => {
		const dog = await cardOf('dog');
		const graded = gradeCard(dog, 1, DEFAULT_PRESET, NOW - DAY, { timeZone: 'UTC' });
		await saveGrade(db, dog, graded.card, graded.log, null);
		const chien = await cardOf('chien');
		const good = gradeCard(chien, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, chien, good.card, good.log, null);

		expect(await search('rated:1')).toMatchObject({ ids: ['chien'], indexes: ['rated'] });
		expect((await search('rated:2')).ids).toEqual(['chien', 'dog']);
		expect((await search('rated:2:1')).ids).toEqual(['dog']);
	});

	it('filters plain words, properties and negations over every card', async () => {
		expect(await search('trotsky')).toMatchObject({ ids: ['Who was Trotsky?'], indexes: null });
		expect((await search('chien -deck:french')).ids).toEqual([]);
		expect((await search('chien OR 1918')).ids).toEqual([
			'Founded in',
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien',
			'dog'
		]);
		expect((await search('added:1')).ids).toEqual([
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien',
			'dog'
		]);
		expect((await search('added:3 -deck:french')).ids).toEqual(['Founded in']);
	});

	it('unions the indexes of an OR', async () => {
		expect(await search('tag:people OR deck:french is:suspended')).toMatchObject({
			ids: ['Who was Trotsky?']
		});
		const either = await search('tag:people OR tag:dates');
		expect(either).toMatchObject({
			ids: ['Founded in', 'Who was Trotsky?'],
			indexes: ['tag', 'tag']
		});
	});

	it('gives retrievability from the deck preset for studied cards', async () => {
		const trotsky = await cardOf('Who was Trotsky?');
		await patchCard(db, trotsky.id, reviewState(NOW, 10, 10, 0));
		const { rows } = await search('prop:r<0.95');
		expect(rows.map((r) => r.front)).toEqual(['Who was Trotsky?']);
		expect(rows[0]?.retrievability).toBeCloseTo(0.9, 3);
	});
});

describe('a large collection', () => {
	it('finds the same cards in 10 000 with indexes as a full read does', async () => {
		await bulkCollection(db, french.id, 10_000, NOW);
		const cases = [
			['', 10_006, null],
			['tag:rare', 200, ['tag']],
			['is:suspended', 100, ['queue']],
			['front:"*topic 5"', 104, null],
			['deck:french -is:new prop:s>30', 250, ['deck']]
		] as const;
		for (const [text, count, indexes] of cases) {
			const result = await searchCards(db, parseSearch(text), { now: NOW, timeZone: 'UTC' });
			expect(result.rows.length, text).toBe(count);
			expect(result.indexes, text).toEqual(indexes);
		}
	});
});

const OPTIONS = { now: NOW, timeZone: 'UTC' };

/** Every row of a search, sorted, from the one-transaction read. */
async function fullSorted(text: string, order: SortOrder): Promise<BrowseRow[]> {
	return sortRows((await searchCards(db, parseSearch(text), OPTIONS)).rows, order);
}

const byId = (rows: readonly BrowseRow[]) =>
	[...rows].sort((a, b) => (a.cardId < b.cardId ? -1 : 1));

/** A collection with many ties: cards due at the same moment, new cards at the same position. */
async function tiedCollection() {
	await bulkCollection(db, french.id, 3000, NOW);
	// New cards of different decks share positions (each deck counts from 0): ties on due.
	for (let i = 0; i < 40; i++) await addNote(db, history.id, {}, NOW);
	// Cards rescheduled together: the same due to the millisecond.
	const some = await db.cards.where('deckId').equals(history.id).limit(30).toArray();
	for (const card of some) await patchCard(db, card.id, reviewState(NOW, 2, 5, 4));
}

describe('windows: the empty search in index order', () => {
	const orders: SortOrder[] = [
		{ column: 'due', descending: false },
		{ column: 'due', descending: true },
		{ column: 'deck', descending: false },
		{ column: 'deck', descending: true }
	];

	it.each(orders)('reads the ids in the order of the full sort (%o)', async (order) => {
		await tiedCollection();
		const expected = await fullSorted('', order);
		const view = await windowIds(db, parseSearch(''), order);
		expect(view).not.toBeNull();
		expect(view!.total).toBe(expected.length);
		if (order.column === 'due') {
			// The first ids at once, the rest in chunks.
			expect(view!.ids.length).toBeLessThan(expected.length);
			await idsUpTo(view!, view!.total);
			expect(view!.ids).toHaveLength(expected.length);
			expect(new Set(view!.ids).size).toBe(expected.length);
		}
		if (order.column === 'due' && order.descending) {
			// Read backwards, the index has ties by id descending: the windows put them right.
			expect(view!.ids).not.toEqual(expected.map((r) => r.cardId));
		}
		const ctx = await rowContext(db, NOW);
		// Windows read in a scattered order, as scrolling and jumping would.
		const size = 97;
		const starts = Array.from({ length: Math.ceil(expected.length / size) }, (_, i) => i * size);
		starts.sort((a, b) => ((a * 7919) % 1009) - ((b * 7919) % 1009));
		for (const from of starts) {
			const to = Math.min(expected.length, from + size);
			const rows = await readWindow(db, view!, from, to, ctx);
			expect(rows, `rows ${from}–${to}`).toEqual(expected.slice(from, to));
		}
		expect(view!.ids).toEqual(expected.map((r) => r.cardId));
	});

	it('has no window for searches or sorts no index orders', async () => {
		expect(await windowIds(db, parseSearch('dog'), orders[0]!)).toBeNull();
		expect(await windowIds(db, parseSearch(''), { column: 'front', descending: false })).toBeNull();
	});

	it('gives up the due index when a card sits on the wrong side of the new/studied bound', async () => {
		await tiedCollection();
		const order = orders[0]!;
		expect(await windowIds(db, parseSearch(''), order)).not.toBeNull();
		const fresh = (await db.cards.where('due').below(NEW_DUE_LIMIT).first())!;
		await patchCard(db, fresh.id, { due: NOW });
		expect(await windowIds(db, parseSearch(''), order)).toBeNull();
		await patchCard(db, fresh.id, { due: 5 });
		const studied = (await db.cards.where('due').aboveOrEqual(NEW_DUE_LIMIT).first())!;
		// A suspended review card with a position for a due date: held cards are checked too.
		await patchCard(db, studied.id, { due: 5, queue: Queue.Suspended });
		expect(await windowIds(db, parseSearch(''), order)).toBeNull();
	});
});

describe('streaming searches', () => {
	/**
	 * Words that every note is read and matched for, page by page (a `-` term): words alone are
	 * matched on the stored search texts while nothing is in memory (note-search.browser.test.ts).
	 */
	const EVERY_NOTE = 'question -tag:no-such-tag';
	const searches = [
		'',
		'question',
		'"topic 5"',
		'prop:r<0.9',
		'tag:rare',
		'is:suspended',
		'deck:french -is:new prop:s>30',
		'chien OR 1918',
		'front:"*topic 5"'
	];

	async function stream(text: string, pageSize = 700) {
		const pages: StreamProgress[] = [];
		let rows: BrowseRow[] = [];
		const result = await streamSearch(db, parseSearch(text), {
			...OPTIONS,
			pageSize,
			onRows: (page, progress) => {
				rows = [...rows, ...page];
				pages.push(progress);
			}
		});
		return { result, pages, rows };
	}

	it('finds the same rows as a full read, page by page, and again from memory', async () => {
		await bulkCollection(db, french.id, 5000, NOW);
		for (const text of searches) {
			const full = (await searchCards(db, parseSearch(text), OPTIONS)).rows;
			const first = await stream(text);
			expect(byId(first.result.rows), text).toEqual(byId(full));
			// What onRows was given is the result, as it was found.
			expect(first.rows, text).toEqual(first.result.rows);
			expect(first.pages.at(-1)?.found, text).toBe(full.length);
			const again = await stream(text);
			expect(byId(again.result.rows), `${text} (again)`).toEqual(byId(full));
		}
		const every = await stream('question');
		// 5,000 notes in pages of 700 the first time; from memory the second (in slices).
		expect(every.pages.length).toBeGreaterThan(1);
		expect(browseCache(db).complete).toBe(true);
	});

	it('frees the copy a while after the page closes, unless it opens again', async () => {
		await bulkCollection(db, french.id, 300, NOW);
		await stream(EVERY_NOTE);
		expect(browseCache(db).complete).toBe(true);
		releaseBrowseCache(db, 50);
		holdBrowseCache(db);
		await new Promise((resolve) => setTimeout(resolve, 120));
		expect(browseCache(db).complete).toBe(true);
		releaseBrowseCache(db, 50);
		await new Promise((resolve) => setTimeout(resolve, 120));
		expect(browseCache(db).complete).toBe(false);
		expect(browseCache(db).cards.size).toBe(0);
		// The next search over everything reads the store again and finds the same rows.
		expect((await stream(EVERY_NOTE)).rows.length).toBeGreaterThan(0);
		expect(browseCache(db).complete).toBe(true);
	});

	it('hands over the first matches before the last page is read', async () => {
		await bulkCollection(db, french.id, 5000, NOW);
		const seen: number[] = [];
		const result = await streamSearch(db, parseSearch('question'), {
			...OPTIONS,
			pageSize: 500,
			onRows: (_, progress) => seen.push(progress.found)
		});
		expect(seen.length).toBeGreaterThanOrEqual(10);
		expect(seen[0]).toBeGreaterThan(0);
		expect(seen[0]).toBeLessThan(result.rows.length);
		expect(seen.at(-1)).toBe(5000);
	});

	it('stops when cancelled, and the next search goes on from what was read', async () => {
		await bulkCollection(db, french.id, 5000, NOW);
		const abort = new AbortController();
		let pages = 0;
		const cancelled = streamSearch(db, parseSearch(EVERY_NOTE), {
			...OPTIONS,
			pageSize: 500,
			signal: abort.signal,
			onRows: () => {
				pages++;
				if (pages === 2) abort.abort(new Error('a newer search'));
			}
		});
		await expect(cancelled).rejects.toThrow('a newer search');
		expect(pages).toBe(2);
		const cache = browseCache(db);
		expect(cache.complete).toBe(false);
		expect(cache.covered).toBeTypeOf('string');
		const { rows } = await streamSearch(db, parseSearch(EVERY_NOTE), { ...OPTIONS, pageSize: 500 });
		expect(rows).toHaveLength(5000);
		expect(new Set(rows.map((r) => r.cardId)).size).toBe(5000);
		expect(cache.complete).toBe(true);
	});

	it('sees edits, new and deleted cards, made here or in bulk, after reading everything once', async () => {
		await bulkCollection(db, french.id, 2000, NOW);
		const count = async (text: string) =>
			(await streamSearch(db, parseSearch(text), { ...OPTIONS, pageSize: 500 })).rows.length;
		expect(await count(`zebra ${EVERY_NOTE}`)).toBe(0);
		const cache = browseCache(db);
		expect(cache.complete).toBe(true);

		// A note edited through the editor's own write.
		const note = (await db.notes.get('bulk-7'))!;
		await updateNote(
			db,
			note.id,
			{ fields: { front: 'A zebra', back: 'b' }, tags: [], mtime: note.mtime },
			NOW + 1
		);
		expect(cache.dirty).toBeGreaterThan(0);
		expect(await count('zebra')).toBe(1);
		expect(cache.complete).toBe(true);

		// A new note, and a deleted one.
		await addNote(db, history.id, { fields: { front: 'zebra two', back: 'x' } }, NOW);
		expect(await count('zebra')).toBe(2);
		await db.transaction('rw', db.notes, db.cards, async () => {
			await db.cards.where('noteId').equals('bulk-7').delete();
			await db.notes.delete('bulk-7');
		});
		expect(await count('zebra')).toBe(1);

		// A card suspended (a key-level write), then many at once (Dexie reports a range).
		expect(await count('is:suspended')).toBe(20);
		await patchCard(db, 'bulk-3/0', { queue: Queue.Suspended });
		expect(await count('is:suspended prop:reps=0')).toBe(1);
		const many = await db.cards.where('noteId').between('bulk-1', 'bulk-2', true, false).toArray();
		expect(many.length).toBeGreaterThan(100);
		await db.cards.bulkPut(many.map((c) => ({ ...c, queue: Queue.Suspended, rev: c.rev + 1 })));
		expect(cache.covered).toBeUndefined();
		const suspended = await db.cards.filter((c) => c.queue === Queue.Suspended).count();
		expect(await count('is:suspended -deck:nothing')).toBe(suspended);
		expect(await count('prop:reps=0 is:suspended')).toBe(
			await db.cards.filter((c) => c.queue === Queue.Suspended && c.reps === 0).count()
		);
	});
});
