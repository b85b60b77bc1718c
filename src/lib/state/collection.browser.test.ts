import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bury } from '$lib/core/scheduling/card-actions';
import { recallDeck } from '$lib/core/testing/factories';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { Collection } from './collection.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
const offline = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
let db: RecallDb;

beforeEach(() => {
	db = freshDb();
	localStorage.removeItem('recall.had-reviews');
});
afterEach(async () => {
	localStorage.removeItem('recall.had-reviews');
	await dropDb(db);
});

describe('noticing lost data on start', () => {
	it('tells a fresh install from a collection whose reviews disappeared', async () => {
		const first = new Collection(
			() => db,
			() => NOW
		);
		await first.refresh(offline);
		expect(first.empty).toBe(true);
		expect(first.lost).toBe(false);

		await db.revlog.add({
			cardId: 'c',
			deckId: 'd',
			reviewedAt: NOW,
			rating: 3,
			state: 0,
			due: 0,
			stability: 1,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 1,
			durationMs: 0
		});
		const second = new Collection(
			() => db,
			() => NOW
		);
		await second.refresh(offline);
		expect(second.empty).toBe(false);

		// The browser deletes the database but not localStorage.
		await db.revlog.clear();
		const third = new Collection(
			() => db,
			() => NOW
		);
		await third.refresh(offline);
		expect(third.lost).toBe(true);
	});
});

describe('the deck list’s counts', () => {
	it('says how many cards are buried until tomorrow, subdecks included, once past burials are lifted', async () => {
		await syncBuiltinDeck(db, recallDeck({ id: 'p', title: 'P' }), NOW - 1000);
		await syncBuiltinDeck(db, recallDeck({ id: 'c', title: 'P::C' }), NOW - 1000);
		const [a, b] = await db.cards.where('deckId').equals('c').toArray();
		const [d] = await db.cards.where('deckId').equals('p').toArray();
		// Buried until tomorrow (by a sibling's answer, or by hand), and one whose day has passed.
		await db.cards.bulkPut([
			bury(a!, NOW + 3_600_000),
			bury(d!, NOW + 3_600_000),
			bury(b!, NOW - 1)
		]);
		const collection = new Collection(
			() => db,
			() => NOW
		);
		await collection.refresh(offline);
		const counts = Object.fromEntries(collection.decks.map((deck) => [deck.id, deck.counts]));
		// Each factory deck has 5 cards: a basic, a reversed pair and a cloze of two.
		expect(counts.c).toEqual({ new: 4, learning: 0, due: 0, buried: 1 });
		expect(counts.p).toEqual({ new: 8, learning: 0, due: 0, buried: 2 });
		expect((await db.cards.get(b!.id))?.queue).toBe(0);
	});
});
