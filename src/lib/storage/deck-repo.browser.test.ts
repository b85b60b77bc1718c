import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, createDefaultPreset } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import { addDeck, addNote } from './browse-testing';
import { moveCards } from './bulk-actions';
import { undoChanges } from './changes';
import type { RecallDb } from './db';
import {
	createDeck,
	deleteDeck,
	deletionSummary,
	DeckError,
	listDecks,
	renameDeck,
	setDeckPreset
} from './deck-repo';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

const titles = async () => (await listDecks(db)).map((d) => d.title);

describe('decks the user makes', () => {
	it('creates a deck and a subdeck with the default preset, sorted by title', async () => {
		const { deck } = await createDeck(db, { title: '  Red   Army ' }, NOW);
		expect(deck).toMatchObject({
			title: 'Red Army',
			origin: 'user',
			presetId: 'default',
			createdAt: NOW
		});
		expect(deck.id).toMatch(/^red-army-[a-z0-9]{6}$/);
		await createDeck(db, { title: 'Red Army :: Ranks' }, NOW);
		await createDeck(db, { title: 'Alpha' }, NOW);
		expect(await titles()).toEqual(['Alpha', 'Red Army', 'Red Army::Ranks']);
		expect(await db.presets.get('default')).toBeDefined();
	});

	it('refuses a name core refuses (core/decks/deck-title.test.ts), in words, writing nothing', async () => {
		await addDeck(db, 'History');
		await expect(createDeck(db, { title: 'HISTORY' }, NOW)).rejects.toBeInstanceOf(DeckError);
		await expect(createDeck(db, { title: 'A::' }, NOW)).rejects.toThrow(/empty part/);
		expect(await titles()).toEqual(['History']);
	});

	it('renames a deck and its subdecks, and undoes', async () => {
		const parent = await addDeck(db, 'Lang');
		await addDeck(db, 'Lang::French');
		await addDeck(db, 'Language');
		const changes = await renameDeck(db, parent.id, 'Languages');
		expect(await titles()).toEqual(['Language', 'Languages', 'Languages::French']);
		await undoChanges(db, changes);
		expect(await titles()).toEqual(['Lang', 'Lang::French', 'Language']);
		await expect(renameDeck(db, parent.id, 'language')).rejects.toThrow(/already a deck/);
	});

	it('chooses a preset that exists', async () => {
		const deck = await addDeck(db, 'D');
		await db.presets.add(createDefaultPreset({ id: 'slow', name: 'Slow' }));
		await setDeckPreset(db, deck.id, 'slow');
		expect((await db.decks.get(deck.id))?.presetId).toBe('slow');
		await expect(setDeckPreset(db, deck.id, 'nope')).rejects.toThrow(
			'That preset no longer exists.'
		);
	});

	it('deletes a deck with its subdecks, cards and reviews; notes with cards elsewhere stay', async () => {
		const gone = await addDeck(db, 'Gone');
		const sub = await addDeck(db, 'Gone::Sub');
		const kept = await addDeck(db, 'Kept');
		const a = await addNote(db, gone.id);
		await addNote(db, sub.id);
		const pair = await addNote(db, gone.id, {
			type: 'reversed',
			fields: { front: 'x', back: 'y' }
		});
		await moveCards(db, [pair.cards[1]!.id], kept.id);
		const first = a.cards[0]!;
		const graded = gradeCard(first, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, first, graded.card, graded.log, null);

		expect(await deletionSummary(db, gone.id)).toEqual({ decks: 2, cards: 3, reviews: 1 });
		const changes = await deleteDeck(db, gone.id);
		expect(await titles()).toEqual(['Kept']);
		expect(await db.revlog.count()).toBe(0);
		expect((await db.cards.toArray()).map((c) => c.id)).toEqual([pair.cards[1]!.id]);
		expect(await db.notes.toArray()).toMatchObject([{ id: pair.note.id, deckId: kept.id }]);

		await undoChanges(db, changes);
		expect(await titles()).toEqual(['Gone', 'Gone::Sub', 'Kept']);
		expect(await db.cards.count()).toBe(4);
		expect(await db.revlog.count()).toBe(1);
		expect((await db.notes.get(pair.note.id))?.deckId).toBe(gone.id);
	});
});
