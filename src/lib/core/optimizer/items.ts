/**
 * Review log → FSRS training items, following fsrs-rs / Anki's conventions:
 * - one history per card, in time order; rows with rating 0 (manual reschedules, resets) are not
 *   reviews and are dropped;
 * - a card's history starts at its last first-learning run (after a reset the card is new again and
 *   what came before says nothing about the new memory); a card whose log never shows it being
 *   learned (history imported without its start) is left out, unless the records carry no state at
 *   all (a CSV without `review_state`), in which case the first rating defines the initial state;
 * - delta_t is the number of study days between consecutive reviews, with the preset's day-start
 *   hour in the given time zone; same-day reviews have delta_t 0 and stay in the history (FSRS-6
 *   models them with its short-term stability), but only a review on a later day is a training
 *   target: item k is the history up to and including review k, kept when its delta_t > 0.
 */
import { CardState, type Grade } from '../model';
import { studyDayNumber } from '../scheduling/day';

/** The part of a revlog row the optimizer reads; RevlogEntry and CSV rows both fit. */
export interface ReviewRecord {
	cardId: string;
	/** ms since the epoch */
	reviewedAt: number;
	/** 1–4, or 0 for a manual row that is not a review */
	rating: number;
	/** Card state before the review, when known. */
	state?: CardState;
}

export interface CardHistory {
	cardId: string;
	ratings: Grade[];
	/** Study days since the previous review; 0 for the first and for same-day reviews. */
	deltaTs: number[];
	times: number[];
}

/** The history of `cards[card]` up to and including its review number `length - 1`. */
export interface TrainingItem {
	card: number;
	length: number;
	/** Time of the review the item predicts: items are sorted by it. */
	reviewedAt: number;
}

export interface TrainingSet {
	cards: CardHistory[];
	/** In time order, as the time-series split requires. */
	items: TrainingItem[];
	/** Reviews in the kept histories. */
	reviewCount: number;
}

export interface ConversionOptions {
	dayStartHour: number;
	/** IANA zone for study days. */
	timeZone: string;
}

const isLearning = (s: CardState | undefined) => s === CardState.New || s === CardState.Learning;

/** fsrs-rs's remove_revlog_before_last_first_learn, on rows already in time order. */
function fromLastFirstLearning<T extends ReviewRecord>(rows: T[]): T[] {
	if (rows.length === 0 || rows.every((r) => r.state === undefined)) return rows;
	let start = -1;
	for (let i = rows.length - 1; i >= 0; i--) {
		if (isLearning(rows[i]?.state)) start = i;
		else if (start !== -1) break;
	}
	return start === -1 ? [] : rows.slice(start);
}

function groupByCard<T extends ReviewRecord>(records: readonly T[]): Map<string, T[]> {
	const byCard = new Map<string, T[]>();
	for (const r of records) {
		let rows = byCard.get(r.cardId);
		if (!rows) byCard.set(r.cardId, (rows = []));
		rows.push(r);
	}
	return byCard;
}

export function cardHistory(
	cardId: string,
	records: readonly ReviewRecord[],
	options: ConversionOptions
): CardHistory {
	// Array.prototype.sort is stable: rows with the same time keep the log's order.
	const ordered = [...records].sort((a, b) => a.reviewedAt - b.reviewedAt);
	const reviews = fromLastFirstLearning(ordered.filter((r) => r.rating >= 1 && r.rating <= 4));
	const history: CardHistory = { cardId, ratings: [], deltaTs: [], times: [] };
	let previousDay: number | undefined;
	for (const r of reviews) {
		const day = studyDayNumber(r.reviewedAt, options.dayStartHour, options.timeZone);
		history.ratings.push(r.rating as Grade);
		history.deltaTs.push(previousDay === undefined ? 0 : Math.max(0, day - previousDay));
		history.times.push(r.reviewedAt);
		previousDay = day;
	}
	return history;
}

/** Training items from any mix of cards' review records (any order). */
export function buildTrainingSet(
	records: readonly ReviewRecord[],
	options: ConversionOptions
): TrainingSet {
	const cards: CardHistory[] = [];
	const items: TrainingItem[] = [];
	let reviewCount = 0;
	for (const [cardId, rows] of groupByCard(records)) {
		const history = cardHistory(cardId, rows, options);
		if (history.ratings.length === 0) continue;
		const card = cards.push(history) - 1;
		reviewCount += history.ratings.length;
		for (let k = 1; k < history.ratings.length; k++) {
			if ((history.deltaTs[k] ?? 0) > 0) {
				items.push({ card, length: k + 1, reviewedAt: history.times[k] ?? 0 });
			}
		}
	}
	items.sort((a, b) => a.reviewedAt - b.reviewedAt);
	return { cards, items, reviewCount };
}

/** The flat arrays fsrs-rs's computeParameters takes: every item's whole history, item after item. */
export function flattenItems(
	set: TrainingSet,
	items: readonly TrainingItem[] = set.items
): { ratings: Uint32Array; deltaTs: Uint32Array; lengths: Uint32Array } {
	const total = items.reduce((n, item) => n + item.length, 0);
	const ratings = new Uint32Array(total);
	const deltaTs = new Uint32Array(total);
	const lengths = new Uint32Array(items.length);
	let at = 0;
	items.forEach((item, i) => {
		const card = set.cards[item.card];
		if (!card) throw new RangeError(`item ${i} points at missing card ${item.card}`);
		lengths[i] = item.length;
		ratings.set(card.ratings.slice(0, item.length), at);
		deltaTs.set(card.deltaTs.slice(0, item.length), at);
		at += item.length;
	});
	return { ratings, deltaTs, lengths };
}
