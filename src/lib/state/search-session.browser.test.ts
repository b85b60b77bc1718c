/** A review session over the cards a search found ("Study these", custom study). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue } from '$lib/core/model';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { parseSearch } from '$lib/core/search';
import { browseCache, dropBrowseCache } from '$lib/storage/browse-cache';
import { streamSearch } from '$lib/storage/browse-repo';
import { addDeck, addNote, patchCard, reviewState } from '$lib/storage/browse-testing';
import { openDb, type RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { ReviewSession } from './review-session.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;
const MIN = 60_000;

let db: RecallDb;
let now = NOW;
const ids: Record<string, string> = {};
const sessions: ReviewSession[] = [];

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
	for (const s of sessions.splice(0)) s.dispose();
	await dropDb(db);
});

function session(query: string, database = db, clock = () => now): ReviewSession {
	const s = new ReviewSession(database, { search: query }, clock, 'UTC');
	sessions.push(s);
	return s;
}

const front = (s: ReviewSession) => s.note?.fields.front;

describe('studying the cards of a search', () => {
	it('studies only what the search found, due cards first, suspended ones left out', async () => {
		const s = session('tag:verbs');
		await s.start();
		expect(s.status).toBe('studying');
		expect(s.found).toEqual({ total: 2, answered: 0 });
		// The review ahead counts as a review, the new card as new (as a deck's counts show them).
		expect(s.counts).toEqual({ new: 1, learning: 0, review: 1 });
		expect(front(s)).toBe('être');
		s.reveal();
		await s.grade(3);
		expect(front(s)).toBe('aller');
		// Reviewed ahead of time: a real review in the log.
		const [log] = await db.revlog.toArray();
		expect(log).toMatchObject({ cardId: ids['être'], rating: 3, state: CardState.Review });
		s.reveal();
		await s.grade(4);
		expect(s.status).toBe('finished');
		expect(s.found).toEqual({ total: 2, answered: 2 });
		expect(s.summary.cards).toBe(2);
	});

	it('shows a card answered Again once its learning step is due', async () => {
		const s = session('aller');
		await s.start();
		s.reveal();
		await s.grade(1);
		// The one-minute step is within the learn-ahead window: shown again at once.
		expect(s.status).toBe('studying');
		expect(s.card?.state).toBe(CardState.Learning);
		expect(s.counts).toEqual({ new: 0, learning: 1, review: 0 });
		s.reveal();
		await s.grade(3);
		// The ten-minute step too; Good again graduates it.
		s.reveal();
		await s.grade(3);
		expect(s.status).toBe('finished');
		expect(s.found).toEqual({ total: 1, answered: 1 });
		expect(await db.revlog.count()).toBe(3);
	});

	it('comes back to a learning step beyond the learn-ahead window when it is due', async () => {
		await db.presets.put(createDefaultPreset({ learningSteps: [30] }));
		const s = session('aller');
		await s.start();
		s.reveal();
		await s.grade(1);
		expect(s.status).toBe('finished');
		expect(s.nextDue).toBe(NOW + 30 * MIN);
		now += 31 * MIN;
		// As the wake-up timer does: a fresh look at the queue.
		const again = session('aller');
		await again.start();
		expect(again.status).toBe('studying');
		expect(again.card?.id).toBe(ids.aller);
	});

	it('undoes the last answer and shows that card again', async () => {
		const s = session('tag:verbs');
		await s.start();
		s.reveal();
		await s.grade(3);
		await s.undo();
		expect(await db.revlog.count()).toBe(0);
		expect(front(s)).toBe('être');
		expect(s.message).toBe('Undone.');
		expect(s.found.answered).toBe(0);
		s.reveal();
		await s.grade(3);
		expect(front(s)).toBe('aller');
	});

	it('says when a search is wrong or finds nothing to study', async () => {
		const bad = session('(verbs');
		await bad.start();
		expect(bad.status).toBe('invalid');
		expect(bad.message).toMatch(/not closed/);
		const none = session('avoir');
		await none.start();
		expect(none.status).toBe('empty');
		expect(none.found.total).toBe(0);
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
		expect(s.found.total).toBe(2);
		s.reveal();
		await s.grade(3);
		// A Good on a new card is a ten-minute step: nothing else to show but its sibling, buried.
		const sibling = cards.find((c) => c.id !== s.card?.id)!;
		expect((await db.cards.get(sibling.id))?.queue).toBe(Queue.Buried);
		expect(s.card?.id).not.toBe(sibling.id);
		expect(s.counts).toEqual({ new: 0, learning: 1, review: 0 });
		await s.undo();
		expect((await db.cards.get(sibling.id))?.queue).toBe(Queue.New);
		expect(s.counts).toEqual({ new: 2, learning: 0, review: 0 });
	});

	it('suspends, buries and resets the card on screen, each undone', async () => {
		const s = session('tag:verbs');
		await s.start();
		expect(front(s)).toBe('être');
		await s.act('suspendCard');
		expect(s.message).toBe('Card suspended.');
		expect((await db.cards.get(ids['être']!))?.queue).toBe(Queue.Suspended);
		expect(front(s)).toBe('aller');
		expect(s.counts).toEqual({ new: 1, learning: 0, review: 0 });
		await s.undo();
		expect(front(s)).toBe('être');
		expect((await db.cards.get(ids['être']!))?.queue).toBe(Queue.Review);
		await s.act('forget');
		expect(s.message).toBe('Card reset to new.');
		// A card reset to new has had its turn: it leaves the search's queue.
		expect(front(s)).toBe('aller');
		await s.undo();
		expect(front(s)).toBe('être');
		await s.act('buryCard');
		expect((await db.cards.get(ids['être']!))?.queue).toBe(Queue.Buried);
		expect(front(s)).toBe('aller');
	});

	it('skips a found card another tab answered or suspended meanwhile', async () => {
		const deck = await db.decks.toCollection().first();
		const { cards } = await addNote(
			db,
			deck!.id,
			{ fields: { front: 'faire', back: '?' }, tags: ['verbs'] },
			NOW
		);
		const s = session('tag:verbs');
		await s.start();
		// Time for the next cards to be read ahead, as while a person reads the card.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(front(s)).toBe('être');
		const other = openDb(db.name);
		const tab = session('tag:verbs', other, () => now + 1000);
		await tab.start();
		// The other tab answers "être" and suspends "aller", the next card here.
		tab.reveal();
		await tab.grade(4);
		expect(front(tab)).toBe('aller');
		await tab.act('suspendCard');
		tab.dispose();
		other.close();
		// This tab's grade of the stale copy is refused, and "aller" is not shown either.
		s.reveal();
		await s.grade(3);
		expect(s.message).toMatch(/changed elsewhere/);
		expect(s.card?.id).toBe(cards[0]!.id);
		expect(await db.revlog.count()).toBe(1);
	});
});

describe('each card graded with its own deck’s preset', () => {
	it('uses the found card’s home deck preset, not the default one', async () => {
		await db.presets.put(createDefaultPreset({ id: 'slow', name: 'Slow', learningSteps: [7] }));
		const deck = await addDeck(db, 'Nouns', NOW - 30 * DAY);
		await db.decks.update(deck.id, { presetId: 'slow' });
		const { cards } = await addNote(
			db,
			deck.id,
			{ fields: { front: 'chien', back: '?' }, tags: ['animals'] },
			NOW
		);
		const s = session('tag:animals');
		await s.start();
		expect(s.preset?.id).toBe('slow');
		expect(s.previews?.[1].intervalMs).toBe(7 * MIN);
		s.reveal();
		await s.grade(1);
		expect((await db.cards.get(cards[0]!.id))?.due).toBe(NOW + 7 * MIN);
	});

	it('uses a subdeck’s own preset when its parent deck is studied', async () => {
		await db.presets.put(createDefaultPreset({ id: 'slow', name: 'Slow', learningSteps: [7] }));
		const parent = await addDeck(db, 'Lang', NOW - 30 * DAY);
		const child = await addDeck(db, 'Lang::Fr', NOW - 30 * DAY);
		await db.decks.update(child.id, { presetId: 'slow' });
		const { cards } = await addNote(db, child.id, { fields: { front: 'eau', back: '?' } }, NOW);
		const s = new ReviewSession(db, parent.id, () => now, 'UTC');
		sessions.push(s);
		await s.start();
		expect(s.card?.id).toBe(cards[0]!.id);
		expect(s.preset?.id).toBe('slow');
		s.reveal();
		await s.grade(1);
		expect((await db.cards.get(cards[0]!.id))?.due).toBe(NOW + 7 * MIN);
	});

	it("finds its cards in the browser's copy of the collection when a search filled it", async () => {
		// The browser searched everything before "Study these": its copy holds every note. (Words
		// alone are matched on the stored search texts while the copy is empty: a `-` term reads all.)
		await streamSearch(db, parseSearch('a -tag:no-such-tag'), { now, timeZone: 'UTC' });
		expect(browseCache(db).complete).toBe(true);
		let noteReads = 0;
		const where = db.notes.where.bind(db.notes);
		const toCollection = db.notes.toCollection.bind(db.notes);
		db.notes.where = ((index: string) => {
			noteReads++;
			return where(index);
		}) as typeof db.notes.where;
		db.notes.toCollection = (() => {
			noteReads++;
			return toCollection();
		}) as typeof db.notes.toCollection;
		const s = session('aller OR être');
		await s.start();
		expect(s.found.total).toBe(2);
		expect(front(s)).toBe('être');
		// A plain-word search over every note, answered from memory: no scan of the notes.
		expect(noteReads).toBe(0);
		dropBrowseCache(db);
	});
});
