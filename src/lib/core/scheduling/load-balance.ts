/**
 * Load balancing within the fuzz range (Anki 24.11+): instead of a random day, pick the day with
 * the lightest workload, keeping away from days a sibling card is due and honouring easy days.
 */
import { weekdayOfStudyDay } from './day';
import { seededUnit, type DayRange } from './fuzz';

/** Longer intervals are only fuzzed: a day more or less no longer matters for the workload. */
export const LOAD_BALANCE_MAX_INTERVAL = 90;

export interface BalanceInput {
	/** Candidate intervals, days. */
	range: DayRange;
	/** Study day number of the review. */
	today: number;
	seed: string;
	/** Per weekday, Sunday first: 1 normal, 0.5 reduced, 0 minimum. */
	easyDays: readonly number[];
	/** Cards already due on a study day number. Missing: every day counts as empty. */
	dueCountsByDay?: (dayNumber: number) => number;
	/** Study day numbers on which a card of the same note is due. */
	siblingDueDays?: ReadonlySet<number>;
}

interface Candidate {
	interval: number;
	/** Reasons to avoid the day: a sibling is due, or it is a minimum easy day. */
	avoid: number;
	load: number;
	tie: number;
}

function candidate(interval: number, input: BalanceInput): Candidate {
	const day = input.today + interval;
	const ease = input.easyDays[weekdayOfStudyDay(day)] ?? 1;
	const raw = input.dueCountsByDay?.(day) ?? 0;
	const count = Number.isFinite(raw) && raw > 0 ? raw : 0;
	const weight = Math.min(1, Math.max(0, ease));
	return {
		interval,
		avoid: (input.siblingDueDays?.has(day) ? 1 : 0) + (weight === 0 ? 1 : 0),
		// +1 so an empty reduced day (0.5) still weighs more than an empty normal day.
		load: (count + 1) / (weight === 0 ? 1 : weight),
		tie: seededUnit(input.seed, day)
	};
}

const better = (a: Candidate, b: Candidate): boolean =>
	a.avoid !== b.avoid ? a.avoid < b.avoid : a.load !== b.load ? a.load < b.load : a.tie < b.tie;

/** The interval (days) in `range` whose due day is least loaded; ties broken by the seed. */
export function balancedInterval(input: BalanceInput): number {
	let best: Candidate | undefined;
	for (let interval = input.range.min; interval <= input.range.max; interval++) {
		const c = candidate(interval, input);
		if (!best || better(c, best)) best = c;
	}
	return best?.interval ?? input.range.min;
}
