/**
 * The queue of a study session over the cards a search found ("Study these" in the browser,
 * custom study), as Anki's filtered decks do: the found cards in due order, each shown once, and
 * the cards an answer sends to (re)learning again when their step is due. It offers the session
 * what SessionQueue offers for a deck (`next`, `answered`, `upcoming`), so both are studied by
 * the same session.
 *
 * The session keeps the found card ids; whenever it reads the queue from the store again (at the
 * start, after an undo or an edit, when memory cannot tell) it builds this queue anew from the
 * found cards as stored now and the review-log rows written since the session began: a card with
 * a row has had its turn (answered here or in another tab, or reset to new), and comes back only
 * while it is in (re)learning. Undoing an answer deletes its row, so the card waits again.
 */
import { Queue, type Card, type RevlogEntry } from '../model';
import { sortRows, type BrowseRow } from '../search/results';
import { LEARN_AHEAD_MS, type QueueCounts } from './queue';
import { isBuriedSibling, toBuryOptions, type BuryOptions } from './card-actions';
import type { QueueStep } from './session-queue';

/** As many cards as an Anki filtered deck takes by default. */
export const FILTERED_LIMIT = 100;

const studiable = (c: Card): boolean => c.queue !== Queue.Suspended && c.queue !== Queue.Buried;
const inLearning = (c: Card): boolean => c.queue === Queue.Learning || c.queue === Queue.Relearning;
const byDue = (a: Card, b: Card): number => a.due - b.due || a.id.localeCompare(b.id);

/**
 * The cards a search session studies, from the search's rows: due order (overdue and learning
 * first, new cards last in their deck order), suspended and buried cards left out, at most `limit`.
 */
export function pickFound(rows: readonly BrowseRow[], limit = FILTERED_LIMIT): string[] {
	return sortRows(rows, { column: 'due', descending: false })
		.filter((r) => r.queue !== Queue.Suspended && r.queue !== Queue.Buried)
		.slice(0, limit)
		.map((r) => r.cardId);
}

export class FoundQueue {
	/** Found cards that have not had their turn yet, in due order. */
	#waiting: Card[];
	/** Found cards answered into (re)learning: back when their step is due. */
	#learning: Card[];
	/** Ids of the found cards answered (rating 1–4) in this session. */
	readonly #answered: Set<string>;
	readonly #ids: ReadonlySet<string>;
	readonly #total: number;
	readonly #dayEnd: number;

	/**
	 * `found`: the found cards as stored now, in due order (see pickFound). `reviews`: the
	 * review-log rows written since the session began (rows of other cards are ignored).
	 * `dayEnd`: when the study day ends (ms): siblings a grade buries are buried until then, and
	 * the session reads the queue again after it.
	 */
	constructor(
		found: readonly Card[],
		reviews: readonly Pick<RevlogEntry, 'cardId' | 'rating'>[],
		dayEnd: number
	) {
		const ids = new Set(found.map((c) => c.id));
		this.#ids = ids;
		const touched = new Set<string>();
		this.#answered = new Set();
		for (const r of reviews) {
			if (!ids.has(r.cardId)) continue;
			touched.add(r.cardId);
			if (r.rating !== 0) this.#answered.add(r.cardId);
		}
		const live = found.filter(studiable);
		this.#waiting = live.filter((c) => !touched.has(c.id));
		this.#learning = live.filter((c) => touched.has(c.id) && inLearning(c)).sort(byDue);
		this.#total = found.length;
		this.#dayEnd = dayEnd;
	}

	/** How many cards the search found (up to its limit). */
	get total(): number {
		return this.#total;
	}

	/** How many of them were answered in this session. */
	get answeredCount(): number {
		return this.#answered.size;
	}

	/** The cards in the order they come from `now` on: due steps, found cards, steps ahead. */
	#order(now: number): Card[] {
		const due = this.#learning.filter((c) => c.due <= now);
		const ahead = this.#learning.filter((c) => c.due > now && c.due <= now + LEARN_AHEAD_MS);
		return [...due, ...this.#waiting, ...ahead];
	}

	/** The cards left, by kind: new ones under new (as a deck's counts show them), not under due. */
	#counts(): QueueCounts {
		const counts = { new: 0, learning: this.#learning.length, review: 0 };
		for (const c of this.#waiting) {
			if (c.queue === Queue.New) counts.new++;
			else if (inLearning(c)) counts.learning++;
			else counts.review++;
		}
		return counts;
	}

	/** The first `n` cards to show from `now` on (for reading ahead). */
	upcoming(now: number, n: number): Card[] {
		return this.#order(now).slice(0, n);
	}

	/** The next card at `now` and the counts; `stale` once the study day it was read for ended. */
	next(now: number): QueueStep {
		const card = this.#order(now)[0] ?? null;
		const nextDue = card ? null : (this.#learning[0]?.due ?? null);
		return { card, counts: this.#counts(), nextDue, stale: now >= this.#dayEnd };
	}

	/**
	 * A card was answered: `after` is its new state and `log` the review-log row written with it.
	 * With `burySiblings`, the note's other found cards the store buries in the same transaction
	 * (new ones, and reviews due before the day ends: siblingsToBury) leave the queue too.
	 */
	answered(after: Card, log: RevlogEntry, burySiblings: boolean | BuryOptions): void {
		if (!this.#ids.has(after.id)) return;
		const options = toBuryOptions(burySiblings);
		const buried = (c: Card) => isBuriedSibling(after, c, this.#dayEnd, options);
		this.#waiting = this.#waiting.filter((c) => c.id !== after.id && !buried(c));
		this.#learning = this.#learning.filter((c) => c.id !== after.id);
		if (log.rating !== 0) this.#answered.add(after.id);
		if (inLearning(after)) this.#learning = [...this.#learning, after].sort(byDue);
	}
}
