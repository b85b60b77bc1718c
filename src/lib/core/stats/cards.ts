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

/** A card has a memory state when FSRS has seen it: a positive stability and a valid difficulty. */
function hasMemory(card: Card): boolean {
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
		this.#count(card);
		this.#forecast(card);
		if (card.state === CardState.Review) this.#intervals.add(card.scheduledDays);
		if (!hasMemory(card)) return;
		const r = retrievability(card, this.#ctx.now, this.#ctx.presetFor(card.deckId));
		this.#difficulty.add((card.difficulty - 1) / 9);
		this.#stability.add(card.stability);
		this.#retrievability.add(r);
		this.#knowledge += r;
	}

	#count(card: Card): void {
		const c = this.#counts;
		c.total++;
		if (card.queue === Queue.Suspended) c.suspended++;
		else if (card.queue === Queue.Buried) c.buried++;
		else if (card.state === CardState.New) c.new++;
		else if (card.state === CardState.Learning) c.learning++;
		else if (card.state === CardState.Relearning) c.relearning++;
		else if (card.scheduledDays >= MATURE_DAYS) c.mature++;
		else c.young++;
	}

	/** As Anki's future-due graph: by state, not queue, so a buried review card still counts. */
	#forecast(card: Card): void {
		if (card.state === CardState.New || card.queue === Queue.Suspended) return;
		const { dayStartHour, timeZone } = this.#ctx;
		const offset = studyDayNumber(card.due, dayStartHour, timeZone) - this.#today;
		// A buried card due by today is out of today's queue; Anki leaves it out of the forecast.
		if (offset <= 0 && card.queue === Queue.Buried) return;
		const due = this.#due;
		due.total++;
		due.dailyLoad += 1 / Math.max(1, card.scheduledDays);
		if (offset < 0) due.backlog++;
		if (offset >= due.byDay.length) due.later++;
		else due.byDay[Math.max(0, offset)]!++;
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
