import { describe, expect, it } from 'vitest';
import { CardState } from '../model';
import { addStudyDays } from '../scheduling/day';
import { createDefaultPreset } from '../scheduling/preset';
import { gradeCard } from '../scheduling/scheduler';
import { makeReviewCard } from '../scheduling/test-factories';
import {
	HISTORY_DAYS,
	reviewHeatmap,
	reviewStats,
	studyDayDate,
	studyStreak,
	todaySummary,
	trueRetention
} from './reviews';
import { lastIntervalDays, tallyReview, type ReviewTally } from './tally';
import { CTX, TODAY, knownLog, revlogRow } from './test-factories';

function tallyOf(rows = knownLog()): ReviewTally {
	const tally: ReviewTally = new Map();
	for (const row of rows) tallyReview(tally, row, CTX);
	return tally;
}

const todayRows = () => knownLog().filter((r) => r.reviewedAt >= knownLog()[0]!.reviewedAt - 1);

describe('today', () => {
	it('counts answers, distinct cards, time and the again rate, skipping manual entries', () => {
		expect(todaySummary(todayRows())).toEqual({
			reviews: 5,
			cards: 4,
			timeMs: 39_000,
			again: 2,
			againRate: 0.4,
			newCards: 1,
			learning: 1,
			review: 2,
			relearning: 1
		});
	});

	it('has no again rate before the first answer', () => {
		expect(todaySummary([]).againRate).toBeNull();
	});
});

describe('true retention (Anki: review-state answers, young < 21 days ≤ mature)', () => {
	it('gives the known pass rates for today, yesterday, week, month and year', () => {
		const rows = trueRetention(tallyOf(), TODAY);
		const rates = Object.fromEntries(
			rows.map((r) => [
				r.period,
				[r.young.passed, r.young.failed, r.mature.passed, r.mature.failed, r.total.rate]
			])
		);
		expect(rates).toEqual({
			today: [1, 0, 0, 1, 0.5],
			yesterday: [1, 1, 1, 0, 2 / 3],
			week: [2, 1, 2, 1, 2 / 3],
			month: [2, 1, 2, 2, 4 / 7],
			year: [3, 1, 2, 2, 5 / 8]
		});
		expect(rows.find((r) => r.period === 'year')!.young.rate).toBe(0.75);
	});

	it('has no rate for a period without review-state answers', () => {
		const rows = trueRetention(tallyOf([revlogRow({ day: 0, rating: 3, state: 0 })]), TODAY);
		expect(rows[0]!.total).toEqual({ passed: 0, failed: 0, rate: null });
	});

	it('splits young from mature by the interval the card had, read from its due date', () => {
		expect(lastIntervalDays(revlogRow({ day: 0, rating: 3, interval: 20 }), CTX)).toBe(20);
		expect(
			lastIntervalDays(revlogRow({ day: -5, rating: 3, interval: 21, elapsed: 30 }), CTX)
		).toBe(21);
	});

	it("recovers the interval of Recall's own grades across a DST change", () => {
		const preset = createDefaultPreset({ fuzz: false });
		const tz = 'Europe/Berlin';
		// Reviewed before the clocks go forward (31 March 2024), answered again 3 days late.
		const first = Date.UTC(2024, 2, 20, 20);
		const card = makeReviewCard({ stability: 40, lastReview: first - 40 * 86_400_000 }, 40);
		const one = gradeCard(card, 3, preset, first, { timeZone: tz });
		const late = addStudyDays(one.card.due, 3, preset.dayStartHour, tz);
		const two = gradeCard(one.card, 3, preset, late, { timeZone: tz });
		expect(one.card.scheduledDays).toBeGreaterThan(21);
		const ctx = { dayStartHour: preset.dayStartHour, timeZone: tz };
		expect(lastIntervalDays(two.log, ctx)).toBe(one.card.scheduledDays);
		expect(two.log.state).toBe(CardState.Review);
	});
});

describe('streak', () => {
	it('runs back from today over consecutive study days', () => {
		expect(studyStreak(tallyOf(), TODAY, TODAY - 364)).toEqual({
			current: 2,
			since: TODAY - 1,
			longest: 2,
			studiedToday: true
		});
	});

	it('is not broken by a day not studied yet, but is by a missed one', () => {
		const past = knownLog().filter((r) => r.reviewedAt < todayRows()[0]!.reviewedAt);
		expect(studyStreak(tallyOf(past), TODAY, TODAY - 364)).toMatchObject({
			current: 1,
			since: TODAY - 1,
			studiedToday: false
		});
		expect(studyStreak(tallyOf(past), TODAY + 2, TODAY - 364).current).toBe(0);
		expect(studyStreak(tallyOf(past), TODAY + 2, TODAY - 364).since).toBeNull();
	});

	it('finds the longest run among the tallied days', () => {
		const rows = [0, -1, -5, -6, -7, -8].map((day) => revlogRow({ day, rating: 3 }));
		expect(studyStreak(tallyOf(rows), TODAY, TODAY - 364)).toMatchObject({
			current: 2,
			longest: 4
		});
	});
});

describe('heatmap', () => {
	it('counts reviews per study day over the past year, ending today', () => {
		const map = reviewHeatmap(tallyOf(), TODAY);
		expect(map.days).toHaveLength(365);
		expect(map.days.at(-1)).toEqual({ day: TODAY, count: 5 });
		expect(map.days[0]!.day).toBe(TODAY - 364);
		const byOffset = Object.fromEntries(
			map.days.filter((d) => d.count > 0).map((d) => [d.day - TODAY, d.count])
		);
		// The 03:30 review counts on the evening's study day (−3), the −400 one not at all.
		expect(byOffset).toEqual({ 0: 5, [-1]: 3, [-3]: 2, [-10]: 2, [-100]: 1 });
		expect(map).toMatchObject({ total: 13, activeDays: 5, max: 5 });
		expect(map.busiest).toEqual({ day: TODAY, count: 5 });
	});

	it('dates a study day by the calendar day it starts on', () => {
		expect(studyDayDate(TODAY)).toBe('2024-05-15');
		expect(studyDayDate(0)).toBe('1970-01-01');
	});
});

describe('all review statistics together', () => {
	it("adds today's rows to the tally of past days without double counting", () => {
		const past = knownLog().filter((r) => r.reviewedAt < todayRows()[0]!.reviewedAt);
		const stale = tallyOf(knownLog()); // a stored tally that already holds part of today
		const fresh = reviewStats(stale, todayRows(), TODAY, CTX);
		expect(fresh.heatmap.total).toBe(13);
		expect(fresh.today.reviews).toBe(5);
		expect(fresh.streak.current).toBe(2);
		expect(fresh.retention.map((r) => r.total.rate)).toEqual([0.5, 2 / 3, 2 / 3, 4 / 7, 5 / 8]);
		expect(reviewStats(tallyOf(past), [], TODAY, CTX).heatmap.total).toBe(8);
		expect(HISTORY_DAYS).toBe(365);
	});
});
