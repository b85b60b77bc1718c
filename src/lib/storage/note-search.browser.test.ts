/**
 * The notes' search texts, against real IndexedDB: kept in step with every note write by the
 * middleware, built by the version-6 upgrade from version-4 data, and a cold search for words
 * over them finds exactly what a read of every card and note finds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBundle } from '../core/import';
import { parseSearch, type BrowseRow } from '../core/search';
import { deleteNotesOfCards } from './bulk-actions';
import { browseCache, dropBrowseCache } from './browse-cache';
import { searchCards, streamSearch } from './browse-repo';
import { addDeck, addNote, bulkCollection } from './browse-testing';
import { undoChanges } from './changes';
import { openDb, openDbV4, type RecallDb } from './db';
import { writeImport } from './import-repo';
import { searchRowOf } from './note-search';
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

		const source = freshDb();
		try {
			await seedCollection(source, { cards: 50, reviews: 0, now: NOW, deckIds: ['imp'] });
			await writeImport(
				db,
				{
					...emptyBundle(),
					decks: await source.decks.toArray(),
					notes: await source.notes.toArray(),
					cards: await source.cards.toArray()
				},
				{ chunkSize: 20 }
			);
		} finally {
			await dropDb(source);
		}
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
