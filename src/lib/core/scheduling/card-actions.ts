/**
 * Card changes that are not reviews: creating, forgetting, suspending, burying. Each returns a new
 * card with `rev` bumped (the store compares it to detect a stale write); inputs are never changed.
 */
import { CardState, Queue, type Card, type Preset, type RevlogEntry } from '../model';
import { DAY_MS, addStudyDays, nextStudyDayStart } from './day';

/** The queue a studiable card in `state` sits in. */
export function queueForState(state: CardState): Queue {
	return state;
}

export interface NewCardInput {
	id: string;
	noteId: string;
	deckId: string;
	ord: number;
	/** Introduction order among new cards (the note's position). */
	position: number;
}

export function newCard(partial: NewCardInput): Card {
	return {
		id: partial.id,
		noteId: partial.noteId,
		deckId: partial.deckId,
		ord: partial.ord,
		queue: Queue.New,
		state: CardState.New,
		due: partial.position,
		stability: 0,
		difficulty: 0,
		scheduledDays: 0,
		learningSteps: 0,
		reps: 0,
		lapses: 0,
		rev: 0
	};
}

function omitBurial(card: Card): Card {
	const copy = { ...card };
	delete copy.buriedUntil;
	return copy;
}

export interface ForgetOptions {
	/** Also zero the review and lapse counts (Anki's "reset repetition and lapse counts"). */
	resetCounts?: boolean;
}

/**
 * Reset a card to new at introduction `position`. The revlog row (rating 0, memory state 0) is
 * how replayCard recognises a reset. elapsedDays here counts 24-hour periods: a reset has no
 * preset, hence no study days.
 */
export function forgetCard(
	card: Card,
	now: number,
	position: number,
	options: ForgetOptions = {}
): { card: Card; log: RevlogEntry } {
	const elapsed = card.lastReview === undefined ? 0 : Math.floor((now - card.lastReview) / DAY_MS);
	const reset: Card = {
		...omitBurial(card),
		queue: card.queue === Queue.Suspended ? Queue.Suspended : Queue.New,
		state: CardState.New,
		due: position,
		stability: 0,
		difficulty: 0,
		scheduledDays: 0,
		learningSteps: 0,
		reps: options.resetCounts ? 0 : card.reps,
		lapses: options.resetCounts ? 0 : card.lapses,
		rev: card.rev + 1
	};
	delete reset.lastReview;
	const log: RevlogEntry = {
		cardId: card.id,
		deckId: card.deckId,
		reviewedAt: now,
		rating: 0,
		state: card.state,
		due: card.due,
		stability: 0,
		difficulty: 0,
		elapsedDays: Math.max(0, elapsed),
		scheduledDays: 0,
		durationMs: 0
	};
	return { card: reset, log };
}

/**
 * Anki's "set due date": a review card due `days` study days after `now` (rounded, at least 0),
 * its memory state kept; a suspended or buried card stays so. The review-log row (rating 0 with
 * the interval) is how replayCard recognises a manual reschedule. A new card has no memory yet:
 * its row carries zeros and it becomes a review card whose first answer starts its memory. (At 0
 * days such a row reads like a reset when replayed, which returns it to new, what it was.)
 */
export function setDueDate(
	card: Card,
	days: number,
	now: number,
	dayStartHour: number,
	timeZone?: string
): { card: Card; log: RevlogEntry } {
	const wholeDays = Math.max(0, Math.round(days));
	const held = card.queue === Queue.Suspended || card.queue === Queue.Buried;
	const after: Card = {
		...card,
		state: CardState.Review,
		queue: held ? card.queue : Queue.Review,
		due: addStudyDays(now, wholeDays, dayStartHour, timeZone),
		scheduledDays: wholeDays,
		learningSteps: 0,
		lastReview: card.lastReview ?? now,
		rev: card.rev + 1
	};
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
		scheduledDays: wholeDays,
		durationMs: 0
	};
	return { card: after, log };
}

export function suspend(card: Card): Card {
	return { ...omitBurial(card), queue: Queue.Suspended, rev: card.rev + 1 };
}

/** Back to the queue of its state; a card that is not suspended is returned unchanged (copied). */
export function unsuspend(card: Card): Card {
	if (card.queue !== Queue.Suspended) return { ...card };
	return { ...omitBurial(card), queue: queueForState(card.state), rev: card.rev + 1 };
}

/** Hide until `until` (ms). Suspension wins over burying: a suspended card is returned unchanged. */
export function bury(card: Card, until: number): Card {
	if (card.queue === Queue.Suspended) return { ...card };
	return { ...card, queue: Queue.Buried, buriedUntil: until, rev: card.rev + 1 };
}

/** A card that is not buried is returned unchanged (copied). */
export function unbury(card: Card): Card {
	if (card.queue !== Queue.Buried) return { ...card };
	return { ...omitBurial(card), queue: queueForState(card.state), rev: card.rev + 1 };
}

/** Buried siblings come back at the start of the next study day. */
export function buryUntil(now: number, preset: Preset, timeZone?: string): number {
	return nextStudyDayStart(now, preset.dayStartHour, timeZone);
}

/**
 * After `answered` is reviewed, the other cards of its note that today's queue could show — new
 * cards, and reviews due before `until` — buried until `until`. Like Anki, cards in learning are
 * left alone.
 */
export function siblingsToBury(
	answered: Card,
	noteCards: readonly Card[],
	until: number,
	options: BuryOptions = BURY_BOTH
): Card[] {
	return noteCards
		.filter((c) => isBuriedSibling(answered, c, until, options))
		.map((c) => bury(c, until));
}

/** Which of a note's other cards an answer buries (a preset's burying options). */
export interface BuryOptions {
	buryNew: boolean;
	buryReviews: boolean;
}

/** Recall's default, and what a preset without the options does: both kinds are buried. */
export const BURY_BOTH: BuryOptions = { buryNew: true, buryReviews: true };
export const BURY_NONE: BuryOptions = { buryNew: false, buryReviews: false };

/** `true`: both kinds buried (Recall's default), `false`: none, or the preset's options. */
export function toBuryOptions(bury: boolean | BuryOptions): BuryOptions {
	if (typeof bury !== 'boolean') return bury;
	return bury ? BURY_BOTH : BURY_NONE;
}

/** A preset's burying options, its absent ones on. */
export function buryOptions(preset: Preset): BuryOptions {
	return { buryNew: preset.buryNew ?? true, buryReviews: preset.buryReviews ?? true };
}

/**
 * Whether answering `answered` buries `card`: another card of the same note, new (with
 * `buryNew`) or a review due before `until`, the study day's end (with `buryReviews`).
 */
export function isBuriedSibling(
	answered: Card,
	card: Card,
	until: number,
	options: BuryOptions
): boolean {
	if (card.noteId !== answered.noteId || card.id === answered.id) return false;
	if (card.queue === Queue.New) return options.buryNew;
	return options.buryReviews && card.queue === Queue.Review && card.due < until;
}

/** Anki's seven card flags, by number (1–7). */
export const FLAG_NAMES = [
	'Red',
	'Orange',
	'Green',
	'Blue',
	'Pink',
	'Turquoise',
	'Purple'
] as const;

/** The card with flag `flag` (1–7), or without one (0, or any other number). */
export function flagCard(card: Card, flag: number): Card {
	const copy: Card = { ...card, rev: card.rev + 1 };
	if (Number.isInteger(flag) && flag >= 1 && flag <= FLAG_NAMES.length) copy.flag = flag;
	else delete copy.flag;
	return copy;
}

/** The flag a flag key gives `card`: its own flag again clears it, as Anki's keys toggle. */
export function toggledFlag(card: Card, flag: number): number {
	return card.flag === flag ? 0 : flag;
}
