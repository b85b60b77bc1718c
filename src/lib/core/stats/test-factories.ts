/** Factories for the stats tests (Node and browser); not used by the app. */
import { CardState, type Grade, type RevlogEntry } from '../model';
import { HOUR_MS, startOfStudyDay, studyDayNumber } from '../scheduling/day';

/** Wednesday 2024-05-15 12:00 in Berlin; study days start at 04:00. */
export const NOW = Date.UTC(2024, 4, 15, 10, 0);
export const TZ = 'Europe/Berlin';
export const DAY_START = 4;
export const CTX = { dayStartHour: DAY_START, timeZone: TZ };
export const TODAY = studyDayNumber(NOW, DAY_START, TZ);

/** An instant `hours` after the start of the study day `offset` days from today (local time). */
export function atDay(offset: number, hours = 6): number {
	return startOfStudyDay(TODAY + offset, DAY_START, TZ) + hours * HOUR_MS;
}

export interface ReviewSpec {
	cardId?: string;
	deckId?: string;
	/** Study-day offset from today (0 today, -1 yesterday). */
	day: number;
	/** Hours into that study day (default 6: 10:00 local). */
	hours?: number;
	rating: Grade | 0;
	state?: CardState;
	/** For review-state rows: the interval the card had, in days. */
	interval?: number;
	/** Days since the previous review (default: the interval, an on-time review). */
	elapsed?: number;
	durationMs?: number;
}

let seq = 0;

/** A review-log row whose due date and elapsed days encode `interval` as Recall's grades do. */
export function revlogRow(spec: ReviewSpec): RevlogEntry {
	seq++;
	const state = spec.state ?? CardState.Review;
	const interval = spec.interval ?? 0;
	const elapsed = spec.elapsed ?? interval;
	const reviewedAt = atDay(spec.day, spec.hours ?? 6);
	// The previous review was `elapsed` days earlier and set the card due `interval` days after it.
	const due = state === CardState.Review ? atDay(spec.day - elapsed + interval, 2) : reviewedAt;
	return {
		cardId: spec.cardId ?? `card-${seq}`,
		deckId: spec.deckId ?? 'deck',
		reviewedAt,
		rating: spec.rating,
		state,
		due,
		stability: 5,
		difficulty: 5,
		elapsedDays: state === CardState.Review ? elapsed : 0,
		scheduledDays: spec.rating === 1 ? 0 : Math.max(1, interval * 2),
		durationMs: spec.durationMs ?? 10_000
	};
}

const { New, Learning, Review, Relearning } = CardState;

/**
 * A known review log (see reviews.test.ts for the numbers it must give): today five answers
 * and a manual reset, yesterday three review-state answers, and older reviews spread over the
 * week, month and year, one just after midnight (the previous study day) and one over a year ago.
 */
export function knownLog(): RevlogEntry[] {
	return [
		revlogRow({ cardId: 'a', day: 0, rating: 3, state: New, durationMs: 10_000 }),
		revlogRow({ cardId: 'a', day: 0, rating: 1, state: Learning, durationMs: 5_000 }),
		revlogRow({ cardId: 'b', day: 0, rating: 3, interval: 10, durationMs: 8_000 }),
		revlogRow({ cardId: 'c', day: 0, rating: 1, interval: 30, durationMs: 12_000 }),
		revlogRow({ cardId: 'd', day: 0, rating: 3, state: Relearning, durationMs: 4_000 }),
		revlogRow({ cardId: 'e', day: 0, rating: 0, state: Review, interval: 3 }),
		revlogRow({ cardId: 'b', day: -1, rating: 2, interval: 5 }),
		revlogRow({ cardId: 'f', day: -1, rating: 4, interval: 21 }),
		revlogRow({ cardId: 'g', day: -1, rating: 1, interval: 20 }),
		revlogRow({ cardId: 'h', day: -3, rating: 3, interval: 60 }),
		// 03:30 local on the calendar day of day −2: still study day −3.
		revlogRow({ cardId: 'm', day: -3, hours: 23.5, rating: 3, state: Learning }),
		revlogRow({ cardId: 'i', day: -10, rating: 1, interval: 100, elapsed: 120 }),
		revlogRow({ cardId: 'j', day: -10, rating: 3, state: New }),
		revlogRow({ cardId: 'k', day: -100, rating: 3, interval: 3, elapsed: 2 }),
		revlogRow({ cardId: 'l', day: -400, rating: 1, interval: 3 })
	];
}
