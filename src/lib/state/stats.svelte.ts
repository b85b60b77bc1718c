/**
 * The statistics page: which deck is shown (or all), and its card and review statistics as they
 * arrive. Both are read and summed in a worker (workers/stats.worker.ts) so that a big collection
 * never blocks the page; the review part (from tallies kept at write time) comes first and shows
 * at once, the cards (read in pages) after it. A recount of review tallies that disagree with the
 * log, which should never be needed, reports its progress.
 */
import { resolveTimeZone } from '$lib/core/scheduling/day';
import type { CardStats, ReviewStats } from '$lib/core/stats';
import { getDb, type RecallDb } from '$lib/storage/db';
import { listDecks, type DeckChoice, type StatsQuery } from '$lib/storage/stats-repo';
import { runInThread, runInWorker, type StatsRunner } from '$lib/workers/stats-client';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export class StatsState {
	decks = $state.raw<DeckChoice[]>([]);
	/** null: the whole collection. */
	deckId = $state<string | null>(null);
	cards = $state.raw<CardStats | null>(null);
	reviews = $state.raw<ReviewStats | null>(null);
	/** Share of the review history recounted, while tallies that disagreed are rebuilt, else null. */
	progress = $state<number | null>(null);
	error = $state('');
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	readonly #timeZone: string;
	readonly #run: StatsRunner;
	#running: { cancel: () => void } | undefined;

	constructor(
		db: () => RecallDb = getDb,
		clock: Clock = systemClock,
		timeZone?: string,
		run: StatsRunner = typeof Worker === 'undefined' ? runInThread : runInWorker
	) {
		this.#db = db;
		this.#clock = clock;
		this.#timeZone = resolveTimeZone(timeZone ?? deviceTimeZone());
		this.#run = run;
	}

	get loading(): boolean {
		return !this.error && (this.cards === null || this.reviews === null);
	}

	get deckTitle(): string {
		return this.decks.find((d) => d.id === this.deckId)?.title ?? 'All decks';
	}

	async load(deckId: string | null = this.deckId): Promise<void> {
		// A deck chosen while another is loading: stop that work, its answer is no longer wanted.
		this.#running?.cancel();
		this.deckId = deckId;
		this.cards = null;
		this.reviews = null;
		this.progress = null;
		this.error = '';
		const db = this.#db();
		let current = true;
		const query: StatsQuery = {
			deckId,
			now: this.#clock(),
			timeZone: this.#timeZone,
			onProgress: (share) => {
				if (current) this.progress = share;
			}
		};
		const running = this.#run(db, query, {
			cards: (cards) => {
				if (current) this.cards = cards;
			},
			reviews: (reviews) => {
				if (!current) return;
				this.reviews = reviews;
				this.progress = null;
			}
		});
		this.#running = {
			cancel: () => {
				current = false;
				running.cancel();
			}
		};
		const decks = listDecks(db).then((list) => {
			if (current) this.decks = list;
		});
		try {
			await Promise.all([decks, running.done]);
		} catch (e) {
			if (!current) return;
			console.error(e);
			this.error = `The statistics could not be read: ${e instanceof Error ? e.message : String(e)}`;
		}
	}
}
