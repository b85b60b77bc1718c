import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue, type Deck } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import { addDeck, addNote } from './browse-testing';
import { undoChanges } from './changes';
import type { RecallDb } from './db';
import { loadMedia, mediaNames, MediaError, saveImage } from './media-repo';
import { cardDetails, createNote, noteProblem, NoteError, updateNote } from './note-repo';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);

let db: RecallDb;
let deck: Deck;
beforeEach(async () => {
	db = freshDb();
	deck = await addDeck(db, 'Deck');
});
afterEach(async () => {
	await dropDb(db);
});

describe('adding notes', () => {
	it('puts a note without a deck in "My cards", made with it once; undo takes both away', async () => {
		// A built-in deck holding the name is not the user's: theirs gets a number.
		await db.decks.put({ ...deck, id: 'builtin-my-cards', title: 'My cards', origin: 'builtin' });
		const input = { deckId: '', type: 'basic' as const, tags: [] };
		const first = await createNote(db, { ...input, fields: { front: 'Q1', back: '' } }, NOW);
		expect([first.deck.title, first.deck.origin]).toEqual(['My cards 2', 'user']);
		expect(first.changes.decks.map((d) => d.after?.id)).toEqual([first.deck.id]);
		const second = await createNote(db, { ...input, fields: { front: 'Q2', back: '' } }, NOW);
		expect(second.deck.id).toBe(first.deck.id);
		expect(second.changes.decks).toEqual([]);
		expect(second.note.position).toBe(1);
		await undoChanges(db, second.changes);
		await undoChanges(db, first.changes);
		expect(await db.decks.get(first.deck.id)).toBeUndefined();
		expect(await db.notes.count()).toBe(0);
	});

	it('makes one card for basic, two for reversed and one per cloze number', async () => {
		const basic = await addNote(db, deck.id, { fields: { front: 'Q', back: 'A' } }, NOW);
		const reversed = await addNote(
			db,
			deck.id,
			{ type: 'reversed', fields: { front: 'a', back: 'b' } },
			NOW
		);
		const cloze = await addNote(
			db,
			deck.id,
			{ type: 'cloze', fields: { text: '{{c1::Lev}} {{c3::Bronstein}} {{c1::again}}', extra: '' } },
			NOW
		);
		expect(basic.cards.map((c) => c.ord)).toEqual([0]);
		expect(reversed.cards.map((c) => c.ord)).toEqual([0, 1]);
		expect(cloze.cards.map((c) => c.ord)).toEqual([0, 2]);
		expect(cloze.note).toMatchObject({
			type: 'cloze',
			deckId: deck.id,
			mtime: NOW,
			createdAt: NOW
		});
		expect(await db.cards.count()).toBe(5);
	});

	it('introduces new notes after the deck’s last new card', async () => {
		const first = await addNote(db, deck.id);
		const second = await addNote(db, deck.id);
		expect(second.note.position).toBe(first.note.position + 1);
		expect(second.cards[0]?.due).toBeGreaterThan(first.cards[0]!.due);
	});

	it('refuses a note that would make no card, in words', async () => {
		expect(noteProblem({ type: 'basic', fields: { front: ' ', back: 'x' } })).toBe(
			'Write the front of the card.'
		);
		expect(noteProblem({ type: 'reversed', fields: { front: 'x', back: '' } })).toMatch(
			/both sides/
		);
		await expect(
			createNote(
				db,
				{ deckId: deck.id, type: 'cloze', fields: { text: 'no cloze' }, tags: [] },
				NOW
			)
		).rejects.toBeInstanceOf(NoteError);
		await expect(
			createNote(db, { deckId: 'nope', type: 'basic', fields: { front: 'x' }, tags: [] }, NOW)
		).rejects.toThrow('That deck no longer exists.');
		expect(await db.notes.count()).toBe(0);
	});
});

describe('editing a note', () => {
	it('saves fields and tags, adds a card for a new cloze and suspends a removed one, undoable', async () => {
		const { note } = await addNote(
			db,
			deck.id,
			{ type: 'cloze', fields: { text: '{{c1::a}} {{c2::b}}' } },
			NOW
		);
		const changes = await updateNote(
			db,
			note.id,
			{ fields: { text: '{{c1::a}} b {{c3::c}}' }, tags: ['t'], mtime: note.mtime },
			NOW + 1000
		);
		const cards = await db.cards.where('noteId').equals(note.id).sortBy('ord');
		expect(cards.map((c) => [c.ord, c.queue])).toEqual([
			[0, Queue.New],
			[1, Queue.Suspended],
			[2, Queue.New]
		]);
		expect(await db.notes.get(note.id)).toMatchObject({ tags: ['t'], mtime: NOW + 1000 });

		await undoChanges(db, changes);
		expect((await db.notes.get(note.id))?.fields.text).toBe('{{c1::a}} {{c2::b}}');
		expect(await db.cards.where('noteId').equals(note.id).count()).toBe(2);
	});

	it('brings back the card of a cloze number that returns', async () => {
		const { note } = await addNote(
			db,
			deck.id,
			{ type: 'cloze', fields: { text: '{{c1::a}} {{c2::b}}' } },
			NOW
		);
		await updateNote(db, note.id, { fields: { text: '{{c1::a}}' }, tags: [], mtime: NOW }, NOW + 1);
		await updateNote(
			db,
			note.id,
			{ fields: { text: '{{c1::a}} {{c2::b}}' }, tags: [], mtime: NOW + 1 },
			NOW + 2
		);
		const cards = await db.cards.where('noteId').equals(note.id).sortBy('ord');
		expect(cards.map((c) => c.queue)).toEqual([Queue.New, Queue.New]);
	});

	it('refuses an edit made from a stale copy (another tab saved first)', async () => {
		const { note } = await addNote(db, deck.id, {}, NOW);
		await updateNote(
			db,
			note.id,
			{ fields: { front: 'one', back: '' }, tags: [], mtime: NOW },
			NOW + 1
		);
		await expect(
			updateNote(db, note.id, { fields: { front: 'two', back: '' }, tags: [], mtime: NOW }, NOW + 2)
		).rejects.toThrow(/changed elsewhere/);
		expect((await db.notes.get(note.id))?.fields.front).toBe('one');
	});

	it('reads a card with its note, deck, preset and review history, oldest first', async () => {
		const { cards } = await addNote(db, deck.id, {}, NOW);
		let card = cards[0]!;
		for (const [rating, at] of [
			[1, NOW],
			[3, NOW + 60_000]
		] as const) {
			const graded = gradeCard(card, rating, DEFAULT_PRESET, at, { timeZone: 'UTC' });
			await saveGrade(db, card, graded.card, graded.log, null);
			card = graded.card;
		}
		const details = await cardDetails(db, card.id);
		expect(details?.deck?.title).toBe('Deck');
		expect(details?.preset.id).toBe('default');
		expect(details?.history.map((h) => h.rating)).toEqual([1, 3]);
		expect(details?.card).toEqual(card);
		expect(await cardDetails(db, 'nope')).toBeNull();
	});
});

describe('media', () => {
	it('stores an image under a safe generated name and finds names in HTML', async () => {
		const png = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
		const name = await saveImage(db, png);
		expect(name).toMatch(/^img-[a-z0-9]{16}\.png$/);
		const loaded = await loadMedia(db, [name, 'missing.png']);
		expect([...loaded.keys()]).toEqual([name]);
		expect(loaded.get(name)?.size).toBe(4);
		expect(
			mediaNames(
				`<p><img src="${name}"> <img src='a%20b.jpg'> <img src="https://x/y.png"> <img src="data:x"></p>`
			)
		).toEqual([name, 'a b.jpg']);
	});

	it('refuses SVG and files that are not images', async () => {
		const svg = new Blob(['<svg/>'], { type: 'image/svg+xml' });
		await expect(saveImage(db, svg)).rejects.toBeInstanceOf(MediaError);
		await expect(saveImage(db, new Blob(['x'], { type: 'text/plain' }))).rejects.toThrow(
			/Only photos/
		);
		expect(await db.media.count()).toBe(0);
	});
});
