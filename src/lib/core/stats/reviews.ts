/**
 * Statistics of the review log: today's summary, the streak, the calendar heatmap and Anki's
 * true-retention table. All but today's summary read a ReviewTally (see tally.ts); days are
 * study day numbers (core/scheduling/day.ts), so "today" starts at the preset's day-start hour.
 */
import { CardState, type RevlogEntry } from '../model';
import { DAY_MS } from '../scheduling/day';
import { sumDays, tallyReview, type DayContext, type ReviewTally } from './tally';

export interface TodaySummary {
	/** Answers given today (ratings 1–4). */
	reviews: number;
	/** Distinct cards answered. */
	cards: number;
	timeMs: number;
	again: number;
	/** Share of answers that were Again, 0–1; null before the first answer. */
	againRate: number | null;
	/** Answers by the card's state before them. */
	newCards: number;
	learning: number;
	review: number;
	relearning: number;
}

/** Today's summary from today's review-log rows (manual entries are skipped). */
export function todaySummary(rows: Iterable<RevlogEntry>): TodaySummary {
	const s = { reviews: 0, timeMs: 0, again: 0, newCards: 0, learning: 0, review: 0, relearning: 0 };
	const cards = new Set<string>();
	for (const row of rows) {
		if (row.rating < 1 || row.rating > 4) continue;
		s.reviews++;
		s.timeMs += Math.max(0, row.durationMs || 0);
		if (row.rating === 1) s.again++;
		cards.add(row.cardId);
		if (row.state === CardState.New) s.newCards++;
		else if (row.state === CardState.Learning) s.learning++;
		else if (row.state === CardState.Review) s.review++;
		else s.relearning++;
	}
	return { ...s, cards: cards.size, againRate: s.reviews > 0 ? s.again / s.reviews : null };
}

export interface Streak {
	/**
	 * Consecutive days with reviews up to today. A day not studied yet does not break it: until
	 * today ends the streak runs up to yesterday.
	 */
	current: number;
	/** First day of the current streak, null when there is none. */
	since: number | null;
	/** Longest run of study days among the tallied days. */
	longest: number;
	studiedToday: boolean;
}

export function studyStreak(tally: ReviewTally, today: number, firstDay: number): Streak {
	const studied = (day: number) => (tally.get(day)?.reviews ?? 0) > 0;
	const studiedToday = studied(today);
	let day = studiedToday ? today : today - 1;
	let current = 0;
	while (day >= firstDay && studied(day)) {
		current++;
		day--;
	}
	let longest = 0;
	let run = 0;
	for (let d = firstDay; d <= today; d++) {
		run = studied(d) ? run + 1 : 0;
		longest = Math.max(longest, run);
	}
	return { current, since: current > 0 ? day + 1 : null, longest, studiedToday };
}

export interface HeatmapDay {
	day: number;
	count: number;
}

export interface Heatmap {
	/** Oldest first, ending today. */
	days: HeatmapDay[];
	total: number;
	/** Days with at least one review. */
	activeDays: number;
	max: number;
	busiest: HeatmapDay | null;
}

/** Reviews per day for the `length` days ending today. */
export function reviewHeatmap(tally: ReviewTally, today: number, length = 365): Heatmap {
	const days: HeatmapDay[] = [];
	let total = 0;
	let activeDays = 0;
	let busiest: HeatmapDay | null = null;
	for (let day = today - length + 1; day <= today; day++) {
		const entry = { day, count: tally.get(day)?.reviews ?? 0 };
		days.push(entry);
		total += entry.count;
		if (entry.count > 0) activeDays++;
		if (entry.count > (busiest?.count ?? 0)) busiest = entry;
	}
	return { days, total, activeDays, max: busiest?.count ?? 0, busiest };
}

export interface RetentionCell {
	passed: number;
	failed: number;
	/** passed / (passed + failed); null when nothing was reviewed. */
	rate: number | null;
}

export type RetentionPeriod = 'today' | 'yesterday' | 'week' | 'month' | 'year';

export interface RetentionRow {
	period: RetentionPeriod;
	label: string;
	young: RetentionCell;
	mature: RetentionCell;
	total: RetentionCell;
}

/** Periods as study-day offsets from today, inclusive: Anki's table, counted in study days. */
export const RETENTION_PERIODS: readonly {
	period: RetentionPeriod;
	label: string;
	from: number;
	to: number;
}[] = [
	{ period: 'today', label: 'Today', from: 0, to: 0 },
	{ period: 'yesterday', label: 'Yesterday', from: -1, to: -1 },
	{ period: 'week', label: 'Last 7 days', from: -6, to: 0 },
	{ period: 'month', label: 'Last 30 days', from: -29, to: 0 },
	{ period: 'year', label: 'Last 365 days', from: -364, to: 0 }
];

function cell(passed: number, failed: number): RetentionCell {
	const n = passed + failed;
	return { passed, failed, rate: n > 0 ? passed / n : null };
}

/**
 * True retention (Anki): the pass rate of answers to cards in the review state (not learning or
 * relearning), where any rating but Again passes; young = interval under 21 days, mature = 21+.
 */
export function trueRetention(tally: ReviewTally, today: number): RetentionRow[] {
	return RETENTION_PERIODS.map(({ period, label, from, to }) => {
		const s = sumDays(tally, today + from, today + to);
		return {
			period,
			label,
			young: cell(s.youngPassed, s.youngFailed),
			mature: cell(s.maturePassed, s.matureFailed),
			total: cell(s.youngPassed + s.maturePassed, s.youngFailed + s.matureFailed)
		};
	});
}

/** The calendar date of a study day as YYYY-MM-DD (the date on which it starts, local time). */
export function studyDayDate(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** How far back the review statistics look: a year of days, today included. */
export const HISTORY_DAYS = 365;

export interface ReviewStats {
	today: TodaySummary;
	streak: Streak;
	heatmap: Heatmap;
	retention: RetentionRow[];
}

/** Every review statistic from the tally of past days plus today's rows (read fresh each time). */
export function reviewStats(
	pastDays: ReviewTally,
	todayRows: readonly RevlogEntry[],
	today: number,
	ctx: DayContext
): ReviewStats {
	const tally: ReviewTally = new Map(pastDays);
	tally.delete(today);
	for (const row of todayRows) tallyReview(tally, row, ctx, today);
	return {
		today: todaySummary(todayRows),
		streak: studyStreak(tally, today, today - HISTORY_DAYS + 1),
		heatmap: reviewHeatmap(tally, today, HISTORY_DAYS),
		retention: trueRetention(tally, today)
	};
}
