/**
 * Which card a study session shows next: the queue in memory (study-source reads it from the
 * store at the start and whenever memory cannot tell alone) and the read-ahead cache of what
 * the next cards need (study-read-ahead). Plain TypeScript: the session puts what it returns on
 * screen.
 */
import type { Card, Preset, RevlogEntry } from '$lib/core/model';
import type { BuryOptions } from '$lib/core/scheduling/card-actions';
import type { QueueStep } from '$lib/core/scheduling/session-queue';
import type { RecallDb } from '$lib/storage/db';
import type { MediaUrls } from './media-urls.svelte';
import { ReadAhead, changed, type Prepared, type StudyQueue } from './study-read-ahead';
import { readQueue, type SearchSource } from './study-source';
import type { FoundProgress } from './study-types';

/** A queue step (counts, next due) with, for a search, how many found cards were answered. */
export interface Step extends QueueStep {
	found?: FoundProgress;
}

/** A card to show and what was read for it. */
export interface Shown {
	card: Card;
	prepared: Prepared;
}

export class StudyCursor {
	/** The queue between answers; read from the store again when it cannot tell alone. */
	#queue: StudyQueue | null = null;
	readonly #ahead: ReadAhead;
	readonly #db: RecallDb;
	readonly #source: { deckId: string; search: SearchSource | null };
	readonly #timeZone: string | undefined;

	constructor(
		db: RecallDb,
		source: { deckId: string; search: SearchSource | null },
		timeZone: string | undefined,
		media: MediaUrls
	) {
		this.#db = db;
		this.#source = source;
		this.#timeZone = timeZone;
		this.#ahead = new ReadAhead(db, media);
	}

	/** The next step from the queue in memory, or from the store (`reload`, or memory cannot tell). */
	async next(preset: Preset, now: number, reload: boolean): Promise<Step> {
		let step = !reload && this.#queue ? this.#queue.next(now) : null;
		// An empty queue is confirmed against the store before the session says it is finished.
		if (!step || step.stale || !step.card) {
			this.#queue = await readQueue(this.#db, this.#source, preset, now, this.#timeZone);
			this.#ahead.clear();
			step = this.#queue.next(now);
		}
		return this.#withFound(step);
	}

	/**
	 * The card to show next (or `show`, the card an undo brought back) with what it needs, and the
	 * step's counts. A card read ahead that changed since the queue was read (another tab answered
	 * or suspended it) sends the queue to be read again.
	 */
	async advance(
		preset: Preset,
		now: () => number,
		{ show, reload }: { show?: Card; reload: boolean }
	): Promise<{ step: Step; shown: Shown | null }> {
		let step = await this.next(preset, now(), reload || !!show);
		const card = show ?? step.card;
		if (!card) return { step, shown: null };
		const prepared = await this.#ahead.prepare(card);
		if (show || !changed(card, prepared)) return { step, shown: { card, prepared } };
		step = await this.next(preset, now(), true);
		if (!step.card) return { step, shown: null };
		return { step, shown: { card: step.card, prepared: await this.#ahead.prepare(step.card) } };
	}

	/** The next card from memory alone, if the queue can tell and its note is read already. */
	early(now: number): { step: Step; shown: Shown } | null {
		const step = this.#queue?.next(now);
		if (!step?.card || step.stale) return null;
		const prepared = this.#ahead.ready(step.card.id);
		if (!prepared || changed(step.card, prepared)) return null;
		return { step: this.#withFound(step), shown: { card: step.card, prepared } };
	}

	/** `after` was answered (not yet written): memory moves on, the note's cards are read afresh. */
	answered(before: Card, after: Card, log: RevlogEntry, bury: BuryOptions): void {
		this.#queue?.answered(after, log, bury);
		this.#ahead.forgetNote(before.noteId);
	}

	/** Memory moved on with an answer that was not saved: the queue is read again next time. */
	drop(): void {
		this.#queue = null;
	}

	/** What `card` needs; `fresh`: its note changed (a flag, a mark, an edit), read it again. */
	prepare(card: Card, { fresh = false } = {}): Promise<Prepared> {
		if (fresh) this.#ahead.forgetNote(card.noteId);
		return this.#ahead.prepare(card);
	}

	/** `card` is on screen: the next cards are read ahead. */
	shown(card: Card, now: number): void {
		this.#ahead.shown(card, this.#queue, now);
	}

	#withFound(step: QueueStep): Step {
		const queue = this.#queue;
		if (!queue || !('answeredCount' in queue)) return step;
		return { ...step, found: { total: queue.total, answered: queue.answeredCount } };
	}
}
