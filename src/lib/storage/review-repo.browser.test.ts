import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue, type Card } from '../core/model';
import { DEFAULT_PRESET, createDefaultPreset } from '../core/scheduling/preset';
import { buryOptions } from '../core/scheduling/card-actions';
import { studyDayNumber } from '../core/scheduling/day';
import { gradeCard } from '../core/scheduling/scheduler';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { SessionQueue } from '../core/scheduling/session-queue';
import {
	dueHistogram,
	LEARNING_READ,
	loadCandidates,
	loadTreeCandidates,
	saveGrade,
	StaleCardError,
	undoGrade,
	unburyDue,
	watchDeckReviews
} from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = { start: Date.UTC(2026, 10, 23, 4), end: Date.UTC(2026, 10, 24, 4) };
const TOMORROW = DAY.end;

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	const notes = [
		deckNote({ id: 'pair', type: 'reversed' }),
		...Array.from({ length: 30 }, (_, i) => deckNote({ id: `n${i}` }))
	];
	await syncBuiltinDeck(db, recallDeck({ id: 'deck', notes }), NOW - 1000);
});
afterEach(async () => {
	await dropDb(db);
});

async function card(id: string): Promise<Card> {
	return (await db.cards.get(id))!;
}

describe('the review queue from IndexedDB', () => {
	it('offers new cards in deck order up to the daily limit', async () => {
		const c = await loadCandidates(db, 'deck', DEFAULT_PRESET, DAY);
		expect(c.newCards).toHaveLength(20);
		expect(c.newCards.slice(0, 3).map((x) => x.id)).toEqual([
			'deck/pair/0',
			'deck/pair/1',
			'deck/n0/0'
		]);
		expect(c.limits).toEqual({ newLeft: 20, reviewsLeft: 200 });
	});

	it("counts today's new cards against the limit from the review log", async () => {
		for (const id of ['deck/n0/0', 'deck/n1/0']) {
			const before = await card(id);
			const r = gradeCard(before, 4, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
			await saveGrade(db, before, r.card, r.log, null);
		}
		const c = await loadCandidates(db, 'deck', createDefaultPreset({ newPerDay: 5 }), DAY);
		expect(c.limits.newLeft).toBe(3);
		expect(c.newCards).toHaveLength(3);
	});

	it('shows a learning card when due and says when the next one is', async () => {
		const before = await card('deck/n0/0');
		const r = gradeCard(before, 1, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, before, r.card, r.log, null);
		const c = await loadCandidates(db, 'deck', DEFAULT_PRESET, DAY);
		// Every (re)learning card due today is read; the session's queue decides when it shows.
		expect(c.learning.map((x) => x.id)).toEqual(['deck/n0/0']);
		expect(c.learningUnread).toBe(0);
		expect(c.learningHorizon).toBeNull();
		const queue = new SessionQueue(c, DEFAULT_PRESET, DAY.end, 'UTC');
		// One minute away: within learn-ahead, but new cards come first.
		expect(queue.next(NOW).card?.id).not.toBe('deck/n0/0');
		expect(queue.next(r.card.due).card?.id).toBe('deck/n0/0');
	});

	it('reads a large learning pile a slice at a time, counting the rest', async () => {
		const cards = await db.cards.where('deckId').equals('deck').toArray();
		const pile = cards.slice(0, 2).map((c, i) => ({
			...c,
			queue: Queue.Learning,
			state: 1 as const,
			due: NOW - 1000 + i
		}));
		await db.cards.bulkPut(pile);
		const many = Array.from({ length: LEARNING_READ + 25 }, (_, i) => ({
			...pile[0]!,
			id: `extra/${i}`,
			noteId: `extra-note-${i}`,
			due: NOW + i * 1000
		}));
		await db.cards.bulkAdd(many);
		const c = await loadCandidates(db, 'deck', DEFAULT_PRESET, DAY);
		expect(c.learning).toHaveLength(LEARNING_READ);
		expect(c.learningUnread).toBe(2 + LEARNING_READ + 25 - LEARNING_READ);
		expect(c.learningHorizon).toBe(c.learning.at(-1)!.due);
		const queue = new SessionQueue(c, DEFAULT_PRESET, DAY.end, 'UTC');
		const step = queue.next(NOW);
		expect(step.card?.id).toBe(pile[0]!.id);
		expect(step.counts.learning).toBe(2 + LEARNING_READ + 25);
		expect(step.stale).toBe(false);
	});
});

describe('a grade is one transaction', () => {
	it('writes the card and its review-log row together', async () => {
		const before = await card('deck/n0/0');
		const r = gradeCard(before, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC', durationMs: 4200 });
		const record = await saveGrade(db, before, r.card, r.log, TOMORROW);
		expect(await card('deck/n0/0')).toEqual(r.card);
		expect(await db.revlog.get(record.logId)).toMatchObject({
			cardId: 'deck/n0/0',
			rating: 3,
			state: 0,
			durationMs: 4200
		});
	});

	it('writes neither when the transaction fails part-way', async () => {
		const before = await card('deck/n0/0');
		const r = gradeCard(before, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		// A review-log row that IndexedDB cannot store (a function is not cloneable) aborts it all.
		const bad = { ...r.log, durationMs: (() => 0) as unknown as number };
		await expect(saveGrade(db, before, r.card, bad, TOMORROW)).rejects.toThrow();
		expect(await card('deck/n0/0')).toEqual(before);
		expect(await db.revlog.count()).toBe(0);
	});

	it('refuses to grade from a stale copy of the card (another tab graded it)', async () => {
		const stale = await card('deck/n0/0');
		const r1 = gradeCard(stale, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, stale, r1.card, r1.log, null);
		const r2 = gradeCard(stale, 1, DEFAULT_PRESET, NOW + 5, { timeZone: 'UTC' });
		await expect(saveGrade(db, stale, r2.card, r2.log, null)).rejects.toBeInstanceOf(
			StaleCardError
		);
		expect(await card('deck/n0/0')).toEqual(r1.card);
		expect(await db.revlog.count()).toBe(1);
	});

	it('buries the other side of a reversed note until the next study day', async () => {
		const before = await card('deck/pair/0');
		const r = gradeCard(before, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		const record = await saveGrade(db, before, r.card, r.log, TOMORROW);
		expect(record.buried.map((c) => c.id)).toEqual(['deck/pair/1']);
		expect(await card('deck/pair/1')).toMatchObject({ queue: Queue.Buried, buriedUntil: TOMORROW });
		const today = await loadCandidates(db, 'deck', DEFAULT_PRESET, DAY);
		expect(today.newCards.map((c) => c.id)).not.toContain('deck/pair/1');
		expect(await unburyDue(db, 'deck', NOW)).toBe(0);
		expect(await unburyDue(db, 'deck', TOMORROW)).toBe(1);
		expect((await card('deck/pair/1')).queue).toBe(Queue.New);
	});

	it("leaves the other side in today's study when the preset does not bury new siblings", async () => {
		const before = await card('deck/pair/0');
		const preset = createDefaultPreset({ buryNew: false });
		const r = gradeCard(before, 3, preset, NOW, { timeZone: 'UTC' });
		const record = await saveGrade(db, before, r.card, r.log, TOMORROW, buryOptions(preset));
		expect(record.buried).toEqual([]);
		expect((await card('deck/pair/1')).queue).toBe(Queue.New);
	});

	it('undo is the exact inverse: card, review log and buried siblings as before', async () => {
		const before = await card('deck/pair/0');
		const sibling = await card('deck/pair/1');
		const logsBefore = await db.revlog.count();
		const r = gradeCard(before, 1, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		const record = await saveGrade(db, before, r.card, r.log, TOMORROW);
		await undoGrade(db, record);
		expect(await card('deck/pair/0')).toEqual(before);
		expect(await card('deck/pair/1')).toEqual(sibling);
		expect(await db.revlog.count()).toBe(logsBefore);
	});
});

describe('a deck with subdecks', () => {
	it('studies the parent with its subdecks, within the parent’s daily limits', async () => {
		await syncBuiltinDeck(
			db,
			recallDeck({
				id: 'child',
				title: 'Test deck::Child',
				notes: [deckNote(), deckNote(), deckNote()]
			}),
			NOW - 1000
		);
		await db.presets.put(createDefaultPreset({ id: 'small', name: 'Small', newPerDay: 4 }));
		await db.decks.update('deck', { presetId: 'small' });
		const tree = await loadTreeCandidates(db, 'deck', DAY);
		expect(tree.limits.newLeft).toBe(4);
		// The parent's own cards are capped by its preset (4), the child's by the default (20).
		expect(tree.newCards.filter((c) => c.deckId === 'deck')).toHaveLength(4);
		expect(tree.newCards.filter((c) => c.deckId === 'child')).toHaveLength(3);
		const child = await loadTreeCandidates(db, 'child', DAY);
		expect(child.newCards.map((c) => c.deckId)).toEqual(['child', 'child', 'child']);
	});
});

describe('the load-balancing histogram', () => {
	it('counts the cards due on each study day, in the study day of the time zone', async () => {
		const all = await db.cards.where('deckId').equals('deck').toArray();
		const HOUR = 3_600_000;
		// Day starts at 04:00 New York (09:00 UTC in November): 08:59 UTC tomorrow is still today.
		const dues = [NOW + HOUR, NOW + 20 * HOUR + 59 * 60_000, NOW + 21 * HOUR, NOW + 3 * 86_400_000];
		await db.cards.bulkPut(dues.map((due, i) => ({ ...all[i]!, queue: Queue.Review, due })));
		const histogram = await dueHistogram(db, NOW, 10, 4, 'America/New_York');
		const today = studyDayNumber(NOW, 4, 'America/New_York');
		expect(Object.fromEntries(histogram)).toEqual({
			[today]: 2,
			[today + 1]: 1,
			[today + 3]: 1
		});
		// Cards due before `from` (overdue) and after the window are not counted.
		const later = await dueHistogram(db, NOW + 2 * HOUR, 2, 4, 'America/New_York');
		expect(Object.fromEntries(later)).toEqual({ [today]: 1, [today + 1]: 1 });
	});
});

describe('watching a deck’s reviews (other tabs’ answers)', () => {
	it('reports a failed query and subscribes again, instead of ending the watch in silence', async () => {
		const where = db.revlog.where.bind(db.revlog);
		let failing = true;
		db.revlog.where = ((index: string) => {
			if (!failing) return where(index);
			const lost = { count: () => Promise.reject(new Error('connection lost')) };
			return { between: () => lost };
		}) as typeof db.revlog.where;
		const counts: number[] = [];
		const errors: string[] = [];
		const stop = watchDeckReviews(
			db,
			'deck',
			0,
			(n) => counts.push(n),
			(e, { final }) => {
				errors.push(`${(e as Error).message}${final ? ' (final)' : ''}`);
				failing = false;
			}
		);
		try {
			await expect.poll(() => errors, { timeout: 5000 }).toEqual(['connection lost']);
			// Subscribed again: it sees the count, and a review added afterwards.
			await expect.poll(() => counts, { timeout: 5000 }).toEqual([0]);
			const card = (await db.cards.toArray())[0]!;
			const { log } = gradeCard(card, 3, createDefaultPreset(), NOW);
			await db.revlog.add(log);
			await expect.poll(() => counts, { timeout: 5000 }).toEqual([0, 1]);
		} finally {
			stop();
			db.revlog.where = where;
		}
	});
});
