/**
 * Statistics of the cards as they are now: counts by state, the future-due forecast with the
 * backlog, intervals, and the FSRS memory distributions (difficulty, stability, retrievability)
 * with the estimated total knowledge. Cards are added one at a time so a collection of any size
 * is summarised without holding it in memory.
 */
import { CardState, Queue, type Card, type Preset } from '../model';
import { studyDayNumber } from '../scheduling/day';
import { retrievability } from '../scheduling/scheduler';
import {
	HistogramBuilder,
	INTERVAL_BINS,
	PERCENT_BINS,
	STABILITY_BINS,
	type Histogram
} from './histogram';
import { MATURE_DAYS } from './tally';

export interface CardCounts {
	new: number;
	learning: number;
	relearning: number;
	/** Review state, interval under 21 days. */
	young: number;
	mature: number;
	/** Held out of study whatever their state (Anki counts them apart too). */
	suspended: number;
	buried: number;
	total: number;
}

export interface FutureDue {
	/** Study day number of `byDay[0]`: today. */
	firstDay: number;
	/** Cards due on each day from today; today's count includes the backlog. */
	byDay: number[];
	/** Cards that were due before today and are still waiting (overdue). */
	backlog: number;
	/** Due after the last day of `byDay`. */
	later: number;
	/** Cards scheduled at all (not new, not suspended). */
	total: number;
	/**
	 * Anki's "daily load": Σ 1/interval, the reviews a day this collection asks for in the long
	 * run at its current intervals.
	 */
	dailyLoad: number;
}

export interface MemoryStats {
	/** FSRS difficulty 1–10 shown as 0–100 %, as Anki does: (D − 1) / 9. */
	difficulty: Histogram;
	/** Days for recall to fall to 90 %. */
	stability: Histogram;
	/** Probability of recall now, 0–1. */
	retrievability: Histogram;
	/** Estimated total knowledge: Σ retrievability, the cards you would recall if asked now. */
	knowledge: number;
}

export interface CardStats {
	counts: CardCounts;
	futureDue: FutureDue;
	/** Intervals of cards in the review state. */
	intervals: Histogram;
	memory: MemoryStats;
}

export interface CardStatsContext {
	now: number;
	dayStartHour: number;
	timeZone: string;
	/** The preset scheduling a deck's cards (its FSRS decay shapes the forgetting curve). */
	presetFor: (deckId: string) => Preset;
	/** Days in the forecast, today included (default 365). */
	futureDays?: number;
}

/** The count categories of CardCounts, in the order `countCategory` numbers them. */
export const CARD_CATEGORIES = [
	'new',
	'learning',
	'relearning',
	'young',
	'mature',
	'suspended',
	'buried'
] as const satisfies readonly (keyof CardCounts)[];

/** Which of CARD_CATEGORIES a card is counted in. */
export function countCategory(card: Card): number {
	if (card.queue === Queue.Suspended) return 5;
	if (card.queue === Queue.Buried) return 6;
	if (card.state === CardState.New) return 0;
	if (card.state === CardState.Learning) return 1;
	if (card.state === CardState.Relearning) return 2;
	return card.scheduledDays >= MATURE_DAYS ? 4 : 3;
}

/** Whether a card is in the future-due forecast at all: scheduled (not new), not suspended. */
export function forecasts(card: Card): boolean {
	return card.state !== CardState.New && card.queue !== Queue.Suspended;
}

/** Anki's "daily load" share of a card: 1 / interval. */
export function dailyLoadOf(card: Card): number {
	return 1 / Math.max(1, card.scheduledDays);
}

/** A card has a memory state when FSRS has seen it: a positive stability and a valid difficulty. */
export function hasMemory(card: Card): boolean {
	return (
		card.state !== CardState.New &&
		Number.isFinite(card.stability) &&
		card.stability > 0 &&
		card.difficulty >= 1 &&
		card.difficulty <= 10
	);
}

export class CardStatsBuilder {
	readonly #ctx: CardStatsContext;
	readonly #today: number;
	readonly #counts: CardCounts = {
		new: 0,
		learning: 0,
		relearning: 0,
		young: 0,
		mature: 0,
		suspended: 0,
		buried: 0,
		total: 0
	};
	readonly #due: FutureDue;
	readonly #intervals = new HistogramBuilder(INTERVAL_BINS);
	readonly #difficulty = new HistogramBuilder(PERCENT_BINS);
	readonly #stability = new HistogramBuilder(STABILITY_BINS);
	readonly #retrievability = new HistogramBuilder(PERCENT_BINS);
	#knowledge = 0;

	constructor(ctx: CardStatsContext) {
		this.#ctx = ctx;
		this.#today = studyDayNumber(ctx.now, ctx.dayStartHour, ctx.timeZone);
		const byDay = new Array<number>(ctx.futureDays ?? 365).fill(0);
		this.#due = { firstDay: this.#today, byDay, backlog: 0, later: 0, total: 0, dailyLoad: 0 };
	}

	add(card: Card): void {
		this.addCount(countCategory(card));
		if (card.state === CardState.Review) this.addInterval(card.scheduledDays);
		if (forecasts(card)) {
			this.addDue(card.due, card.queue === Queue.Buried, 1, dailyLoadOf(card));
		}
		if (hasMemory(card)) {
			this.addMemory(card.deckId, card.lastReview, card.stability, card.difficulty);
		}
	}

	/** `n` cards of a category (CARD_CATEGORIES' order). */
	addCount(category: number, n = 1): void {
		const c = this.#counts;
		c[CARD_CATEGORIES[category]!] += n;
		c.total += n;
	}

	/** `n` review-state cards with an interval of `days`. */
	addInterval(days: number, n = 1): void {
		this.#intervals.add(days, n);
	}

	/**
	 * `n` forecast cards due at `due` (or in its quarter hour: a study day starts on one), their
	 * Σ 1/interval `load`. As Anki's future-due graph: by state, not queue, so a buried review
	 * card still counts, except when due by today (it is out of today's queue).
	 */
	addDue(due: number, buried: boolean, n: number, load: number): void {
		const { dayStartHour, timeZone } = this.#ctx;
		const offset = studyDayNumber(due, dayStartHour, timeZone) - this.#today;
		if (offset <= 0 && buried) return;
		const d = this.#due;
		d.total += n;
		d.dailyLoad += load;
		if (offset < 0) d.backlog += n;
		if (offset >= d.byDay.length) d.later += n;
		else if (!Number.isNaN(offset)) d.byDay[Math.max(0, offset)]! += n;
	}

	/** One card with a memory state (hasMemory) in deck `deckId`. */
	addMemory(
		deckId: string,
		lastReview: number | undefined,
		stability: number,
		difficulty: number
	): void {
		const r = retrievability(
			{ state: CardState.Review, lastReview, stability } as Card,
			this.#ctx.now,
			this.#ctx.presetFor(deckId)
		);
		this.#difficulty.add((difficulty - 1) / 9);
		this.#stability.add(stability);
		this.#retrievability.add(r);
		this.#knowledge += r;
	}

	result(): CardStats {
		return {
			counts: { ...this.#counts },
			futureDue: { ...this.#due, byDay: [...this.#due.byDay] },
			intervals: this.#intervals.result(),
			memory: {
				difficulty: this.#difficulty.result(),
				stability: this.#stability.result(),
				retrievability: this.#retrievability.result(),
				knowledge: this.#knowledge
			}
		};
	}
}

/** Summarises `cards` in one call (tests, small decks). */
export function cardStats(cards: Iterable<Card>, ctx: CardStatsContext): CardStats {
	const builder = new CardStatsBuilder(ctx);
	for (const card of cards) builder.add(card);
	return builder.result();
}
