import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue } from '../core/model';
import { HOUR, makeCard, MIN } from '../core/scheduling/test-factories';
import { nextStudyDayStart } from '../core/scheduling/day';
import { addDeck } from './browse-testing';
import type { RecallDb } from './db';
import { readDeckTotals } from './deck-totals';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const TZ = 'UTC';

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

const review = (deckId: string, due: number) =>
	makeCard({ deckId, queue: Queue.Review, state: CardState.Review, due, stability: 5 });

describe('readDeckTotals', () => {
	it('counts each deck’s cards with its subdecks, suspended ones included', async () => {
		const parent = await addDeck(db, 'Red Army');
		const child = await addDeck(db, 'Red Army::Battles');
		const other = await addDeck(db, 'Red Army Songs');
		await db.cards.bulkPut([
			makeCard({ deckId: parent.id }),
			makeCard({ deckId: parent.id, queue: Queue.Suspended }),
			makeCard({ deckId: child.id }),
			makeCard({ deckId: other.id })
		]);
		const totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[parent.id]!.total).toBe(3);
		expect(totals[child.id]!.total).toBe(1);
		// "Red Army Songs" is not a subdeck of "Red Army".
		expect(totals[other.id]!.total).toBe(1);
	});

	it('names the first card due later as the next, across subdecks', async () => {
		const parent = await addDeck(db, 'Red Army');
		const child = await addDeck(db, 'Red Army::Battles');
		await db.cards.bulkPut([
			review(parent.id, NOW + 5 * HOUR),
			review(child.id, NOW + 3 * HOUR),
			makeCard({
				deckId: child.id,
				queue: Queue.Learning,
				state: CardState.Learning,
				due: NOW + 10 * MIN
			}),
			// Suspended cards never come back by themselves.
			makeCard({ deckId: parent.id, queue: Queue.Suspended, due: NOW + MIN })
		]);
		const totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[parent.id]!.nextDue).toBe(NOW + 10 * MIN);
		expect(totals[child.id]!.nextDue).toBe(NOW + 10 * MIN);
		const learning = (await db.cards.toArray()).filter((c) => c.queue === Queue.Learning);
		await db.cards.bulkDelete(learning.map((c) => c.id));
		const later = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(later[parent.id]!.nextDue).toBe(NOW + 3 * HOUR);
	});

	it('names the next study day when cards wait for it (new, over the limit, buried)', async () => {
		const deck = await addDeck(db, 'Red Army');
		const tomorrow = nextStudyDayStart(NOW, 4, TZ);
		await db.cards.bulkPut([makeCard({ deckId: deck.id }), review(deck.id, NOW + 30 * HOUR)]);
		let totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[deck.id]!.nextDue).toBe(tomorrow);

		await db.cards.clear();
		await db.cards.bulkPut([review(deck.id, NOW - HOUR), review(deck.id, NOW + 30 * HOUR)]);
		totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[deck.id]!.nextDue).toBe(tomorrow);

		await db.cards.clear();
		await db.cards.bulkPut([makeCard({ deckId: deck.id, queue: Queue.Buried })]);
		totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[deck.id]!.nextDue).toBe(tomorrow);
	});

	it('has no next time for an empty deck or one with every card suspended', async () => {
		const empty = await addDeck(db, 'Empty');
		const held = await addDeck(db, 'Held');
		await db.cards.put(makeCard({ deckId: held.id, queue: Queue.Suspended }));
		const totals = await readDeckTotals(db, await db.decks.toArray(), NOW, TZ);
		expect(totals[empty.id]).toEqual({ total: 0, nextDue: null });
		expect(totals[held.id]).toEqual({ total: 1, nextDue: null });
	});
});
