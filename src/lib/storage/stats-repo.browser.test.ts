import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardState, Queue, type Card } from '../core/model';
import { startOfStudyDay, studyDayNumber } from '../core/scheduling/day';
import { HISTORY_DAYS, reviewStats, tallyReview, type ReviewTally } from '../core/stats';
import { makeCard } from '../core/scheduling/test-factories';
import { CTX, DAY_START, NOW, TZ, knownLog, revlogRow } from '../core/stats/test-factories';
import type { RecallDb } from './db';
import { ensureDefaultPreset } from './presets';
import { listDecks, loadCardStats, loadReviewStats, type StatsQuery } from './stats-repo';
import { dropDb, freshDb } from './testing';
import { seedCollection } from './testing-seed';

const DAY = 86_400_000;
const all: StatsQuery = { deckId: null, now: NOW, timeZone: TZ };
const rates = (s: { retention: { total: { rate: number | null } }[] }) =>
	s.retention.map((r) => r.total.rate);

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	await ensureDefaultPreset(db);
	const deck = { description: '', origin: 'user' as const, version: 0, presetId: 'default' };
	await db.decks.bulkAdd([
		{ ...deck, id: 'deck', title: 'Zoology', createdAt: 0 },
		{ ...deck, id: 'other', title: 'Art', createdAt: 0 }
	]);
});
afterEach(async () => {
	await dropDb(db);
});

describe('review statistics from IndexedDB', () => {
	it('gives the known numbers for a known review log', async () => {
		await db.revlog.bulkAdd(knownLog());
		const s = await loadReviewStats(db, all);
		expect(s.today).toMatchObject({ reviews: 5, cards: 4, timeMs: 39_000, againRate: 0.4 });
		expect(rates(s)).toEqual([0.5, 2 / 3, 2 / 3, 4 / 7, 5 / 8]);
		expect(s.heatmap).toMatchObject({ total: 13, activeDays: 5, max: 5 });
		expect(s.streak).toMatchObject({ current: 2, studiedToday: true });
		expect(DAY_START).toBe(CTX.dayStartHour);
	});

	it('reads one deck from the [deckId+reviewedAt] index', async () => {
		await db.revlog.bulkAdd([
			...knownLog(),
			revlogRow({ deckId: 'other', day: 0, rating: 1, interval: 40 }),
			revlogRow({ deckId: 'other', day: -2, rating: 3, interval: 40 })
		]);
		const other = await loadReviewStats(db, { ...all, deckId: 'other' });
		expect(other.today.reviews).toBe(1);
		expect(other.heatmap.total).toBe(2);
		expect(other.retention.at(-1)!.mature).toEqual({ passed: 1, failed: 1, rate: 0.5 });
		expect((await loadReviewStats(db, { ...all, deckId: 'deck' })).heatmap.total).toBe(13);
		expect((await loadReviewStats(db, all)).heatmap.total).toBe(15);
	});

	it('counts new answers and imported history at once, from the tallies kept at write time', async () => {
		await db.revlog.bulkAdd(knownLog());
		await loadReviewStats(db, all);
		await db.revlog.bulkAdd([
			revlogRow({ day: 0, rating: 3, interval: 30 }),
			revlogRow({ day: -50, rating: 1, interval: 2 })
		]);
		const s = await loadReviewStats(db, all);
		expect(rates(s)).toEqual([2 / 3, 2 / 3, 5 / 7, 5 / 8, 6 / 10]);
		expect(s.heatmap.total).toBe(15);
		expect(await db.meta.count()).toBe(0);
	});

	it('takes a deleted past review away', async () => {
		await db.revlog.bulkAdd(knownLog());
		await loadReviewStats(db, all);
		const yesterday = await db.revlog
			.where('reviewedAt')
			.between(NOW - 2 * DAY, NOW - DAY)
			.toArray();
		await db.revlog.bulkDelete(yesterday.map((r) => r.id!));
		const s = await loadReviewStats(db, all);
		expect(s.retention[1]!.total.rate).toBeNull();
		expect(s.heatmap.total).toBe(10);
		expect(s.streak.current).toBe(1);
	});

	it('notices tallies that disagree with a count of the log and recounts the year shown', async () => {
		await db.revlog.bulkAdd(knownLog());
		const right = await loadReviewStats(db, all);
		// Tallies lost behind the middleware's back (as if written by a bug).
		await db.reviewTallies.clear();
		const shares: number[] = [];
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			expect(await loadReviewStats(db, { ...all, onProgress: (p) => shares.push(p) })).toEqual(
				right
			);
			expect(warn).toHaveBeenCalledOnce();
		} finally {
			warn.mockRestore();
		}
		expect(shares.at(-1)).toBe(1);
		// Only the days shown were recounted: all rows but the one of 400 days ago.
		const everyDeck = await db.reviewTallies.where('deckId').equals('').toArray();
		expect(everyDeck.reduce((n, t) => n + t.n, 0)).toBe(14);
		// A deck's tallies that disagree are recounted for that deck.
		const [row] = await db.reviewTallies.where('deckId').equals('deck').toArray();
		await db.reviewTallies.put({ ...row!, n: row!.n + 1 });
		vi.spyOn(console, 'warn').mockImplementationOnce(() => {});
		expect(await loadReviewStats(db, { ...all, deckId: 'deck' })).toEqual(right);
	});

	it('gives the numbers the review log gives, row by row, in any zone and day-start hour', async () => {
		await seedCollection(db, {
			cards: 400,
			reviews: 20_000,
			now: NOW,
			deckIds: ['deck', 'other'],
			historyDays: 300,
			notes: false
		});
		const rows = await db.revlog.toArray();
		for (const [timeZone, dayStartHour] of [
			['Europe/Berlin', 4],
			['Asia/Kolkata', 0],
			['America/New_York', 23]
		] as const) {
			await db.presets.update('default', { dayStartHour });
			for (const deckId of [null, 'other']) {
				const ctx = { timeZone, dayStartHour };
				const today = studyDayNumber(NOW, dayStartHour, timeZone);
				const from = startOfStudyDay(today - HISTORY_DAYS + 1, dayStartHour, timeZone);
				const to = startOfStudyDay(today, dayStartHour, timeZone);
				const inScope = rows.filter((r) => deckId === null || r.deckId === deckId);
				const past: ReviewTally = new Map();
				for (const r of inScope)
					if (r.reviewedAt >= from && r.reviewedAt < to) tallyReview(past, r, ctx);
				const todays = inScope.filter((r) => r.reviewedAt >= to);
				const expected = reviewStats(past, todays, today, ctx);
				expect(await loadReviewStats(db, { deckId, now: NOW, timeZone })).toEqual(expected);
			}
		}
	});

	it("counts today's answers in yesterday once the day is over", async () => {
		await db.revlog.bulkAdd(knownLog());
		await loadReviewStats(db, all);
		const tomorrow = await loadReviewStats(db, { ...all, now: NOW + DAY });
		expect(tomorrow.today.reviews).toBe(0);
		expect(tomorrow.retention[1]!.total).toEqual({ passed: 1, failed: 1, rate: 0.5 });
		expect(tomorrow.streak).toMatchObject({ current: 2, studiedToday: false });
	});

	it('follows a streak back beyond the year of history shown', async () => {
		await db.revlog.bulkAdd(
			Array.from({ length: 400 }, (_, i) => revlogRow({ day: -i, rating: 3, state: 1 }))
		);
		const s = await loadReviewStats(db, all);
		expect(s.streak).toMatchObject({ current: 400, longest: 400 });
		expect(s.heatmap.activeDays).toBe(365);
	});
});

describe('card statistics from IndexedDB', () => {
	const review = (o: Partial<Card>) =>
		makeCard({ queue: Queue.Review, state: CardState.Review, stability: 10, difficulty: 5, ...o });

	it('counts and forecasts the cards of the collection or of one deck', async () => {
		await db.cards.bulkAdd([
			makeCard({ deckId: 'deck' }),
			review({ deckId: 'deck', scheduledDays: 30, due: NOW - DAY, lastReview: NOW - 31 * DAY }),
			review({ deckId: 'other', scheduledDays: 3, due: NOW + 2 * DAY, lastReview: NOW - DAY }),
			review({ deckId: 'other', queue: Queue.Suspended, scheduledDays: 3, due: NOW })
		]);
		const whole = await loadCardStats(db, all);
		expect(whole.counts).toMatchObject({ new: 1, young: 1, mature: 1, suspended: 1, total: 4 });
		expect(whole.futureDue).toMatchObject({ backlog: 1, total: 2 });
		expect(whole.futureDue.byDay.slice(0, 3)).toEqual([1, 0, 1]);
		const deck = await loadCardStats(db, { ...all, deckId: 'deck' });
		expect(deck.counts).toMatchObject({ new: 1, mature: 1, total: 2 });
		expect(deck.memory.retrievability.total).toBe(1);
	});

	it('pages through a large deck whose cards share due times, reading each card once', async () => {
		const tied = Array.from({ length: 6100 }, (_, i) =>
			review({ id: `tied-${i}`, deckId: 'deck', scheduledDays: 5, due: NOW + (i < 5500 ? 0 : DAY) })
		);
		await db.cards.bulkAdd(tied);
		await seedCollection(db, {
			cards: 7000,
			reviews: 0,
			now: NOW,
			deckIds: ['deck'],
			notes: false
		});
		const deck = await loadCardStats(db, { ...all, deckId: 'deck' });
		const whole = await loadCardStats(db, all);
		expect(deck.counts.total).toBe(13_100);
		expect(whole.counts).toEqual(deck.counts);
		expect(deck.futureDue.byDay[1]).toBeGreaterThanOrEqual(600);
		expect(deck.futureDue.total).toBe(whole.futureDue.total);
	});

	it('lists the decks to choose from by title', async () => {
		expect(await listDecks(db)).toEqual([
			{ id: 'other', title: 'Art' },
			{ id: 'deck', title: 'Zoology' }
		]);
	});
});
