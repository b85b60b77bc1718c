/**
 * The study session's queue, kept in memory between answers. The store reads the candidates once
 * (storage/review-repo loadTreeCandidates); after each answer the session tells this queue what
 * changed — the card's new state, the siblings the answer buried — and the next card and the
 * counts come from `orderQueue` over the lists in memory, without reading IndexedDB again.
 *
 * The queue says when it can no longer answer alone (`stale`): the study day ended, or every
 * (re)learning card it read has been used while more wait in the store (a deck with thousands
 * of cards in learning is read a slice at a time). Anything it did not see — another tab's
 * answers, an undo, a suspended card — is the session's cue to read the candidates again.
 */
import { Queue, type Card, type Preset, type RevlogEntry } from '../model';
import { LEARN_AHEAD_MS, limitUsed, studyQueue, type QueueCounts, type QueueLimits } from './queue';
import { isBuriedSibling, toBuryOptions, type BuryOptions } from './card-actions';

/** What the store read for a deck (and its subdecks) at one moment of one study day. */
export interface QueueCandidates {
	/**
	 * (Re)learning cards due before the study day ends, earliest first; the first ones only when
	 * `learningHorizon` is set.
	 */
	learning: Card[];
	/** (Re)learning cards due today that were not read (they are due at or after the horizon). */
	learningUnread: number;
	/** When some (re)learning cards were left unread: none of them is due before this (ms). */
	learningHorizon: number | null;
	/** The day's review cards (due before the day ends), within the daily limits. */
	reviews: Card[];
	/** New cards in the order they are introduced, within the daily limits. */
	newCards: Card[];
	/**
	 * The daily limits may have left new or review cards unread (a list was read up to its limit):
	 * a card that leaves the lists without being answered (a buried sibling) leaves a gap only the
	 * store can fill.
	 */
	truncated: boolean;
	limits: QueueLimits;
	/** When the next card becomes due, if none is due today (ms). */
	nextDue: number | null;
}

export interface QueueStep {
	/** The card to show now, or null: nothing left for now. */
	card: Card | null;
	counts: QueueCounts;
	/** When the next card becomes due if `card` is null (ms). */
	nextDue: number | null;
	/** The lists in memory can no longer tell: read the candidates again. */
	stale: boolean;
}

const isLearningQueue = (q: number) => q === Queue.Learning || q === Queue.Relearning;

const byDue = (a: Card, b: Card): number => a.due - b.due || a.id.localeCompare(b.id);

export class SessionQueue {
	#learning: Card[];
	#reviews: Card[];
	#newCards: Card[];
	#limits: QueueLimits;
	readonly #unread: number;
	readonly #truncated: boolean;
	/** A card left the lists in a way memory cannot make up for. */
	#gap = false;
	readonly #horizon: number | null;
	readonly #nextDue: number | null;
	readonly #preset: Preset;
	readonly #dayEnd: number;
	readonly #timeZone: string | undefined;

	/** `dayEnd`: when the study day the candidates were read for ends (ms). */
	constructor(
		candidates: QueueCandidates,
		preset: Preset,
		dayEnd: number,
		timeZone: string | undefined
	) {
		this.#learning = [...candidates.learning].sort(byDue);
		this.#reviews = [...candidates.reviews];
		this.#newCards = [...candidates.newCards];
		this.#limits = { ...candidates.limits };
		this.#unread = candidates.learningUnread;
		this.#truncated = candidates.truncated;
		this.#horizon = candidates.learningHorizon;
		this.#nextDue = candidates.nextDue;
		this.#preset = preset;
		this.#dayEnd = dayEnd;
		this.#timeZone = timeZone;
	}

	/** The first `n` cards to show from `now` on, as far as memory knows (for reading ahead). */
	upcoming(now: number, n: number): Card[] {
		return this.#order(now).cards.slice(0, n);
	}

	/** The order and the counts: the same function the deck list counts with (deckCounts). */
	#order(now: number) {
		return studyQueue(
			{
				learning: this.#learning,
				learningUnread: this.#unread,
				reviews: this.#reviews,
				newCards: this.#newCards
			},
			this.#limits,
			this.#preset,
			now,
			{ timeZone: this.#timeZone, dayEnd: this.#dayEnd }
		);
	}

	/** The next card at `now`, the counts to show, or `stale` when the store must be read again. */
	next(now: number): QueueStep {
		const { cards, counts } = this.#order(now);
		const card = cards[0] ?? null;
		const horizon = this.#horizon;
		// The unread learning cards come after every card read before the horizon: once those are
		// used up, the next one may be among the unread.
		const unreadMayBeNext = horizon !== null && !this.#learning.some((c) => c.due < horizon);
		const stale = now >= this.#dayEnd || unreadMayBeNext || this.#gap;
		const nextDue = card ? null : (this.#laterLearning(now)?.due ?? horizon ?? this.#nextDue);
		return { card, counts, nextDue, stale };
	}

	/** The first (re)learning card due today after the learn-ahead window. */
	#laterLearning(now: number): Card | undefined {
		const learnAheadUntil = now + LEARN_AHEAD_MS;
		return this.#learning.find((c) => c.due > learnAheadUntil && c.due < this.#dayEnd);
	}

	/**
	 * A card was answered: `after` is its new state and `log` the review-log row written with it.
	 * With `burySiblings` (true: both kinds, or the preset's options), the note's other new and
	 * review cards in the lists go too, as the store buries them in the same transaction
	 * (storage/review-repo saveGrade, siblingsToBury).
	 */
	answered(after: Card, log: RevlogEntry, burySiblings: boolean | BuryOptions): void {
		const options = toBuryOptions(burySiblings);
		const sibling = (c: Card) => isBuriedSibling(after, c, this.#dayEnd, options);
		// A buried sibling frees a place within the limits that an unread card should take.
		if (this.#truncated && (this.#reviews.some(sibling) || this.#newCards.some(sibling))) {
			this.#gap = true;
		}
		this.#learning = this.#learning.filter((c) => c.id !== after.id);
		this.#reviews = this.#reviews.filter((c) => c.id !== after.id && !sibling(c));
		this.#newCards = this.#newCards.filter((c) => c.id !== after.id && !sibling(c));
		// The same tally the store makes from the review log (studiedToday).
		const used = limitUsed(log);
		if (used === 'new') {
			this.#limits = { ...this.#limits, newLeft: Math.max(0, this.#limits.newLeft - 1) };
		} else if (used === 'review') {
			this.#limits = { ...this.#limits, reviewsLeft: Math.max(0, this.#limits.reviewsLeft - 1) };
		}
		if (after.due >= this.#dayEnd) return;
		if (isLearningQueue(after.queue)) this.#learning = [...this.#learning, after].sort(byDue);
		else if (after.queue === Queue.Review) this.#reviews = [...this.#reviews, after];
	}
}
