/**
 * The review log summed per study day; every review statistic (heatmap, streak, true retention)
 * is computed from such a tally. The tallies of past days are kept up to date as reviews are
 * written, in a form that does not depend on the time zone (buckets.ts), and assembled from it.
 */
import { CardState, type RevlogEntry } from '../model';
import { studyDayNumber } from '../scheduling/day';

/** Anki's threshold: a card whose interval is 21 days or more is mature. */
export const MATURE_DAYS = 21;

export interface DayTally {
	/** Answers (ratings 1–4); manual reschedules and resets are not reviews. */
	reviews: number;
	timeMs: number;
	again: number;
	/** Review-state answers (true retention), split by the interval the card had. */
	youngPassed: number;
	youngFailed: number;
	maturePassed: number;
	matureFailed: number;
}

/** Study day number → that day's tally. */
export type ReviewTally = Map<number, DayTally>;

export interface DayContext {
	dayStartHour: number;
	timeZone: string;
}

export function emptyDay(): DayTally {
	return {
		reviews: 0,
		timeMs: 0,
		again: 0,
		youngPassed: 0,
		youngFailed: 0,
		maturePassed: 0,
		matureFailed: 0
	};
}

/**
 * The interval (study days) the card had when it was answered, which Anki's true retention splits
 * young from mature by. The row keeps the due date it had and the days since its previous
 * review; the previous review was `elapsedDays` study days before this one and the card was due
 * `interval` study days after it, so interval = elapsed + (due's day − this review's day).
 * Exact for Recall's own reviews; imported Anki rows (24-hour days) can be a day off.
 */
export function lastIntervalDays(row: RevlogEntry, ctx: DayContext, reviewDay?: number): number {
	const day = reviewDay ?? studyDayNumber(row.reviewedAt, ctx.dayStartHour, ctx.timeZone);
	const dueDay = studyDayNumber(row.due, ctx.dayStartHour, ctx.timeZone);
	return Math.max(0, row.elapsedDays + dueDay - day);
}

/** Adds one review-log row to `tally`; `day` is its study day when the caller already knows it. */
export function tallyReview(
	tally: ReviewTally,
	row: RevlogEntry,
	ctx: DayContext,
	day = studyDayNumber(row.reviewedAt, ctx.dayStartHour, ctx.timeZone)
): void {
	if (row.rating < 1 || row.rating > 4) return;
	let t = tally.get(day);
	if (!t) {
		t = emptyDay();
		tally.set(day, t);
	}
	const failed = row.rating === 1;
	t.reviews++;
	t.timeMs += Math.max(0, row.durationMs || 0);
	if (failed) t.again++;
	if (row.state !== CardState.Review) return;
	const mature = lastIntervalDays(row, ctx, day) >= MATURE_DAYS;
	if (mature) {
		if (failed) t.matureFailed++;
		else t.maturePassed++;
	} else if (failed) t.youngFailed++;
	else t.youngPassed++;
}

/** Sum of the tallies of days `from`…`to` (inclusive). */
export function sumDays(tally: ReviewTally, from: number, to: number): DayTally {
	const sum = emptyDay();
	for (const [day, t] of tally) {
		if (day < from || day > to) continue;
		sum.reviews += t.reviews;
		sum.timeMs += t.timeMs;
		sum.again += t.again;
		sum.youngPassed += t.youngPassed;
		sum.youngFailed += t.youngFailed;
		sum.maturePassed += t.maturePassed;
		sum.matureFailed += t.matureFailed;
	}
	return sum;
}
