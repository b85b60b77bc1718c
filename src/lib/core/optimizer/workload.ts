/**
 * What a desired retention costs: a seeded simulation of the next year of reviews, per retention
 * level, for the cards the learner has (their memory states and due days as they stand) plus the
 * new cards still to come at the preset's daily limit. Each review passes with the probability
 * the FSRS-6 forgetting curve gives at that interval; the rating of a pass, and the first rating
 * of a new card, follow the learner's own rating mix when the history has enough of them. Every
 * level runs on the same random numbers, so differences between levels come from the retention
 * only. Daily review limits are ignored on purpose: the figure is the work the retention asks
 * for, not what a limit would let through.
 */
import { fsrs } from 'ts-fsrs';
import { studyDayNumber } from '../scheduling/day';
import type { TrainingSet } from './items';
import { seededRandom as random } from '../random';

export interface WorkloadCard {
	stability: number;
	difficulty: number;
	/** ms */
	lastReview: number;
	/** ms */
	due: number;
}

export interface RatingMix {
	/** First rating of a new card: Again, Hard, Good, Easy. */
	first: [number, number, number, number];
	/** Rating of a passed review: Hard, Good, Easy. */
	pass: [number, number, number];
}

/** fsrs-rs's simulator defaults, measured over many Anki collections. */
export const DEFAULT_RATING_MIX: RatingMix = {
	first: [0.24, 0.094, 0.495, 0.171],
	pass: [0.224, 0.631, 0.145]
};

export interface WorkloadInput {
	weights: readonly number[];
	cards: readonly WorkloadCard[];
	/** New cards waiting to be introduced. */
	newCards: number;
	newPerDay: number;
	maximumInterval: number;
	/** Same-day presentations of a new card (its learning steps, at least 1). */
	learningPresentations: number;
	/** Extra same-day presentations after a lapse (relearning steps). */
	relearningPresentations: number;
	now: number;
	dayStartHour: number;
	timeZone: string;
	ratingMix?: RatingMix;
	/** Days simulated (default 365). */
	days?: number;
	seed?: number;
}

export interface WorkloadEstimate {
	retention: number;
	/** Card presentations per day over the next 30 days. */
	perDay30: number;
	/** … and over the next 365 days. */
	perDay365: number;
	/** Expected number of cards recalled if asked on the last simulated day. */
	rememberedAtEnd: number;
}

export const RETENTION_LEVELS: readonly number[] = [0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97];

function pick(odds: readonly number[], u: number): number {
	const total = odds.reduce((a, b) => a + b, 0);
	let acc = 0;
	for (let i = 0; i < odds.length; i++) {
		acc += (odds[i] ?? 0) / total;
		if (u < acc) return i;
	}
	return odds.length - 1;
}

/** The learner's rating mix from their training set; defaults where it has fewer than 50 samples. */
export function ratingMixOf(set: TrainingSet): RatingMix {
	const first: RatingMix['first'] = [0, 0, 0, 0];
	const pass: RatingMix['pass'] = [0, 0, 0];
	for (const card of set.cards) first[(card.ratings[0] ?? 3) - 1]! += 1;
	for (const item of set.items) {
		const rating = set.cards[item.card]?.ratings[item.length - 1] ?? 1;
		if (rating > 1) pass[rating - 2]! += 1;
	}
	const enough = (counts: number[]) => counts.reduce((a, b) => a + b, 0) >= 50;
	return {
		first: enough(first) ? first : DEFAULT_RATING_MIX.first,
		pass: enough(pass) ? pass : DEFAULT_RATING_MIX.pass
	};
}

interface SimCard {
	s: number;
	d: number;
	/** Study day (relative to today) of the last review. */
	last: number;
}

function simulate(input: WorkloadInput, retention: number): WorkloadEstimate {
	const days = input.days ?? 365;
	const mix = input.ratingMix ?? DEFAULT_RATING_MIX;
	const model = fsrs({
		w: [...input.weights],
		request_retention: retention,
		maximum_interval: input.maximumInterval,
		enable_fuzz: false,
		enable_short_term: true
	});
	const rand = random(input.seed ?? 20_240_101);
	const today = studyDayNumber(input.now, input.dayStartHour, input.timeZone);
	const dueOn: number[][] = Array.from({ length: days }, () => []);
	const cards: SimCard[] = [];
	for (const c of input.cards) {
		if (!(c.stability > 0) || !(c.difficulty >= 1)) continue;
		const last = studyDayNumber(c.lastReview, input.dayStartHour, input.timeZone) - today;
		const due = Math.max(0, studyDayNumber(c.due, input.dayStartHour, input.timeZone) - today);
		const index = cards.push({ s: c.stability, d: c.difficulty, last }) - 1;
		if (due < days) dueOn[due]!.push(index);
	}
	const schedule = (index: number, day: number) => {
		const interval = model.next_interval(cards[index]!.s, 0);
		if (day + interval < days) dueOn[day + interval]!.push(index);
	};
	let waiting = input.newCards;
	let first30 = 0;
	let total = 0;
	for (let day = 0; day < days; day++) {
		let work = 0;
		for (const index of dueOn[day]!) {
			const card = cards[index]!;
			const elapsed = day - card.last;
			const recalled = rand() < model.forgetting_curve(elapsed, card.s);
			const rating = recalled ? 2 + pick(mix.pass, rand()) : 1;
			const next = model.next_state({ stability: card.s, difficulty: card.d }, elapsed, rating);
			cards[index] = { s: next.stability, d: next.difficulty, last: day };
			work += recalled ? 1 : 1 + input.relearningPresentations;
			schedule(index, day);
		}
		const introduced = Math.min(waiting, input.newPerDay);
		for (let k = 0; k < introduced; k++) {
			const state = model.next_state(null, 0, 1 + pick(mix.first, rand()));
			const index = cards.push({ s: state.stability, d: state.difficulty, last: day }) - 1;
			work += Math.max(1, input.learningPresentations);
			schedule(index, day);
		}
		waiting -= introduced;
		total += work;
		if (day < 30) first30 += work;
	}
	const remembered = cards.reduce((sum, c) => sum + model.forgetting_curve(days - c.last, c.s), 0);
	return {
		retention,
		perDay30: first30 / Math.min(30, days),
		perDay365: total / days,
		rememberedAtEnd: remembered
	};
}

/** One estimate per retention level, in the order given. */
export function estimateWorkload(
	input: WorkloadInput,
	retentions: readonly number[] = RETENTION_LEVELS
): WorkloadEstimate[] {
	return retentions.map((r) => simulate(input, r));
}
