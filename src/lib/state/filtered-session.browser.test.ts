import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue } from '$lib/core/model';
import { addDeck, addNote, patchCard, reviewState } from '$lib/storage/browse-testing';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { FilteredSession } from './filtered-session.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

let db: RecallDb;
let now = NOW;
const ids: Record<string, string> = {};

beforeEach(async () => {
	now = NOW;
	db = freshDb();
	const deck = await addDeck(db, 'Verbs', NOW - 30 * DAY);
	for (const [front, tags] of [
		['aller', ['verbs']],
		['être', ['verbs']],
		['avoir', ['verbs']],
		['chat', ['nouns']]
	] as const) {
		const { cards } = await addNote(
			db,
			deck.id,
			{ fields: { front, back: '?' }, tags: [...tags] },
			NOW
		);
		ids[front] = cards[0]!.id;
	}
	// "être" is due in three days (review ahead), "avoir" is suspended.
	await patchCard(db, ids['être']!, reviewState(NOW, 5, 8, 3));
	await patchCard(db, ids.avoir!, { queue: Queue.Suspended });
});

afterEach(async () => {
	await dropDb(db);
});

function session(query: string): FilteredSession {
	return new FilteredSession(query, { db: () => db, clock: () => now, timeZone: 'UTC' });
}

async function front(s: FilteredSession): Promise<string | undefined> {
	return s.note?.fields.front;
}

describe('studying the cards of a search', () => {
	it('studies only what the search found, due cards first, suspended ones left out', async () => {
		const s = session('tag:verbs');
		await s.start();
		expect(s.status).toBe('studying');
		expect(s.total).toBe(2);
		expect(await front(s)).toBe('être');
		s.reveal();
		await s.grade(3);
		expect(await front(s)).toBe('aller');
		// Reviewed ahead of time: a real review in the log, with the card's own preset.
		const [log] = await db.revlog.toArray();
		expect(log).toMatchObject({ cardId: ids['être'], rating: 3, state: CardState.Review });
		s.reveal();
		await s.grade(4);
		expect(s.status).toBe('finished');
		expect(s.done).toBe(2);
	});

	it('shows a card answered Again once its learning step is due', async () => {
		const s = session('aller');
		await s.start();
		s.reveal();
		await s.grade(1);
		// The one-minute step is within the learn-ahead window: shown again at once.
		expect(s.status).toBe('studying');
		expect(s.card?.state).toBe(CardState.Learning);
		expect(s.counts.learning).toBe(1);
		s.reveal();
		await s.grade(3);
		// The ten-minute step too; Good again graduates it.
		s.reveal();
		await s.grade(3);
		expect(s.status).toBe('finished');
		expect(await db.revlog.count()).toBe(3);
	});

	it('undoes the last answer and shows that card again', async () => {
		const s = session('tag:verbs');
		await s.start();
		s.reveal();
		await s.grade(3);
		await s.undo();
		expect(await db.revlog.count()).toBe(0);
		expect(await front(s)).toBe('être');
		expect(s.message).toBe('Undone.');
		s.reveal();
		await s.grade(3);
		expect(await front(s)).toBe('aller');
	});

	it('says when a search is wrong or finds nothing to study', async () => {
		const bad = session('(verbs');
		await bad.start();
		expect(bad.status).toBe('invalid');
		expect(bad.message).toMatch(/not closed/);
		const none = session('avoir');
		await none.start();
		expect(none.status).toBe('empty');
	});

	it('buries the other side of a note once one is answered, and undo brings it back', async () => {
		const deck = await db.decks.toCollection().first();
		const { cards } = await addNote(
			db,
			deck!.id,
			{ type: 'reversed', fields: { front: 'lire', back: 'to read' }, tags: ['pair'] },
			NOW
		);
		expect(cards).toHaveLength(2);
		const s = session('tag:pair');
		await s.start();
		expect(s.total).toBe(2);
		s.reveal();
		await s.grade(3);
		// A Good on a new card is a ten-minute step: nothing else to show but its sibling, buried.
		const sibling = cards.find((c) => c.id !== s.card?.id)!;
		expect((await db.cards.get(sibling.id))?.queue).toBe(Queue.Buried);
		expect(s.card?.id).not.toBe(sibling.id);
		await s.undo();
		expect((await db.cards.get(sibling.id))?.queue).toBe(Queue.New);
	});
});
