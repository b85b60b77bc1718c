/**
 * What to study next, Anki v3 style, as a pure function of candidate cards the store has read:
 * 1. learning and relearning cards that are due, earliest first;
 * 2. the day's reviews (by due, or lowest retrievability first) with new cards spread evenly
 *    among them, or after or before them (the preset's `newMix`); like Anki v3, new cards also
 *    count against the review limit;
 * 3. when nothing else is left, learning cards due within the learn-ahead window (20 minutes).
 */
import { CardState, Queue, type Card, type NewMix, type Preset } from '../model';
import { MINUTE_MS, nextStudyDayStart } from './day';
import { retrievability } from './scheduler';

export { buryOptions, buryUntil, siblingsToBury } from './card-actions';
export { retrievability } from './scheduler';

export const LEARN_AHEAD_MS = 20 * MINUTE_MS;

/**
 * The daily limit an answer used up, as Anki counts it: a new card's first answer takes one of
 * the day's new cards, a review card's answer one of its reviews; learning steps and manual rows
 * (rating 0: forget, set due date) take neither. The store's tally of the day's log
 * (storage/review-repo `studiedToday`) and the session's running count both ask this.
 */
export function limitUsed(log: { rating: number; state: number }): 'new' | 'review' | null {
	if (log.rating === 0) return null;
	if (log.state === CardState.New) return 'new';
	if (log.state === CardState.Review) return 'review';
	return null;
}

export interface QueueInput {
	/** Cards in (re)learning: due ones are shown first, ones due within learn-ahead at the end. */
	learning: readonly Card[];
	/** Review cards; only those due before the next study day starts are used. */
	reviews: readonly Card[];
	/** New cards, introduced by position (their `due`). */
	newCards: readonly Card[];
	/** More (re)learning cards not yet due; merged with `learning`. */
	learnAhead: readonly Card[];
}

export interface QueueLimits {
	/** New cards that may still be introduced today. */
	newLeft: number;
	/** Reviews that may still be done today (new cards count against it too). */
	reviewsLeft: number;
}

export interface QueueOptions {
	/** IANA zone for the study day (default: the runtime's zone). */
	timeZone?: string;
	learnAheadMs?: number;
}

export interface QueueCounts {
	new: number;
	/** Due learning cards plus those within the learn-ahead window. */
	learning: number;
	review: number;
}

export interface OrderedQueue {
	/** In the order they should be shown. */
	cards: Card[];
	counts: QueueCounts;
}

function available(card: Card, now: number): boolean {
	if (card.queue === Queue.Suspended) return false;
	if (card.queue === Queue.Buried) return card.buriedUntil !== undefined && card.buriedUntil <= now;
	return true;
}

const byDue = (a: Card, b: Card): number => a.due - b.due || a.id.localeCompare(b.id);

const limit = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);

/** Spread `extra` evenly among `main`: item i of a list sits at (i + 1) / (length + 1). */
function interleave(main: Card[], extra: Card[]): Card[] {
	const out: Card[] = [];
	let i = 0;
	let j = 0;
	while (i < main.length || j < extra.length) {
		const mainFirst =
			j >= extra.length ||
			(i < main.length && (i + 1) * (extra.length + 1) <= (j + 1) * (main.length + 1));
		const next = mainFirst ? main[i++] : extra[j++];
		if (next) out.push(next);
	}
	return out;
}

/** The day's reviews and new cards as the preset's "New/review order" puts them. */
function mixNew(reviews: Card[], news: Card[], mix: NewMix): Card[] {
	if (mix === 'after') return [...reviews, ...news];
	if (mix === 'before') return [...news, ...reviews];
	return interleave(reviews, news);
}

function sortReviews(reviews: Card[], preset: Preset, now: number): Card[] {
	if (preset.reviewOrder !== 'retrievability') return reviews.sort(byDue);
	const r = new Map(reviews.map((c) => [c.id, retrievability(c, now, preset)]));
	return reviews.sort((a, b) => (r.get(a.id) ?? 0) - (r.get(b.id) ?? 0) || byDue(a, b));
}

/** Every card to study now, in order, with the counts the study screen shows. */
export function orderQueue(
	input: QueueInput,
	limits: QueueLimits,
	preset: Preset,
	now: number,
	options: QueueOptions = {}
): OrderedQueue {
	const learnAheadUntil = now + (options.learnAheadMs ?? LEARN_AHEAD_MS);
	const dayEnd = nextStudyDayStart(now, preset.dayStartHour, options.timeZone);
	const seen = new Set<string>();
	const learning = [...input.learning, ...input.learnAhead].filter((c) => {
		const fresh = !seen.has(c.id);
		seen.add(c.id);
		return (
			fresh &&
			available(c, now) &&
			(c.state === CardState.Learning || c.state === CardState.Relearning) &&
			c.due <= learnAheadUntil
		);
	});
	learning.sort(byDue);
	const dueNow = learning.filter((c) => c.due <= now);
	const ahead = learning.filter((c) => c.due > now);

	const reviewsLeft = Math.min(limit(limits.reviewsLeft), limit(preset.reviewsPerDay));
	const reviews = sortReviews(
		input.reviews.filter(
			(c) => available(c, now) && c.state === CardState.Review && c.due < dayEnd
		),
		preset,
		now
	).slice(0, reviewsLeft);
	const newLeft = Math.min(
		limit(limits.newLeft),
		limit(preset.newPerDay),
		reviewsLeft - reviews.length
	);
	const news = input.newCards
		.filter((c) => available(c, now) && c.state === CardState.New)
		.sort(byDue)
		.slice(0, newLeft);

	return {
		cards: [...dueNow, ...mixNew(reviews, news, preset.newMix ?? 'mix'), ...ahead],
		counts: { new: news.length, learning: learning.length, review: reviews.length }
	};
}

/** A deck's candidates as the store read them (storage/review-repo loadTreeCandidates). */
export interface DeckQueueInput {
	/** (Re)learning cards due before the study day ends (any order). */
	learning: readonly Card[];
	/** (Re)learning cards due today the store counted but did not read. */
	learningUnread?: number;
	reviews: readonly Card[];
	newCards: readonly Card[];
}

export interface DeckQueueOptions extends QueueOptions {
	/** When the study day the candidates were read for ends (default: the one `now` is in). */
	dayEnd?: number;
}

/**
 * The cards to study now and the counts the study screen and the deck list show: `orderQueue`,
 * with every (re)learning card due today counted (those due later than the learn-ahead window
 * and those the store left unread too). The session (core/scheduling/session-queue) and the deck
 * list (state/collection) both count with this, so the two never disagree.
 */
export function studyQueue(
	input: DeckQueueInput,
	limits: QueueLimits,
	preset: Preset,
	now: number,
	options: DeckQueueOptions = {}
): OrderedQueue {
	const ordered = orderQueue(
		{ learning: input.learning, reviews: input.reviews, newCards: input.newCards, learnAhead: [] },
		limits,
		preset,
		now,
		options
	);
	const learnAheadUntil = now + (options.learnAheadMs ?? LEARN_AHEAD_MS);
	const dayEnd = options.dayEnd ?? nextStudyDayStart(now, preset.dayStartHour, options.timeZone);
	let later = 0;
	for (const c of input.learning) if (c.due > learnAheadUntil && c.due < dayEnd) later++;
	return {
		cards: ordered.cards,
		counts: {
			...ordered.counts,
			learning: ordered.counts.learning + later + (input.learningUnread ?? 0)
		}
	};
}

/**
 * What is due in a deck now, Anki v3's rule: reviews within the review limit, new cards within
 * the new limit and what the reviews leave of the review limit, every (re)learning card of the
 * day. The deck list shows these; the study session starts from the same numbers.
 */
export function deckCounts(
	input: DeckQueueInput,
	limits: QueueLimits,
	preset: Preset,
	now: number,
	options: DeckQueueOptions = {}
): QueueCounts {
	return studyQueue(input, limits, preset, now, options).counts;
}

/** The next card to show (or null: done for now) and the counts. */
export function buildQueue(
	input: QueueInput,
	limits: QueueLimits,
	preset: Preset,
	now: number,
	options: QueueOptions = {}
): { next: Card | null; counts: QueueCounts } {
	const { cards, counts } = orderQueue(input, limits, preset, now, options);
	return { next: cards[0] ?? null, counts };
}
