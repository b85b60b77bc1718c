import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import { checkDatabase, describeReport, RECOVERED_DECK_ID } from './check-db';
import type { RecallDb } from './db';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
let db: RecallDb;

beforeEach(async () => {
	db = freshDb();
	const notes = ['a', 'b', 'c', 'd'].map((id) => deckNote({ id }));
	await syncBuiltinDeck(db, recallDeck({ id: 'deck', notes }), NOW - 10_000);
});
afterEach(async () => {
	await dropDb(db);
});

async function grade(id: string, rating: 1 | 3, at: number) {
	const card = (await db.cards.get(id))!;
	const r = gradeCard(card, rating, DEFAULT_PRESET, at, { timeZone: 'UTC' });
	await saveGrade(db, card, r.card, r.log, null);
	return r.card;
}

describe('Check database', () => {
	it('finds nothing in a healthy collection and changes nothing', async () => {
		await grade('deck/a/0', 3, NOW - 5000);
		const before = await db.cards.toArray();
		const report = await checkDatabase(db, NOW, 'UTC');
		expect(Object.values(report).every((n) => n === 0)).toBe(true);
		expect(describeReport(report)).toBe('Database checked: no problems found.');
		expect(await db.cards.toArray()).toEqual(before);
	});

	it('repairs each kind of damage and reports the counts', async () => {
		const graded = await grade('deck/a/0', 3, NOW - 5000);
		await grade('deck/b/0', 1, NOW - 4000);
		// Damage: a card whose note is gone, a card in a deck that is gone, a note without
		// cards, a review of a missing card, an invalid due date, a card out of step with its log.
		await db.notes.delete('deck/c');
		await db.cards.update('deck/d/0', { deckId: 'gone' });
		await db.notes.put({ ...(await db.notes.get('deck/d'))!, id: 'deck/e', guid: 'deck/e' });
		await db.revlog.add({ ...(await db.revlog.toArray())[0]!, id: undefined, cardId: 'nowhere' });
		await db.cards.update('deck/b/0', { due: Number.NaN });
		await db.cards.update('deck/a/0', { reps: 7, state: 0 });

		const report = await checkDatabase(db, NOW, 'UTC');
		expect(report).toEqual({
			orphanCards: 1,
			cardsInMissingDecks: 1,
			notesWithoutCards: 1,
			orphanReviews: 1,
			invalidDates: 1,
			stateMismatches: 1,
			// Kept at write time: the removed review is taken off the tallies, nothing to recount.
			reviewTallies: 0
		});
		expect(await db.cards.get('deck/c/0')).toBeUndefined();
		expect((await db.cards.get('deck/d/0'))?.deckId).toBe(RECOVERED_DECK_ID);
		expect(await db.decks.get(RECOVERED_DECK_ID)).toMatchObject({ title: 'Recovered cards' });
		expect(await db.cards.get('deck/e/0')).toMatchObject({ state: 0, queue: 0 });
		expect(await db.revlog.where('cardId').equals('nowhere').count()).toBe(0);
		expect(Number.isFinite((await db.cards.get('deck/b/0'))!.due)).toBe(true);
		expect(await db.cards.get('deck/a/0')).toMatchObject({
			reps: graded.reps,
			state: graded.state
		});
		expect(describeReport(report)).toMatch(
			/1 card\(s\) without a note deleted.*1 card\(s\) rebuilt/
		);
		// A second check finds nothing left.
		expect(Object.values(await checkDatabase(db, NOW, 'UTC')).every((n) => n === 0)).toBe(true);
	});
});
