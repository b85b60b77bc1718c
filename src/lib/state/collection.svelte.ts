/**
 * The user's decks with their new / learning / due counts, and first-run loading of the
 * built-in decks (fetched from the prerendered /decks/*.json, which the service worker caches).
 */
import type { RecallDeck } from '$lib/core/decks/recall-deck';
import { deckDepth, deckName, isWithinDeck } from '$lib/core/decks/deck-title';
import { nextStudyDayStart, studyDayStart } from '$lib/core/scheduling/day';
import { deckCounts } from '$lib/core/scheduling/queue';
import { syncBuiltinDecks, type BuiltinHtml } from '$lib/storage/builtin-decks';
import { getDb, type RecallDb } from '$lib/storage/db';
import { listDecks } from '$lib/storage/deck-repo';
import { countReviews } from '$lib/storage/backup-meta';
import { getPreset } from '$lib/storage/presets';
import { countBuried, loadTreeCandidates, unburyDue } from '$lib/storage/review-repo';
import { readDeckTotals, type DeckTotals } from '$lib/storage/deck-totals';
import { deviceTimeZone, systemClock, type Clock } from './clock';
import { fetchBuiltinDecks } from './builtin-index';
import { dbHealth } from './db-health.svelte';

export interface DeckCounts {
	new: number;
	learning: number;
	due: number;
	/**
	 * Cards of the deck (and its subdecks) buried until the next study day: the siblings an
	 * answer buried (a note's other cards wait a day, so one does not give the other away) and
	 * cards buried by hand. The list says so, so counts that drop more than the cards studied
	 * are explained.
	 */
	buried: number;
}

export interface DeckSummary {
	id: string;
	title: string;
	/** The last part of a subdeck's title, shown indented under its parent. */
	name?: string;
	/** 0 for a top-level deck, 1 for `Parent::Child`, … */
	depth?: number;
	description: string;
	counts: DeckCounts | null;
}

/**
 * The decks' cards as rendered at build time (/decks/html/<id>.json), stored with the notes when
 * a deck is merged. Missing or unreadable, the cards are rendered when shown instead.
 */
async function fetchBuiltinHtml(fetchFn: typeof fetch, decks: RecallDeck[]): Promise<BuiltinHtml> {
	const out: BuiltinHtml = {};
	await Promise.all(
		decks.map(async (deck) => {
			try {
				const res = await fetchFn(`/decks/html/${deck.id}.json`);
				if (!res.ok) return;
				const body: unknown = await res.json();
				if (body && typeof body === 'object') out[deck.id] = body as BuiltinHtml[string];
			} catch {
				// rendered when shown
			}
		})
	);
	return out;
}

const HAD_DATA_KEY = 'recall.had-reviews';

export class Collection {
	decks = $state<DeckSummary[]>([]);
	/** No review in the store at all (a fresh install, or data lost). */
	empty = $state(false);
	/** There were reviews on an earlier visit and now there are none: likely evicted. */
	lost = $state(false);
	loaded = $state(false);
	error = $state('');
	/** Each deck's card total and next due time (with its subdecks), by deck id. */
	totals = $state.raw<Record<string, DeckTotals>>({});
	#init: Promise<void> | undefined;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;

	constructor(db: () => RecallDb = getDb, clock: Clock = systemClock) {
		this.#db = db;
		this.#clock = clock;
	}

	/** Loads (or merges updated) built-in decks once per page load; later calls share the work. */
	ensureBuiltins(fetchFn: typeof fetch = fetch): Promise<void> {
		this.#init ??= (async () => {
			let decks: RecallDeck[];
			try {
				decks = await fetchBuiltinDecks(fetchFn);
			} catch {
				// Offline without a cached copy: study what is already stored.
				return;
			}
			await syncBuiltinDecks(this.#db(), decks, this.#clock(), () =>
				fetchBuiltinHtml(fetchFn, decks)
			);
		})();
		return this.#init;
	}

	/**
	 * The browser may delete a site's IndexedDB (storage pressure, Safari after weeks unused).
	 * A marker in localStorage outlives a database-only deletion and tells the two cases apart.
	 */
	#checkLoss(reviews: number): void {
		this.empty = reviews === 0;
		try {
			const had = localStorage.getItem(HAD_DATA_KEY) === '1';
			this.lost = had && reviews === 0;
			if (reviews > 0) localStorage.setItem(HAD_DATA_KEY, '1');
		} catch {
			this.lost = false;
		}
	}

	async refresh(fetchFn: typeof fetch = fetch): Promise<void> {
		try {
			if (!(await dbHealth.ready())) return;
			await this.ensureBuiltins(fetchFn);
			const db = this.#db();
			// Sorted by title: parents before their subdecks ("A" < "A::B"), so the list reads as a tree.
			const decks = await listDecks(db);
			const now = this.#clock();
			const tz = deviceTimeZone();
			for (const deck of decks) await unburyDue(db, deck.id, now);
			const buried = await Promise.all(
				decks.map(async (d) => ({ title: d.title, count: await countBuried(db, d.id) }))
			);
			// A deck's buried cards include its subdecks' (`Parent::Child`), as its counts do.
			const buriedWithin = (title: string) =>
				buried.filter((b) => isWithinDeck(b.title, title)).reduce((n, b) => n + b.count, 0);
			this.decks = await Promise.all(
				decks.map(async (deck) => {
					const preset = await getPreset(db, deck.presetId);
					const day = {
						start: studyDayStart(now, preset.dayStartHour, tz),
						end: nextStudyDayStart(now, preset.dayStartHour, tz)
					};
					// A deck's counts include its subdecks, and are counted as the study session counts.
					const c = await loadTreeCandidates(db, deck.id, day);
					const due = deckCounts(c, c.limits, preset, now, { timeZone: tz, dayEnd: day.end });
					return {
						id: deck.id,
						title: deck.title,
						name: deckName(deck.title),
						description: deck.description,
						depth: deckDepth(deck.title),
						counts: {
							new: due.new,
							learning: due.learning,
							due: due.review,
							buried: buriedWithin(deck.title)
						}
					};
				})
			);
			this.totals = await readDeckTotals(db, decks, now, tz);
			this.#checkLoss(await countReviews(db));
			this.error = '';
		} catch (e) {
			this.error = `Your decks could not be read: ${e instanceof Error ? e.message : String(e)}`;
		} finally {
			this.loaded = true;
		}
	}
}

export const collection = new Collection();
