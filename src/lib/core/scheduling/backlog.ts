/**
 * Backlogs after a break: telling one from a busy day, and the two ways out of it.
 *
 * - **Usual load**: the average number of answers on the learner's last 14 study days (days with
 *   at least one answer, before today), from the review tallies.
 * - **Backlog**: more review cards due today than 3× the usual load.
 * - **Spread**: the due cards ordered by retrievability (the most at risk first) and dealt out
 *   day by day, each day's load (with what is already due that day) at most the usual load;
 *   today keeps the first share, the rest are moved to later days. Every card exactly once.
 * - **Postpone** (FSRS Helper's idea): a card whose retrievability is still at or above a chosen
 *   level is moved to the last day on which it stays there; cards already below it stay due. No
 *   card ever moves earlier than it was due.
 *
 * A moved card is a manual reschedule, as Anki's "set due date": its memory state is kept, and a
 * rating-0 review-log row with the interval records it (replayCard gives the same card back).
 */
import type { Card, Preset, RevlogEntry } from '../model';
import { DAY_MS, addStudyDays } from './day';
import { retrievability } from './scheduler';

export const BACKLOG_FACTOR = 3;
export const USUAL_WINDOW_DAYS = 14;
/** When no answer time is known yet (a fresh collection): Anki's typical 8 s a review. */
export const DEFAULT_SECONDS_PER_REVIEW = 8;

export interface DayAnswers {
	/** Study day number. */
	day: number;
	reviews: number;
	timeMs: number;
}

export interface UsualLoad {
	/** Average answers a study day over `days` (0 when there is no history). */
	average: number;
	/** How many study days the average is over (at most 14). */
	days: number;
	/** Average time an answer takes, seconds. */
	secondsPerReview: number;
}

/** The usual daily load from the study days before `today` (the last 14 with an answer). */
export function usualLoad(
	history: Iterable<DayAnswers>,
	today: number,
	window = USUAL_WINDOW_DAYS
): UsualLoad {
	const days = [...history]
		.filter((d) => d.day < today && d.reviews > 0)
		.sort((a, b) => b.day - a.day)
		.slice(0, window);
	const reviews = days.reduce((n, d) => n + d.reviews, 0);
	const timeMs = days.reduce((n, d) => n + d.timeMs, 0);
	return {
		average: days.length ? reviews / days.length : 0,
		days: days.length,
		secondsPerReview: reviews && timeMs > 0 ? timeMs / reviews / 1000 : DEFAULT_SECONDS_PER_REVIEW
	};
}

export interface Backlog {
	due: number;
	/** The usual load, rounded (at least 1). */
	usual: number;
	/** How many times the usual load is due. */
	ratio: number;
}

/** A backlog when more than 3× the usual load is due; none without a history to compare with. */
export function detectBacklog(due: number, usual: UsualLoad): Backlog | null {
	if (usual.days === 0 || usual.average <= 0) return null;
	if (due <= BACKLOG_FACTOR * usual.average) return null;
	return { due, usual: dailyCap(usual), ratio: due / usual.average };
}

/** The most cards a day may carry: the usual load, rounded, at least one. */
export function dailyCap(usual: UsualLoad): number {
	return Math.max(1, Math.round(usual.average));
}

/** A due card and the preset that schedules it. */
export interface BacklogItem {
	card: Card;
	preset: Preset;
}

export interface BacklogMove {
	item: BacklogItem;
	/** Study days after today (1 = tomorrow). */
	days: number;
	/** The new due time. */
	due: number;
}

/** The shortest spread that keeps every day at or under `cap` (without other loads). */
export function minimumSpreadDays(count: number, cap: number): number {
	return Math.max(1, Math.ceil(count / Math.max(1, cap)));
}

export interface SpreadOptions {
	now: number;
	timeZone?: string;
	/** Over how many study days, today included (at least the minimum for `cap`). */
	days: number;
	/** The usual load: no day carries more. */
	cap: number;
	/** Cards already due on later days, by study days after today (index 1 = tomorrow). */
	existing?: readonly number[];
}

export interface SpreadPlan {
	/** Each day's share of the backlog, today first (index 0). */
	perDay: number[];
	/** The cards that move (today's share stays as it is). */
	moves: BacklogMove[];
	/** Cards that stay due today. */
	today: BacklogItem[];
}

/** Most at risk first: lowest retrievability, then the longest overdue, then by id. */
function byRisk(now: number) {
	const r = new Map<BacklogItem, number>();
	const of = (i: BacklogItem) => {
		let v = r.get(i);
		if (v === undefined) r.set(i, (v = retrievability(i.card, now, i.preset)));
		return v;
	};
	return (a: BacklogItem, b: BacklogItem) =>
		of(a) - of(b) || a.card.due - b.card.due || (a.card.id < b.card.id ? -1 : 1);
}

/**
 * Deals the due cards out over `days` study days, the most at risk first: each day takes an
 * even share (at most `cap`, less what is already due that day); a day already full is skipped,
 * so the spread may run longer than asked, never heavier.
 */
export function planSpread(items: readonly BacklogItem[], options: SpreadOptions): SpreadPlan {
	const cap = Math.max(1, Math.floor(options.cap));
	const days = Math.max(minimumSpreadDays(items.length, cap), Math.floor(options.days));
	const ordered = [...items].sort(byRisk(options.now));
	const perDay: number[] = [];
	const moves: BacklogMove[] = [];
	const today: BacklogItem[] = [];
	let next = 0;
	for (let day = 0; next < ordered.length; day++) {
		const already = day === 0 ? 0 : (options.existing?.[day] ?? 0);
		// Even shares: by the end of day d, (d + 1) / days of the cards (more when a day was full).
		const target = Math.ceil(((day + 1) * ordered.length) / days);
		const room = Math.max(0, Math.min(target - next, cap - already));
		const taken = ordered.slice(next, next + room);
		next += taken.length;
		perDay.push(taken.length);
		for (const item of taken) {
			if (day === 0) today.push(item);
			else moves.push({ item, days: day, due: dueAfter(item, day, options) });
		}
	}
	return { perDay, moves, today };
}

/** The same time of day, `days` study days after `now`, in the card's preset's days. */
function dueAfter(item: BacklogItem, days: number, o: { now: number; timeZone?: string }): number {
	return addStudyDays(o.now, days, item.preset.dayStartHour, o.timeZone);
}

export interface PostponeOptions {
	now: number;
	timeZone?: string;
	/** Retrievability a postponed card keeps until its new due day (0–1). */
	level: number;
	/** The furthest a card is moved, study days (default 30): a postponed card is not forgotten for months. */
	maxDays?: number;
}

export const POSTPONE_MAX_DAYS = 30;

export interface PostponePlan {
	moves: BacklogMove[];
	/** Cards already below the level: they stay due. */
	stay: BacklogItem[];
}

/**
 * Moves each card whose retrievability stays at or above `level` to the last study day on which
 * it still does (at most `maxDays` later, within its preset's maximum interval); the others stay. New due times are
 * never earlier than the card's own.
 */
export function planPostpone(
	items: readonly BacklogItem[],
	options: PostponeOptions
): PostponePlan {
	const moves: BacklogMove[] = [];
	const stay: BacklogItem[] = [];
	for (const item of items) {
		const days = lastDayAbove(item, options);
		if (days < 1) {
			stay.push(item);
			continue;
		}
		const due = Math.max(item.card.due, dueAfter(item, days, options));
		moves.push({ item, days, due });
	}
	return { moves, stay };
}

/** The last study day after today (0 = none) on which the card, due then, recalls at ≥ level. */
function lastDayAbove(item: BacklogItem, o: PostponeOptions): number {
	const above = (d: number) =>
		retrievability(item.card, dueAfter(item, d, o), item.preset) >= o.level;
	if (!above(1)) return 0;
	const elapsed = item.card.lastReview === undefined ? 0 : (o.now - item.card.lastReview) / DAY_MS;
	let lo = 1;
	const furthest = o.maxDays ?? POSTPONE_MAX_DAYS;
	let hi = Math.max(1, Math.min(furthest, Math.floor(item.preset.maximumInterval - elapsed)));
	if (above(hi)) return hi;
	// above(lo) and not above(hi): recall only falls with time, so the last day above is in [lo, hi).
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (above(mid)) lo = mid;
		else hi = mid;
	}
	return lo;
}

/**
 * A manual reschedule of `card` to `due`, `days` study days after `now`: the card with its memory
 * state kept, and the rating-0 review-log row replayCard reads as "set due date".
 */
export function manualReschedule(
	card: Card,
	days: number,
	due: number,
	now: number
): { card: Card; log: RevlogEntry } {
	const log: RevlogEntry = {
		cardId: card.id,
		deckId: card.deckId,
		reviewedAt: now,
		rating: 0,
		state: card.state,
		due: card.due,
		stability: card.stability,
		difficulty: card.difficulty,
		elapsedDays:
			card.lastReview === undefined ? 0 : Math.max(0, Math.floor((now - card.lastReview) / DAY_MS)),
		scheduledDays: days,
		durationMs: 0
	};
	return {
		card: {
			...card,
			due,
			scheduledDays: days,
			learningSteps: 0,
			lastReview: card.lastReview ?? now,
			rev: card.rev + 1
		},
		log
	};
}

/** "842 due → about 120 a day for 7 days". */
export function describeSpread(due: number, plan: SpreadPlan): string {
	const days = plan.perDay.length;
	const top = Math.max(...plan.perDay, 0);
	return `${due} due → about ${top} a day for ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** Minutes for `count` answers at the usual pace, rounded up, at least 1 when there are any. */
export function minutesFor(count: number, secondsPerReview: number): number {
	return count === 0 ? 0 : Math.max(1, Math.ceil((count * secondsPerReview) / 60));
}
