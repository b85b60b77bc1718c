import { CardState, Queue, type Card } from '../../model';
import { TIME_MAX, isPlausibleTime } from '../bundle';
import type { RawCard } from './collection';

export const DAY_MS = 86_400_000;

/** Anki's card `type` is the FSRS state with the same numbers. */
export function ankiCardState(type: number): CardState {
	return type === 1 || type === 2 || type === 3 ? type : CardState.New;
}

/**
 * Anki's `queue`: -1 suspended, -2 buried with a sibling, -3 buried by hand, else the queue the
 * card is studied in (1 and 3 are intraday and interday learning, 4 preview): Recall keeps only
 * "held out" queues and derives the rest from the state.
 */
export function ankiQueue(queue: number, state: CardState): Queue {
	if (queue === -1) return Queue.Suspended;
	if (queue === -2 || queue === -3) return Queue.Buried;
	return state;
}

/** Above this a due value cannot be a day count, so it is Anki's epoch-seconds learning due. */
const EPOCH_SECONDS_FLOOR = 100_000_000;

/**
 * Anki's `due` means three things: a position for new cards, epoch seconds for intraday
 * learning, and days since the collection's creation (`crt`) for everything else. Cards in a
 * filtered deck keep their home due in `odue`.
 */
export function ankiDue(card: RawCard, state: CardState, crt: number): number {
	const due = card.odid !== 0 && card.odue !== 0 ? card.odue : card.due;
	if (state === CardState.New) return due;
	const ms = due > EPOCH_SECONDS_FLOOR ? due * 1000 : (crt + due * 86_400) * 1000;
	// A damaged due (or crt) can land before 1970 or past any date: due now-ish or far later.
	return Math.min(Math.max(ms, 0), TIME_MAX);
}

export interface AnkiMemory {
	stability: number;
	difficulty: number;
	/** Last review, ms, when Anki recorded it (25.02+). */
	lastReview?: number;
}

/** Anki's FSRS memory state from `cards.data` (`{"s":…, "d":…, "lrt":…}`), if it holds one. */
export function ankiMemory(data: string): AnkiMemory | undefined {
	if (!data.includes('"s"')) return undefined;
	try {
		const parsed = JSON.parse(data) as { s?: unknown; d?: unknown; lrt?: unknown };
		const { s, d, lrt } = parsed;
		// JSON reads 1e999 as Infinity: a stability no review could give.
		const valid = typeof s === 'number' && Number.isFinite(s) && s > 0;
		if (!valid || typeof d !== 'number' || !(d >= 1 && d <= 10)) return undefined;
		const lastReview =
			typeof lrt === 'number' && lrt > 0 && isPlausibleTime(lrt * 1000) ? lrt * 1000 : undefined;
		return { stability: s, difficulty: d, ...(lastReview ? { lastReview } : {}) };
	} catch {
		return undefined;
	}
}

export interface CardPlace {
	noteId: string;
	deckId: string;
	crt: number;
	now: number;
	/** The latest graded review in the imported revlog, ms. */
	lastReview?: number;
}

/** One Anki card in Recall's model; `needsReplay` when its memory state must come from history. */
export function convertCard(raw: RawCard, place: CardPlace): { card: Card; needsReplay: boolean } {
	const state = ankiCardState(raw.type);
	const queue = ankiQueue(raw.queue, state);
	const due = ankiDue(raw, state, place.crt);
	const studied = state !== CardState.New;
	const memory = studied ? ankiMemory(raw.data) : undefined;
	const scheduledDays = state === CardState.Review || state === CardState.Relearning ? raw.ivl : 0;
	// Without a revlog, a review card's last review is where its interval started.
	const started = due - scheduledDays * DAY_MS;
	const lastReview =
		place.lastReview ??
		memory?.lastReview ??
		(state === CardState.Review && scheduledDays > 0 && isPlausibleTime(started)
			? started
			: undefined);
	const card: Card = {
		id: `${place.noteId}/${raw.ord}`,
		noteId: place.noteId,
		deckId: place.deckId,
		ord: raw.ord,
		queue,
		state,
		due,
		stability: memory?.stability ?? 0,
		difficulty: memory?.difficulty ?? 0,
		scheduledDays: Math.max(0, scheduledDays),
		// Anki counts remaining steps against its own preset; Recall restarts at the first step.
		learningSteps: 0,
		reps: raw.reps,
		lapses: raw.lapses,
		rev: 0
	};
	if (studied && lastReview !== undefined) card.lastReview = lastReview;
	// Anki unburies at the next day's start; a day from the import is the nearest Recall can say.
	if (queue === Queue.Buried) card.buriedUntil = place.now + DAY_MS;
	return { card, needsReplay: studied && !memory };
}
