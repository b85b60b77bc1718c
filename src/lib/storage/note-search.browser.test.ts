/**
 * The notes' search texts, against real IndexedDB: kept in step with every note write by the
 * middleware, built by the version-6 upgrade from version-4 data, and a cold search for words
 * over them finds exactly what a read of every card and note finds. Their packs (schema v8) are
 * built by the search, marked stale by the writes that touch them, and rebuilt right.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBundle } from '../core/import';
import { parseSearch, type BrowseRow } from '../core/search';
import { deleteNotesOfCards } from './bulk-actions';
import { browseCache, dropBrowseCache } from './browse-cache';
import { searchCards, streamSearch } from './browse-repo';
import { addDeck, addNote, bulkCollection } from './browse-testing';
import { undoChanges } from './changes';
import { openDb, openDbV4, openDbV7, SCHEMA_VERSION, type RecallDb } from './db';
import { writeImport } from './import-repo';
import { searchRowOf } from './note-search';
import { PACK_SIZE, packSearchTexts, type SearchEntry } from './note-search-packs';
import { updateNote } from './note-repo';
import { dropDb, freshDb } from './testing';
import { seedCollection } from './testing-seed';

const NOW = Date.UTC(2026, 10, 23, 12);
const OPTIONS = { now: NOW, timeZone: 'UTC' };

let db: RecallDb;
let deckId: string;
beforeEach(async () => {
	db = freshDb();
	deckId = (await addDeck(db, 'History', NOW)).id;
});
afterEach(async () => {
	dropBrowseCache(db);
	await dropDb(db);
});

/** The stored search rows are exactly those of the notes as they are. */
async function expectInStep(): Promise<void> {
	const notes = await db.notes.toArray();
	expect(await db.noteSearch.toArray()).toEqual(notes.map(searchRowOf));
}

/** Imports `cards` seeded cards (deck 'imp', one note each), `chunkSize` to a transaction. */
async function importSeeded(cards: number, chunkSize: number): Promise<void> {
	const source = freshDb();
	try {
		await seedCollection(source, { cards, reviews: 0, now: NOW, deckIds: ['imp'] });
		await writeImport(
			db,
			{
				...emptyBundle(),
				decks: await source.decks.toArray(),
				notes: await source.notes.toArray(),
				cards: await source.cards.toArray()
			},
			{ chunkSize }
		);
	} finally {
		await dropDb(source);
	}
}

const byId = (rows: readonly BrowseRow[]) =>
	[...rows].sort((a, b) => a.cardId.localeCompare(b.cardId));

describe('note search texts', () => {
	it('follow every note write: create, edit, import, delete, undo, clear', async () => {
		const { note } = await addNote(db, deckId, {
			fields: { front: 'Who was <b>Trotsky</b>?', back: 'x' }
		});
		await addNote(db, deckId, { type: 'cloze', fields: { text: 'Le {{c1::chat}}' } });
		await expectInStep();
		expect((await db.noteSearch.get(note.id))?.t).toContain('Who was Trotsky?');

		await updateNote(
			db,
			note.id,
			{ fields: { front: 'Lenin', back: 'y' }, tags: [], mtime: note.mtime },
			NOW
		);
		await expectInStep();

		await importSeeded(50, 20);
		await expectInStep();
		expect(await db.noteSearch.count()).toBe(52);

		const ids = (await db.cards.where('deckId').equals('imp').limit(10).primaryKeys()) as string[];
		const deleted = await deleteNotesOfCards(db, ids);
		await expectInStep();
		await undoChanges(db, deleted);
		await expectInStep();
		await db.notes.where(':id').startsWith('imp/s1').delete();
		await expectInStep();
		await db.notes.clear();
		expect(await db.noteSearch.count()).toBe(0);
	});

	it('a cold search for words reads the search texts and finds what a full read finds', async () => {
		await bulkCollection(db, deckId, 3000, NOW);
		await addNote(db, deckId, { fields: { front: 'Who was <b>Tro</b>tsky?', back: 'Café' } });
		await addNote(db, deckId, { fields: { front: 'odd\u001eseparator', back: 'trotsky' } });
		const words = [
			'trotsky',
			'"topic 5"',
			'question 12',
			'topic*7 OR café',
			'front:"*topic 5"',
			'back:answer_1',
			'nothing-like-this'
		];
		for (const text of words) {
			dropBrowseCache(db);
			const full = (await searchCards(db, parseSearch(text), OPTIONS)).rows;
			let handed: BrowseRow[] = [];
			const cold = await streamSearch(db, parseSearch(text), {
				...OPTIONS,
				pageSize: 500,
				onRows: (rows) => (handed = [...handed, ...rows])
			});
			expect(byId(cold.rows), text).toEqual(byId(full));
			expect(handed, text).toEqual(cold.rows);
			// The session copy was not filled: only the matches were read.
			expect(browseCache(db).covered, text).toBeUndefined();
		}
		dropBrowseCache(db);
		expect((await streamSearch(db, parseSearch('trotsky'), OPTIONS)).rows).toHaveLength(2);
	});
});

describe('schema version 6 upgrade', () => {
	it('builds the search texts from version-4 notes', async () => {
		const name = `recall-v4-search-${Date.now()}-${Math.random().toString(36).slice(2)}`;
		const v4 = openDbV4(name);
		await seedCollection(v4, { cards: 1200, reviews: 100, now: NOW });
		const notes = await v4.notes.toArray();
		v4.close();
		const v6 = openDb(name);
		try {
			expect(await v6.notes.toArray()).toEqual(notes);
			expect(await v6.noteSearch.toArray()).toEqual(notes.map(searchRowOf));
			const found = await streamSearch(v6, parseSearch('s117'), OPTIONS);
			expect(found.rows.map((r) => r.noteId).sort()).toEqual(
				notes
					.filter((n) => n.id.includes('s117'))
					.map((n) => n.id)
					.sort()
			);
			dropBrowseCache(v6);
		} finally {
			await v6.delete();
		}
	});
});

/** Runs a cold search for `text` and checks it against a full read. */
async function expectColdSearch(text: string): Promise<void> {
	dropBrowseCache(db);
	const full = (await searchCards(db, parseSearch(text), OPTIONS)).rows;
	dropBrowseCache(db);
	const cold = (await streamSearch(db, parseSearch(text), OPTIONS)).rows;
	expect(byId(cold), text).toEqual(byId(full));
	expect(browseCache(db).covered, text).toBeUndefined();
	dropBrowseCache(db);
}

/** After a search: every pack fresh, within its range, and together exactly the search rows. */
async function expectPacksWhole(): Promise<void> {
	const packs = await db.noteSearchPacks.toArray();
	expect(packs[0]?.from).toBe('');
	const entries: SearchEntry[] = [];
	packs.forEach((pack, i) => {
		expect(pack.t, pack.from).not.toBeNull();
		const held = JSON.parse(pack.t!) as SearchEntry[];
		const to = packs[i + 1]?.from;
		for (const [id] of held) {
			expect(id >= pack.from && (to === undefined || id < to), id).toBe(true);
		}
		entries.push(...held);
	});
	const rows = await db.noteSearch.toArray();
	expect(entries.sort((a, b) => (a[0] < b[0] ? -1 : 1))).toEqual(rows.map((r) => [r.id, r.t]));
}

const stale = async () =>
	(await db.noteSearchPacks.toArray()).filter((p) => p.t === null).map((p) => p.from);

describe('search text packs (schema v8)', () => {
	it('are built by a cold search, marked stale by the writes that touch them, and rebuilt', async () => {
		await bulkCollection(db, deckId, 3_000, NOW);
		expect(await db.noteSearchPacks.count()).toBe(0);
		await expectColdSearch('"topic 5"');
		await expectPacksWhole();
		const built = await db.noteSearchPacks.toArray();
		expect(built.length).toBe(Math.ceil(3_000 / PACK_SIZE));
		expect(built.every((p) => (JSON.parse(p.t!) as unknown[]).length <= PACK_SIZE)).toBe(true);

		// An edit marks the one pack holding the note.
		const note = (await db.notes.get('bulk-1234'))!;
		await updateNote(
			db,
			note.id,
			{ fields: { front: 'Trotsky in Mexico', back: 'y' }, tags: [], mtime: note.mtime },
			NOW
		);
		const holder = built.filter((p) => p.from <= note.id).at(-1)!.from;
		expect(await stale()).toEqual([holder]);
		await expectColdSearch('mexico');
		expect(await stale()).toEqual([]);
		await expectPacksWhole();

		// New notes, an import, deletions, their undo: each search finds what a full read finds.
		await addNote(db, deckId, { fields: { front: 'Café Trotsky', back: 'a' } });
		await expectColdSearch('trotsky');
		await importSeeded(1_200, 300);
		expect((await stale()).length).toBeGreaterThan(0);
		await expectColdSearch('s117 OR mexico');
		await expectPacksWhole();
		// The imported ids fell in one range, which grew past a pack: it was split.
		const packs = await db.noteSearchPacks.toArray();
		expect(packs.length).toBeGreaterThan(built.length + 1);
		expect(packs.every((p) => (JSON.parse(p.t!) as unknown[]).length <= PACK_SIZE)).toBe(true);

		const ids = (await db.cards.where('deckId').equals('imp').limit(40).primaryKeys()) as string[];
		const deleted = await deleteNotesOfCards(db, ids);
		await expectColdSearch('s1*');
		await undoChanges(db, deleted);
		await expectColdSearch('s1*');
		await db.notes.where(':id').startsWith('bulk-2').delete();
		await expectColdSearch('"topic 5"');
		await expectPacksWhole();

		await db.notes.clear();
		expect(await db.noteSearchPacks.count()).toBe(0);
		await expectColdSearch('topic');
		expect(await db.noteSearchPacks.count()).toBe(1);
	});

	it('are packed ahead of a search when anything is stale, and only then', async () => {
		await bulkCollection(db, deckId, 3_000, NOW);
		expect(await packSearchTexts(db)).toBe(true);
		await expectPacksWhole();
		expect(await packSearchTexts(db)).toBe(false);
		const before = await db.noteSearchPacks.toArray();
		const note = (await db.notes.get('bulk-42'))!;
		await updateNote(
			db,
			note.id,
			{ fields: { front: 'Natalia Sedova', back: 'z' }, tags: [], mtime: note.mtime },
			NOW
		);
		expect(await db.noteSearchPacks.where('stale').equals(1).count()).toBe(1);
		expect(await packSearchTexts(db)).toBe(true);
		await expectPacksWhole();
		const after = await db.noteSearchPacks.toArray();
		// Only the pack holding the note was rewritten.
		expect(after.filter((p, i) => p.t !== before[i]?.t)).toHaveLength(1);
		await expectColdSearch('sedova');
		// Stopped (a search started): whatever was packed stays right.
		await db.notes.where(':id').startsWith('bulk-1').delete();
		const stop = new AbortController();
		stop.abort(new Error('a search started'));
		await expect(packSearchTexts(db, stop.signal)).rejects.toThrow('a search started');
		await expectColdSearch('"topic 5"');
		await expectPacksWhole();
	});

	it('stay whole when two tabs rebuild the same stale packs at once', async () => {
		await bulkCollection(db, deckId, 3_000, NOW);
		await expectColdSearch('topic');
		const other = openDb(db.name);
		try {
			for (let round = 0; round < 3; round++) {
				await importSeeded(800 + round, 200);
				dropBrowseCache(db);
				dropBrowseCache(other);
				await Promise.all([
					streamSearch(db, parseSearch('s1*'), OPTIONS),
					streamSearch(other, parseSearch('s2*'), OPTIONS),
					addNote(db, deckId, { fields: { front: `Trotsky ${round}`, back: 'c' } })
				]);
				dropBrowseCache(other);
				await expectColdSearch('s1* OR trotsky');
				await expectPacksWhole();
			}
		} finally {
			other.close();
		}
	});

	it('a note written while packs are rebuilt is found by the next search', async () => {
		await bulkCollection(db, deckId, 2_000, NOW);
		dropBrowseCache(db);
		const searching = streamSearch(db, parseSearch('trotsky'), OPTIONS);
		await addNote(db, deckId, { fields: { front: 'Trotsky', back: 'b' } });
		await searching;
		await expectColdSearch('trotsky');
		dropBrowseCache(db);
		expect((await streamSearch(db, parseSearch('trotsky'), OPTIONS)).rows).toHaveLength(1);
	});
});

describe('schema version 8 upgrade', () => {
	it('keeps every note and search row of version-7 data, and searches build the packs', async () => {
		const name = `recall-v7-packs-${Date.now()}-${Math.random().toString(36).slice(2)}`;
		const v7 = openDbV7(name);
		await seedCollection(v7, { cards: 1_200, reviews: 500, now: NOW });
		const notes = await v7.notes.toArray();
		const texts = await v7.noteSearch.toArray();
		const reviews = await v7.revlog.count();
		v7.close();
		const v8 = openDb(name);
		try {
			await v8.open();
			expect(v8.verno).toBe(SCHEMA_VERSION);
			expect(SCHEMA_VERSION).toBe(8);
			expect(await v8.notes.toArray()).toEqual(notes);
			expect(await v8.noteSearch.toArray()).toEqual(texts);
			expect(await v8.revlog.count()).toBe(reviews);
			expect(await v8.noteSearchPacks.count()).toBe(0);
			const found = await streamSearch(v8, parseSearch('s117'), OPTIONS);
			expect(found.rows.map((r) => r.noteId).sort()).toEqual(
				notes
					.filter((n) => n.id.includes('s117'))
					.map((n) => n.id)
					.sort()
			);
			expect(await v8.noteSearchPacks.count()).toBe(Math.ceil(notes.length / PACK_SIZE));
			dropBrowseCache(v8);
		} finally {
			await v8.delete();
		}
	});
});
