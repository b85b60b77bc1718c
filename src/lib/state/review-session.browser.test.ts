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

/**
 * Keeps a read-write transaction on the review log busy for `ms` (a request after another keeps
 * it from committing), so a grade's transaction waits behind it. Resolves with the log's count.
 */
function holdReviewLog(ms: number): Promise<number> {
	return db.transaction('rw', db.revlog, async () => {
		const until = performance.now() + ms;
		let count = await db.revlog.count();
		while (performance.now() < until) count = await db.revlog.count();
		return count;
	});
}

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

	it('shows the next card while the answer is written, and brings it back if the write fails', async () => {
		await deckWithSiblings();
		const session = new ReviewSession(db, 'mixed', () => NOW, 'UTC');
		await session.start();
		// Time for the next cards' notes to be read ahead, as while a person reads the card.
		await new Promise((resolve) => setTimeout(resolve, 500));
		const first = session.card!;
		// Another write holds the review log, so the answer's transaction has to wait.
		const held = holdReviewLog(300);
		session.reveal();
		const answered = session.grade(3);
		// On screen before the write is acknowledged (the summary counts saved answers only).
		await expect.poll(() => session.card?.id).not.toBe(first.id);
		expect(session.summary.cards).toBe(0);
		expect(await held).toBe(0);
		await answered;
		expect(session.summary.cards).toBe(1);
		expect(await db.revlog.count()).toBe(1);

		await new Promise((resolve) => setTimeout(resolve, 500));
		const second = session.card!;
		const add = db.revlog.add.bind(db.revlog);
		db.revlog.add = () => {
			throw quotaError(false);
		};
		const heldAgain = holdReviewLog(300);
		session.reveal();
		const failed = session.grade(3);
		await expect.poll(() => session.card?.id).not.toBe(second.id);
		await heldAgain;
		await failed;
		// Nothing was written: the answered card is back, revealed, with the reason.
		expect(session.card?.id).toBe(second.id);
		expect(session.revealed).toBe(true);
		expect(session.message).toBe(STORAGE_FULL_MESSAGE);
		expect(await db.revlog.count()).toBe(1);
		db.revlog.add = add;
		await session.grade(3);
		expect(await db.revlog.count()).toBe(2);
		expect(session.card?.id).not.toBe(second.id);
		session.dispose();
	});

	it('waits for an answer still being written before the next grade or an undo', async () => {
		await deckWithSiblings();
		const session = new ReviewSession(db, 'mixed', () => NOW, 'UTC');
		await session.start();
		await new Promise((resolve) => setTimeout(resolve, 500));
		let held = holdReviewLog(300);
		let shown = session.card!;
		session.reveal();
		const first = session.grade(3);
		await expect.poll(() => session.card?.id).not.toBe(shown.id);
		// The next card, answered at once: queued behind the first write, not dropped.
		session.reveal();
		const second = session.grade(4);
		await Promise.all([held, first, second]);
		expect((await db.revlog.toArray()).map((r) => r.rating)).toEqual([3, 4]);
		expect(session.summary.cards).toBe(2);

		// Undo pressed while an answer is still being written undoes that answer.
		await new Promise((resolve) => setTimeout(resolve, 500));
		held = holdReviewLog(300);
		shown = session.card!;
		session.reveal();
		const third = session.grade(2);
		await expect.poll(() => session.card?.id).not.toBe(shown.id);
		await Promise.all([held, third, session.undo()]);
		expect((await db.revlog.toArray()).map((r) => r.rating)).toEqual([3, 4]);
		expect(session.card?.id).toBe(shown.id);
		expect(session.summary.cards).toBe(2);
		session.dispose();
	});
});
