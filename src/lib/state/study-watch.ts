/**
 * Other tabs' answers during a deck's study session: the deck's reviews in the log are counted
 * and watched (storage/review-repo watchDeckReviews); the session counts its own answers here
 * first, so only a difference left once they are written is taken for another tab's doing.
 */
import type { ChangeSet } from '$lib/storage/changes';
import type { RecallDb } from '$lib/storage/db';
import { countDeckReviews, watchDeckReviews } from '$lib/storage/review-repo';

export class OtherTabWatch {
	/** Reviews in the watched range as last seen (undefined: not watching). */
	#known: number | undefined;
	#unwatch: (() => void) | undefined;
	readonly #db: RecallDb;
	readonly #deckId: string;
	readonly #since: number;

	/** The count the watch starts from. */
	readonly #counted: Promise<number>;

	/**
	 * `since`: our starting point for telling other tabs' answers from ours. Counting starts now
	 * (before the session reads its first card, so nothing given meanwhile is missed).
	 */
	constructor(db: RecallDb, deckId: string, since: number) {
		this.#db = db;
		this.#deckId = deckId;
		this.#since = since;
		this.#counted = this.#count();
		// Awaited by `watch`; a session that fails before then reports its own error.
		this.#counted.catch(() => {});
	}

	#count(): Promise<number> {
		return countDeckReviews(this.#db, this.#deckId, this.#since);
	}

	/**
	 * Watches from the first count on. `settled` waits for our answers being written; then
	 * `onOthers` runs if the count still differs. Every emission is checked, the first one too:
	 * it may already carry another tab's answer given between our count and the subscription.
	 */
	async watch(
		settled: () => Promise<void>,
		onOthers: () => Promise<void>,
		onError: (e: unknown) => void
	): Promise<void> {
		this.#known = await this.#counted;
		this.#unwatch = watchDeckReviews(this.#db, this.#deckId, this.#since, (count) => {
			if (count !== this.#known) void this.#check(settled, onOthers).catch(onError);
		});
	}

	/** One of our answers (+1) or undos (−1) in deck `deckId`: not another tab's doing. */
	ours(deckId: string, change: number): void {
		if (this.#known !== undefined && deckId === this.#deckId) this.#known += change;
	}

	/** One of our actions (+1) or its undo (−1): the review-log rows it wrote or deleted. */
	oursIn(changes: ChangeSet, sign: 1 | -1): void {
		for (const { before, after } of changes.revlog) {
			const row = after ?? before;
			if (row && row.reviewedAt >= this.#since) this.ours(row.deckId, sign * (after ? 1 : -1));
		}
	}

	/**
	 * The watched count differs from ours. It may be a late report of our own answers (they come
	 * faster than the reports now): count again once our answers are written.
	 */
	async #check(settled: () => Promise<void>, onOthers: () => Promise<void>): Promise<void> {
		await settled();
		const count = await this.#count();
		if (count === this.#known) return;
		this.#known = count;
		await onOthers();
	}

	dispose(): void {
		this.#unwatch?.();
		this.#unwatch = undefined;
	}
}

/**
 * Calls `wake` once `due` (a learning card due later today, the session finished meanwhile) has
 * come, as if the screen had just been opened; returns what cancels it. Nothing a study day away.
 */
export function wakeAt(due: number, now: number, wake: () => void): () => void {
	const wait = due - now;
	// Timers longer than ~24.8 days overflow; a study day is shorter anyway.
	if (!(wait < 86_400_000)) return () => {};
	const timer = setTimeout(wake, Math.max(0, wait) + 250);
	return () => clearTimeout(timer);
}
