/**
 * The FSRS-6 scheduler: the one module that calls ts-fsrs. ts-fsrs computes memory states,
 * learning steps and raw intervals; on top of it this module counts elapsed time in study days
 * (day-start hour + time zone), applies deterministic fuzz and load balancing, and detects leeches.
 */
import {
	FSRS6_DEFAULT_DECAY,
	S_MIN,
	State,
	fsrs,
	forgetting_curve,
	type Card as FsrsCard,
	type FSRS,
	type Grade as FsrsGrade,
	type StepUnit
} from 'ts-fsrs';
import {
	CardState,
	Queue,
	Rating,
	type Card,
	type Grade,
	type Preset,
	type RevlogEntry
} from '../model';
import { queueForState } from './card-actions';
import { DAY_MS, addStudyDays, resolveTimeZone, studyClock, studyDayNumber } from './day';
import { fuzzInterval, fuzzRange, fuzzSeed, MIN_FUZZ_INTERVAL } from './fuzz';
import { isLeech, LEECH_TAG, withTag } from './leech';
import { stepDelaySeconds } from './steps';
import { balancedInterval, LOAD_BALANCE_MAX_INTERVAL } from './load-balance';

export { newCard, forgetCard, suspend, unsuspend, bury, unbury } from './card-actions';

export const GRADES: readonly Grade[] = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy];

export interface GradeContext {
	/** Time spent answering, ms; recorded in the revlog (default 0). */
	durationMs?: number;
	/** IANA zone for study days (default: the runtime's zone). */
	timeZone?: string;
	/** Cards already due on a study day number (see studyDayNumber), for load balancing. */
	dueCountsByDay?: (dayNumber: number) => number;
	/** Study day numbers on which another card of the same note is due. */
	siblingDueDays?: ReadonlySet<number>;
}

export interface GradeResult {
	card: Card;
	/** The row to append to the revlog (the store assigns its id). */
	log: RevlogEntry;
	/** The card just became a leech: it is tagged and suspended. */
	leech: boolean;
}

export interface GradePreview {
	card: Card;
	/** Time until the card is due again: whole days for review intervals, else due − now. */
	intervalMs: number;
}

function toStep(minutes: number): StepUnit {
	return `${Math.max(1, Math.round(minutes))}m`;
}

/** ts-fsrs instances by the preset values they are built from: a few presets, reused. */
const instances = new Map<string, FSRS>();
const MAX_INSTANCES = 16;

/**
 * The ts-fsrs scheduler for a preset. Building one costs more than grading a card with it, and
 * bulk rescheduling grades thousands with the same preset: instances are kept by the values
 * they depend on (not by object, so an edited preset never meets a stale instance).
 */
function fsrsFor(preset: Preset): FSRS {
	const key = JSON.stringify([
		preset.desiredRetention,
		preset.maximumInterval,
		preset.weights,
		preset.learningSteps,
		preset.relearningSteps
	]);
	let instance = instances.get(key);
	if (!instance) {
		instance = fsrs({
			request_retention: preset.desiredRetention,
			maximum_interval: preset.maximumInterval,
			w: preset.weights,
			// Fuzz is applied here (seeded per card, and load-balanced), not by ts-fsrs.
			enable_fuzz: false,
			enable_short_term: true,
			learning_steps: preset.learningSteps.map(toStep),
			relearning_steps: preset.relearningSteps.map(toStep)
		});
		if (instances.size >= MAX_INSTANCES) instances.delete(instances.keys().next().value!);
		instances.set(key, instance);
	}
	return instance;
}

/** Memory state ts-fsrs accepts; an unusable one (e.g. a card imported without FSRS data) restarts from the first rating. */
function usableMemory(card: Card): { stability: number; difficulty: number } {
	const { stability, difficulty } = card;
	const valid =
		Number.isFinite(stability) &&
		Number.isFinite(difficulty) &&
		stability >= S_MIN &&
		difficulty >= 1 &&
		difficulty <= 10;
	return card.state !== CardState.New && valid
		? { stability, difficulty }
		: { stability: 0, difficulty: 0 };
}

/** Days of the interval given to a review outcome, after fuzz or load balancing. */
function spreadInterval(
	raw: number,
	preset: Preset,
	elapsedDays: number,
	today: number,
	seed: string,
	ctx: GradeContext | undefined
): number {
	if (!preset.fuzz || raw < MIN_FUZZ_INTERVAL) return raw;
	if (preset.loadBalance && raw <= LOAD_BALANCE_MAX_INTERVAL) {
		return balancedInterval({
			range: fuzzRange(raw, elapsedDays, preset.maximumInterval),
			today,
			seed,
			easyDays: preset.easyDays,
			dueCountsByDay: ctx?.dueCountsByDay,
			siblingDueDays: ctx?.siblingDueDays
		});
	}
	return fuzzInterval(raw, elapsedDays, preset.maximumInterval, seed);
}

function outcomes(
	card: Card,
	preset: Preset,
	now: number,
	ctx: GradeContext | undefined
): Record<Grade, GradeResult> {
	const tz = resolveTimeZone(ctx?.timeZone);
	const hour = preset.dayStartHour;
	// A clock that went backwards (now before the last review): count the last review as now.
	const last = card.lastReview === undefined ? undefined : Math.min(card.lastReview, now);
	const reviewClock = studyClock(now, hour, tz);
	const memory = usableMemory(card);
	const input: FsrsCard = {
		due: new Date(reviewClock),
		stability: memory.stability,
		difficulty: memory.difficulty,
		elapsed_days: 0,
		scheduled_days: card.scheduledDays,
		learning_steps: card.learningSteps,
		reps: card.reps,
		lapses: card.lapses,
		state: card.state as number as State,
		// ts-fsrs counts elapsed days between UTC dates: on the study clock those are study days.
		last_review: last === undefined ? undefined : new Date(studyClock(last, hour, tz))
	};
	const record = fsrsFor(preset).repeat(input, new Date(reviewClock));
	const today = studyDayNumber(now, hour, tz);
	const elapsedDays =
		card.state === CardState.New || last === undefined
			? 0
			: Math.max(0, today - studyDayNumber(last, hour, tz));
	const seed = fuzzSeed(card.id, card.reps);
	const duration = Number.isFinite(ctx?.durationMs) ? Math.max(0, ctx?.durationMs ?? 0) : 0;
	const result = {} as Record<Grade, GradeResult>;
	let previousPassing: number | undefined;
	for (const grade of GRADES) {
		const next = record[grade as number as FsrsGrade].card;
		const state = next.state as number as CardState;
		let scheduledDays = 0;
		let due: number;
		if (state === CardState.Review) {
			scheduledDays = spreadInterval(next.scheduled_days, preset, elapsedDays, today, seed, ctx);
			// Hard < Good < Easy must survive fuzzing.
			if (grade !== Rating.Again && previousPassing !== undefined) {
				scheduledDays = Math.min(
					preset.maximumInterval,
					Math.max(scheduledDays, previousPassing + 1)
				);
			}
			scheduledDays = Math.max(1, scheduledDays);
			if (grade !== Rating.Again) previousPassing = scheduledDays;
			due = addStudyDays(now, scheduledDays, hour, tz);
		} else {
			// Anki's step delays, in seconds (ts-fsrs rounds them to minutes and takes Hard on
			// any step as the first step's).
			const steps =
				card.state === CardState.New || card.state === CardState.Learning
					? preset.learningSteps
					: preset.relearningSteps;
			const delay = stepDelaySeconds(steps, card.learningSteps, grade);
			due =
				delay !== undefined
					? now + delay * 1000
					: now + Math.max(0, next.due.getTime() - reviewClock);
		}
		const lapsed = grade === Rating.Again && card.state === CardState.Review;
		const leech = lapsed && isLeech(next.lapses, preset.leechThreshold);
		const graded: Card = {
			...card,
			queue: leech ? Queue.Suspended : queueForState(state),
			state,
			due,
			stability: next.stability,
			difficulty: next.difficulty,
			scheduledDays,
			learningSteps: next.learning_steps,
			reps: next.reps,
			lapses: next.lapses,
			lastReview: now,
			rev: card.rev + 1
		};
		delete graded.buriedUntil;
		if (leech) graded.tags = withTag(card.tags, LEECH_TAG);
		const log: RevlogEntry = {
			cardId: card.id,
			deckId: card.deckId,
			reviewedAt: now,
			rating: grade,
			state: card.state,
			due: card.due,
			stability: graded.stability,
			difficulty: graded.difficulty,
			elapsedDays,
			scheduledDays,
			durationMs: duration
		};
		result[grade] = { card: graded, log, leech };
	}
	return result;
}

/** What each rating would do, for the answer buttons. Same decisions as gradeCard with the same ctx. */
export function previewGrades(
	card: Card,
	preset: Preset,
	now: number,
	ctx?: GradeContext
): Record<Grade, GradePreview> {
	const all = outcomes(card, preset, now, ctx);
	const preview = {} as Record<Grade, GradePreview>;
	for (const grade of GRADES) {
		const next = all[grade].card;
		const intervalMs = next.scheduledDays > 0 ? next.scheduledDays * DAY_MS : next.due - now;
		preview[grade] = { card: next, intervalMs };
	}
	return preview;
}

/** Answer `card` with `rating` at `now`. */
export function gradeCard(
	card: Card,
	rating: Grade,
	preset: Preset,
	now: number,
	ctx?: GradeContext
): GradeResult {
	if (!GRADES.includes(rating)) throw new RangeError(`Rating must be 1–4, got ${String(rating)}`);
	return outcomes(card, preset, now, ctx)[rating];
}

/**
 * Probability of recalling the card at `now` (0–1), from the FSRS-6 forgetting curve with
 * fractional days since the last review. 0 for a card without memory state (new).
 */
export function retrievability(card: Card, now: number, preset: Preset): number {
	if (card.state === CardState.New || card.lastReview === undefined || !(card.stability > 0)) {
		return 0;
	}
	const elapsed = Math.max(0, now - card.lastReview) / DAY_MS;
	const decay = preset.weights[20] ?? FSRS6_DEFAULT_DECAY;
	return forgetting_curve(decay, elapsed, card.stability);
}

/** The unfuzzed interval (whole days, 1…maximum) at which recall falls to the desired retention. */
export function nextIntervalDays(stability: number, preset: Preset): number {
	return fsrsFor(preset).next_interval(stability, 0);
}
