/**
 * The deck list's numbers are the study session's numbers: over generated collections in real
 * IndexedDB (a parent deck with a subdeck, limits partly used by today's reviews, new, review
 * and learning cards), each deck's row in the deck list says what a session on that deck starts
 * with.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type RevlogEntry } from '$lib/core/model';
import { seededRandom } from '$lib/core/random';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import type { RecallDb } from '$lib/storage/db';
import { savePreset } from '$lib/storage/presets';
import { dropDb, freshDb } from '$lib/storage/testing';
import { Collection } from './collection.svelte';
import { ReviewSession } from './review-session.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
const MIN = 60_000;
const DAY = 86_400_000;
const offline = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
let db: RecallDb;

beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	localStorage.removeItem('recall.had-reviews');
	await dropDb(db);
});

function log(card: Card, state: CardState, at: number): RevlogEntry {
	return {
		cardId: card.id,
		deckId: card.deckId,
		reviewedAt: at,
		rating: 3,
		state,
		due: at + DAY,
		stability: 5,
		difficulty: 5,
		elapsedDays: 1,
		scheduledDays: 1,
		durationMs: 1000
	};
}

/** Deck P and its subdeck P::C, each with cards in every state, and limits partly used today. */
async function seed(seed: number): Promise<void> {
	const random = seededRandom(seed);
	const int = (max: number) => Math.floor(random() * (max + 1));
	for (const [id, presetId] of [
		['p', 'pp'],
		['c', 'pc']
	] as const) {
		await savePreset(
			db,
			createDefaultPreset({
				id: presetId,
				name: presetId,
				newPerDay: int(25),
				reviewsPerDay: 1 + int(30)
			})
		);
		await syncBuiltinDeck(
			db,
			recallDeck({
				id,
				title: id === 'p' ? 'P' : 'P::C',
				notes: Array.from({ length: 10 + int(30) }, () => deckNote())
			}),
			NOW - DAY
		);
		await db.decks.update(id, { presetId });
	}
	const cards = await db.cards.toArray();
	const changed: Card[] = [];
	const logs: RevlogEntry[] = [];
	for (const card of cards) {
		const r = random();
		if (r < 0.45) {
			changed.push({
				...card,
				state: CardState.Review,
				queue: Queue.Review,
				stability: 10,
				difficulty: 5,
				reps: 3,
				scheduledDays: 5,
				lastReview: NOW - 6 * DAY,
				due: NOW - int(3) * DAY
			});
		} else if (r < 0.55) {
			changed.push({
				...card,
				state: CardState.Learning,
				queue: Queue.Learning,
				stability: 2,
				difficulty: 5,
				reps: 1,
				learningSteps: 1,
				lastReview: NOW - 10 * MIN,
				due: NOW + [-5, 10, 90][int(2)]! * MIN
			});
		}
		// Today's answers, which use up the limits (new and review cards studied this morning).
		if (random() < 0.15)
			logs.push(log(card, random() < 0.5 ? CardState.New : CardState.Review, NOW - 2 * 3_600_000));
	}
	await db.cards.bulkPut(changed);
	await db.revlog.bulkAdd(logs);
}

describe('the deck list counts as the study session does', () => {
	it.each(Array.from({ length: 8 }, (_, i) => i + 1))(
		'generated collection %i: every deck’s row equals its session’s counts',
		async (n) => {
			await seed(n);
			const collection = new Collection(
				() => db,
				() => NOW
			);
			await collection.refresh(offline);
			expect(collection.error).toBe('');
			expect(collection.decks.map((d) => d.id)).toEqual(['p', 'c']);
			for (const deck of collection.decks) {
				const session = new ReviewSession(db, deck.id, () => NOW, undefined);
				try {
					await session.start();
					const { new: fresh, learning, review } = session.counts;
					expect({ new: fresh, learning, due: review }, deck.title).toEqual({
						new: deck.counts!.new,
						learning: deck.counts!.learning,
						due: deck.counts!.due
					});
				} finally {
					session.dispose();
				}
			}
		}
	);

	it('5 reviews left with 5 due and 20 new cards: 0 new, on both', async () => {
		await savePreset(db, createDefaultPreset({ id: 'tight', name: 'Tight', reviewsPerDay: 5 }));
		await syncBuiltinDeck(
			db,
			recallDeck({ id: 'd', title: 'D', notes: Array.from({ length: 25 }, () => deckNote()) }),
			NOW - DAY
		);
		await db.decks.update('d', { presetId: 'tight' });
		const cards = await db.cards.toArray();
		await db.cards.bulkPut(
			cards.slice(0, 5).map((c) => ({
				...c,
				state: CardState.Review,
				queue: Queue.Review,
				stability: 10,
				difficulty: 5,
				reps: 3,
				scheduledDays: 5,
				lastReview: NOW - 6 * DAY,
				due: NOW - DAY
			}))
		);
		const collection = new Collection(
			() => db,
			() => NOW
		);
		await collection.refresh(offline);
		expect(collection.decks[0]?.counts).toEqual({ new: 0, learning: 0, due: 5, buried: 0 });
		const session = new ReviewSession(db, 'd', () => NOW, undefined);
		await session.start();
		expect(session.counts).toEqual({ new: 0, learning: 0, review: 5 });
		session.dispose();
	});
});
