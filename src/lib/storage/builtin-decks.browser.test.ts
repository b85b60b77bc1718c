import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue } from '../core/model';
import { gradeCard } from '../core/scheduling/scheduler';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import type { RecallBasicNote } from '../core/decks/recall-deck';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const a: RecallBasicNote = { id: 'a', type: 'basic', front: 'Who?', back: 'Trotsky' };
const b = deckNote({ id: 'b', type: 'reversed' });
const c = deckNote({ id: 'c', type: 'cloze', text: '{{c1::x}} {{c2::y}}' });
const v1 = recallDeck({ id: 'deck', version: 1, notes: [a, b, c] });

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

async function gradeOnce(cardId: string, at: number) {
	const card = (await db.cards.get(cardId))!;
	const r = gradeCard(card, 3, DEFAULT_PRESET, at, { timeZone: 'UTC' });
	await saveGrade(db, card, r.card, r.log, null);
	return r.card;
}

describe('loading the built-in decks into IndexedDB', () => {
	it('creates the deck, its notes, one card per side or cloze, and the default preset', async () => {
		const result = await syncBuiltinDeck(db, v1, NOW);
		expect(result.status).toBe('created');
		expect(await db.decks.get('deck')).toMatchObject({
			title: 'Test deck',
			origin: 'builtin',
			version: 1
		});
		expect(await db.notes.count()).toBe(3);
		expect((await db.cards.orderBy('id').primaryKeys()).sort()).toEqual([
			'deck/a/0',
			'deck/b/0',
			'deck/b/1',
			'deck/c/0',
			'deck/c/1'
		]);
		expect(await db.presets.get('default')).toMatchObject({ desiredRetention: 0.9 });
	});

	it('does nothing when the same deck is served again', async () => {
		await syncBuiltinDeck(db, v1, NOW);
		const graded = await gradeOnce('deck/a/0', NOW);
		const again = await syncBuiltinDeck(db, v1, NOW + 1000);
		expect(again.status).toBe('unchanged');
		expect(await db.cards.get('deck/a/0')).toEqual(graded);
	});

	it('merges a new version by note id: adds, updates in place with history, retires', async () => {
		await syncBuiltinDeck(db, v1, NOW);
		const graded = await gradeOnce('deck/a/0', NOW);
		await gradeOnce('deck/b/0', NOW);
		const v2 = recallDeck({
			id: 'deck',
			version: 2,
			notes: [{ ...a, back: 'Leon Trotsky' }, c, deckNote({ id: 'd' })]
		});
		const result = await syncBuiltinDeck(db, v2, NOW + 1000);
		expect(result).toMatchObject({
			status: 'merged',
			counts: { added: 1, updated: 1, retired: 1 }
		});
		// Edited note: new text, same card, same scheduling, history kept.
		expect((await db.notes.get('deck/a'))?.fields.back).toBe('Leon Trotsky');
		expect(await db.cards.get('deck/a/0')).toEqual(graded);
		expect(await db.revlog.where('cardId').equals('deck/a/0').count()).toBe(1);
		// New note: a new card.
		expect(await db.cards.get('deck/d/0')).toMatchObject({ queue: Queue.New });
		// Removed note: retired, its cards suspended, its history kept.
		expect(await db.notes.get('deck/b')).toMatchObject({ retired: true });
		expect((await db.cards.get('deck/b/0'))?.queue).toBe(Queue.Suspended);
		expect((await db.cards.get('deck/b/1'))?.queue).toBe(Queue.Suspended);
		expect(await db.revlog.where('cardId').equals('deck/b/0').count()).toBe(1);
		expect((await db.decks.get('deck'))?.version).toBe(2);
	});

	it('restores a retired note that comes back, with its scheduling', async () => {
		await syncBuiltinDeck(db, v1, NOW);
		const graded = await gradeOnce('deck/b/0', NOW);
		await syncBuiltinDeck(db, recallDeck({ id: 'deck', version: 2, notes: [a, c] }), NOW + 1);
		await syncBuiltinDeck(db, recallDeck({ id: 'deck', version: 3, notes: [a, b, c] }), NOW + 2);
		const back = await db.cards.get('deck/b/0');
		expect(back).toMatchObject({ queue: graded.queue, state: graded.state, due: graded.due });
		expect((await db.notes.get('deck/b'))?.retired).toBeUndefined();
	});
});
