/** Faults during review: a full disk or a dropped connection loses nothing and is explained. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import { openDb, type RecallDb } from '$lib/storage/db';
import { STORAGE_FULL_MESSAGE } from '$lib/storage/health';
import { dropDb, freshDb } from '$lib/storage/testing';
import { ReviewSession } from './review-session.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
let db: RecallDb;

beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({ id: 'deck', notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })] }),
		NOW - 1000
	);
});
afterEach(async () => {
	await dropDb(db);
});

function quotaError(asAbortInner: boolean): Error {
	const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	if (!asAbortInner) return quota;
	return Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quota });
}

describe('a review session when storage fails', () => {
	it.each([
		['plain', false],
		['as AbortError.inner', true]
	])(
		'says "Storage is full" on a QuotaExceededError (%s), writes nothing, keeps working',
		async (_n, inner) => {
			const session = new ReviewSession(db, 'deck', () => NOW, 'UTC');
			await session.start();
			const shown = session.card!;
			const add = db.revlog.add.bind(db.revlog);
			db.revlog.add = () => {
				throw quotaError(inner);
			};
			session.reveal();
			await session.grade(3);
			expect(session.message).toBe(STORAGE_FULL_MESSAGE);
			expect(session.status).toBe('studying');
			expect(session.card?.id).toBe(shown.id);
			expect(await db.revlog.count()).toBe(0);
			expect(await db.cards.get(shown.id)).toEqual(shown);
			// Space freed: the same answer goes through.
			db.revlog.add = add;
			session.reveal();
			await session.grade(3);
			expect(await db.revlog.count()).toBe(1);
			expect(session.card?.id).not.toBe(shown.id);
		}
	);

	it('reopens a connection the browser closed and saves the grade', async () => {
		const session = new ReviewSession(db, 'deck', () => NOW, 'UTC');
		await session.start();
		db.close();
		session.reveal();
		await session.grade(3);
		expect(session.message).toBe('');
		expect(await db.revlog.count()).toBe(1);
	});
});

describe('two tabs studying the same deck', () => {
	it('never grades a card twice: the other tab moves on and both review rows are kept', async () => {
		const name = db.name;
		const other = openDb(name);
		const tabA = new ReviewSession(db, 'deck', () => NOW, 'UTC');
		const tabB = new ReviewSession(other, 'deck', () => NOW + 1000, 'UTC');
		await tabA.start();
		await tabB.start();
		expect(tabB.card?.id).toBe(tabA.card?.id);
		const card = tabA.card!.id;
		tabA.reveal();
		await tabA.grade(3);
		// Tab B notices through liveQuery and shows the next card instead of the stale one.
		await expect.poll(() => tabB.card?.id).not.toBe(card);
		expect(tabB.message).toContain('answered in another tab');
		tabB.reveal();
		await tabB.grade(3);
		expect(await db.revlog.count()).toBe(2);
		expect(new Set((await db.revlog.toArray()).map((r) => r.cardId)).size).toBe(2);
		tabA.dispose();
		tabB.dispose();
		other.close();
	});

	it('refuses a grade from a stale copy even if the update has not arrived yet', async () => {
		const other = openDb(db.name);
		const tabA = new ReviewSession(db, 'deck', () => NOW, 'UTC');
		const tabB = new ReviewSession(other, 'deck', () => NOW + 1000, 'UTC');
		await tabA.start();
		await tabB.start();
		tabB.dispose(); // deaf to other tabs: only the rev check protects it
		tabA.reveal();
		await tabA.grade(4);
		tabB.reveal();
		await tabB.grade(1);
		expect(await db.revlog.count()).toBe(1);
		expect(tabB.message).toMatch(/changed elsewhere/);
		tabA.dispose();
		other.close();
	});
});

describe('the queue in memory', () => {
	async function deckWithSiblings(): Promise<void> {
		await syncBuiltinDeck(
			db,
			recallDeck({
				id: 'mixed',
				title: 'Mixed',
				notes: [
					deckNote({ id: 'p', type: 'reversed' }),
					deckNote({ id: 'c', type: 'cloze', text: '{{c1::one}} and {{c2::two}}' }),
					...Array.from({ length: 10 }, (_, i) => deckNote({ id: `m${i}` }))
				]
			}),
			NOW - 1000
		);
	}

	it('shows the card and counts a fresh session would, after every answer', async () => {
		await deckWithSiblings();
		let now = NOW;
		const session = new ReviewSession(db, 'mixed', () => now, 'UTC');
		await session.start();
		const pattern = [3, 1, 3, 4, 2, 3, 1, 3, 3, 3, 4, 3] as const;
		for (let i = 0; i < 30 && session.status === 'studying'; i++) {
			session.reveal();
			now += 45_000;
			await session.grade(pattern[i % pattern.length]!);
			const fresh = new ReviewSession(db, 'mixed', () => now, 'UTC');
			await fresh.start();
			expect(session.counts, `after answer ${i + 1}`).toEqual(fresh.counts);
			expect(session.card?.id, `after answer ${i + 1}`).toBe(fresh.card?.id);
			expect(session.status).toBe(fresh.status);
			fresh.dispose();
		}
		expect(session.summary.cards).toBeGreaterThan(12);
		session.dispose();
	});

	it('reads the queue from IndexedDB at the start, not once per answer', async () => {
		await deckWithSiblings();
		const session = new ReviewSession(db, 'mixed', () => NOW, 'UTC');
		await session.start();
		let queueReads = 0;
		const where = db.cards.where.bind(db.cards);
		db.cards.where = ((index: string) => {
			if (index === '[deckId+queue+due]') queueReads++;
			return where(index);
		}) as typeof db.cards.where;
		// Within the daily limits every new card was read: burying a sibling leaves no gap.
		for (let i = 0; i < 5; i++) {
			session.reveal();
			await session.grade(3);
		}
		expect(queueReads).toBe(0);
		session.dispose();
	});

	it('comes back when a learning card falls due after the session ran out', async () => {
		await syncBuiltinDeck(
			db,
			recallDeck({ id: 'one', title: 'One', notes: [deckNote({ id: 'only' })] }),
			NOW - 1000
		);
		// A 30-minute step is beyond the 20-minute learn-ahead: the session runs out meanwhile.
		await db.presets.put(createDefaultPreset({ learningSteps: [30] }));
		let now = NOW;
		const session = new ReviewSession(db, 'one', () => now, 'UTC');
		await session.start();
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			session.reveal();
			await session.grade(1);
			expect(session.status).toBe('finished');
			expect(session.nextDue).toBe(NOW + 30 * 60_000);
			now += 31 * 60_000;
			vi.advanceTimersByTime(31 * 60_000);
		} finally {
			vi.useRealTimers();
		}
		await expect.poll(() => session.status).toBe('studying');
		expect(session.card?.id).toBe('one/only/0');
		session.dispose();
	});
});
