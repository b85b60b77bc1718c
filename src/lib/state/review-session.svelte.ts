/**
 * One study session: what card is shown, whether its answer is, the remaining counts, grading,
 * undo, edits. Reads and writes go through storage/review-repo (one transaction per grade);
 * scheduling decisions come from core/scheduling.
 *
 * The cards come from a source: a deck (with its subdecks: the day's queue within the daily
 * limits, core/scheduling/session-queue) or a search ("Study these" in the browser, custom
 * study: the cards it found, as Anki's filtered decks do, core/scheduling/found-queue). Cards
 * found by a search keep their home deck; answers are ordinary reviews (same scheduler, same
 * one-transaction grade burying the siblings, same undo), so nothing needs rebuilding afterwards.
 * Either way each card is graded with its own deck's preset (as Anki's v3 scheduler does); the
 * deck's own preset (a search: the default preset) decides the study day, the daily limits and
 * the queue order.
 */
import {
	CardState,
	type Card,
	type Deck,
	type Grade,
	type Note,
	type NoteModel,
	type Preset,
	type RevlogEntry
} from '$lib/core/model';
import type { FoundQueue } from '$lib/core/scheduling/found-queue';
import { SessionQueue } from '$lib/core/scheduling/session-queue';
import { nextStudyDayStart, studyDayNumber, studyDayStart } from '$lib/core/scheduling/day';
import { LOAD_BALANCE_MAX_INTERVAL } from '$lib/core/scheduling/load-balance';
import {
	bury,
	forgetCard,
	gradeCard,
	previewGrades,
	suspend,
	type GradeContext
} from '$lib/core/scheduling/scheduler';
import type { SearchNode } from '$lib/core/search';
import type { RecallDb } from '$lib/storage/db';
import { decksWithin } from '$lib/storage/deck-repo';
import { describeDbError, withReconnect } from '$lib/storage/health';
import { getPreset } from '$lib/storage/presets';
import {
	countDeckReviews,
	dueHistogram,
	loadTreeCandidates,
	noteCards,
	saveGrade,
	undoGrade,
	unburyDue,
	updateCard,
	watchDeckReviews,
	StaleCardError,
	type GradeRecord
} from '$lib/storage/review-repo';
import { systemClock, deviceTimeZone, type Clock } from './clock';
import { MediaUrls } from './media-urls.svelte';
import { persistence } from './persistence.svelte';

/**
 * `missing`: the deck is not on this device; `invalid`: the search does not parse (the message
 * says why); `empty`: the search found no card that can be studied.
 */
export type SessionStatus =
	'loading' | 'studying' | 'finished' | 'missing' | 'invalid' | 'empty' | 'error';

/** Where a session's cards come from: a deck id, or a search (at most `limit` cards found). */
export type StudySource = string | { deck: string } | { search: string; limit?: number };

/** Cards a search found (up to its limit) and how many of them were answered so far. */
export interface FoundProgress {
	total: number;
	answered: number;
}

export interface SessionSummary {
	cards: number;
	again: number;
	timeMs: number;
}

/** What showing a card needs besides the card: read ahead for the next few cards. */
interface Prepared {
	note: Note | null;
	model: NoteModel | null;
	/** The card's own deck's preset: it is graded with it. */
	preset: Preset;
	/** The note's other cards, for load balancing (null when it is off). */
	siblings: Card[] | null;
	/** The card as stored when it was read: another tab may have answered or suspended it. */
	stored: Card | undefined;
}

/** What the session asks of its queue in memory, whichever the source. */
type StudyQueue = SessionQueue | FoundQueue;

/** A search session's search, and the cards it found (read once, at the start). */
interface SearchSource {
	query: string;
	/** At most this many cards (undefined: found-queue's FILTERED_LIMIT). */
	limit?: number;
	node?: SearchNode;
	found?: string[];
	/** When the session began: review-log rows from then on are this session's turns. */
	since: number;
}

/** How many of the next cards are read ahead while the current one is on screen. */
const READ_AHEAD = 3;
/** Learning cards due within this long are read ahead too: they come first once they are due. */
const READ_AHEAD_SOON_MS = 10 * 60_000;

/** The card changed in the store since the queue read it (its `rev` moved, or it is gone). */
const changed = (card: Card, { stored }: Prepared): boolean => stored?.rev !== card.rev;

type UndoEntry =
	| { kind: 'grade'; record: GradeRecord; rating: Grade; durationMs: number }
	| { kind: 'edit'; before: Card; after: Card; logId?: number };

export class ReviewSession {
	status = $state<SessionStatus>('loading');
	/** The deck studied (null for a search). */
	deck = $state.raw<Deck | null>(null);
	/** The search studied, or null for a deck. */
	readonly query: string | null;
	/** For a search: the cards found and answered. */
	found = $state.raw<FoundProgress>({ total: 0, answered: 0 });
	// Raw state: records are replaced, never mutated, and go back to IndexedDB as plain objects.
	card = $state.raw<Card | null>(null);
	note = $state.raw<Note | null>(null);
	model = $state.raw<NoteModel | null>(null);
	revealed = $state(false);
	counts = $state({ new: 0, learning: 0, review: 0 });
	nextDue = $state<number | null>(null);
	/** A short message for the status region: errors, leeches, undo. */
	message = $state('');
	busy = $state(false);
	summary = $state<SessionSummary>({ cards: 0, again: 0, timeMs: 0 });
	#undo = $state.raw<UndoEntry[]>([]);
	#unwatch: (() => void) | undefined;
	/** The queue between answers; read from the store again when it cannot tell alone. */
	#queue: StudyQueue | null = null;
	/** Notes, models and siblings of the cards shown next, by card id. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, never rendered
	#prepared = new Map<string, { noteId: string; read: Promise<Prepared>; value?: Prepared }>();
	/** The answer being written while the next card is already on screen (see grade). */
	#saving: Promise<void> | null = null;
	/** Brings the screen back when a learning card falls due after the session ran out. */
	#wake: ReturnType<typeof setTimeout> | undefined;
	/** blob: URLs of the pictures and sounds the shown card uses, from the media store. */
	readonly media: MediaUrls;
	readonly #db: RecallDb;
	/** The deck studied, or '' for a search. */
	readonly #deckId: string;
	readonly #search: SearchSource | null;
	readonly #clock: Clock;
	readonly #timeZone: string | undefined;
	/** Presets by deck id, read with the cards' notes. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, never rendered
	#presets = new Map<string, Promise<Preset>>();

	/** `source`: a deck id (or `{ deck }`), or `{ search }`: a search's cards. */
	constructor(
		db: RecallDb,
		source: StudySource,
		clock: Clock = systemClock,
		timeZone = deviceTimeZone()
	) {
		this.#db = db;
		if (typeof source !== 'string' && 'search' in source) {
			this.#deckId = '';
			this.#search = {
				query: source.search,
				limit: source.limit,
				since: 0
			};
			this.query = source.search;
		} else {
			this.#deckId = typeof source === 'string' ? source : source.deck;
			this.#search = null;
			this.query = null;
		}
		this.#clock = clock;
		this.#timeZone = timeZone;
		this.media = new MediaUrls(() => db);
	}

	get canUndo(): boolean {
		return this.#undo.length > 0;
	}

	/** The deck's preset (a search: the default one): study day, limits, queue order. */
	#preset = $state.raw<Preset | null>(null);
	/** The shown card's own deck's preset: its previews and its grade. */
	#cardPreset = $state.raw<Preset | null>(null);
	#disposed = false;
	/** When the current card was shown: the previews are computed for that moment. */
	#shownAt = $state(0);

	/** Load-balancing context for the current card: the same for its previews and its grade. */
	#ctx = $state.raw<GradeContext>({});
	/** Review cards due per study day (whole collection), updated as cards are graded. */
	// Not reactive on purpose: read only when a card is graded or previewed.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#dueByDay = new Map<number, number>();
	/** Whether #dueByDay has been read yet. */
	#balanced = false;
	/** Reviews in the watched range as last seen, so our own answers do not trigger a reload. */
	#knownReviews: number | undefined;

	/** The interval each grade would give, for the button labels. */
	previews = $derived.by(() => {
		if (!this.card || !this.#cardPreset) return null;
		return previewGrades(this.card, this.#cardPreset, this.#shownAt, this.#ctx);
	});

	/** The shown card's preset (its own deck's). */
	get preset(): Preset | null {
		return this.#cardPreset;
	}
	get gradeContext(): GradeContext {
		return this.#ctx;
	}
	get shownAt(): number {
		return this.#shownAt;
	}

	/**
	 * Loads the deck (or runs the search) and shows the first card. Returns false if the deck is
	 * not on this device; with `{ missingIsFinal: false }` the screen keeps loading (the built-in
	 * decks may be on their way) instead of saying so.
	 */
	async start({ missingIsFinal = true } = {}): Promise<boolean> {
		this.status = 'loading';
		try {
			if (this.#search) {
				await this.#startSearch(this.#search);
				return true;
			}
			const deck = await this.#db.decks.get(this.#deckId);
			if (!deck) {
				if (missingIsFinal) this.status = 'missing';
				return false;
			}
			this.deck = deck;
			this.#preset = await getPreset(this.#db, deck.presetId);
			for (const d of await decksWithin(this.#db, this.#deckId)) {
				await unburyDue(this.#db, d.id, this.#clock());
			}
			// Our starting point for telling other tabs' answers from ours (see the watch below).
			const since = this.#clock() - 86_400_000;
			const counted = countDeckReviews(this.#db, this.#deckId, since);
			await this.#advance();
			this.#knownReviews = await counted;
			if (this.#preset.loadBalance) this.#readDayLoads();
			// Every emission is checked, the first one too: it may already carry another tab's
			// answer given between our count and the subscription.
			this.#unwatch = watchDeckReviews(this.#db, this.#deckId, since, (count) => {
				if (count !== this.#knownReviews) {
					void this.#checkOthers(since).catch((e: unknown) => this.#fail(e));
				}
			});
			return true;
		} catch (e) {
			this.#fail(e);
			return true;
		}
	}

	/**
	 * Runs the search and shows the first card found. The found cards are kept (as an Anki
	 * filtered deck keeps them); another tab's answers show when a card is read before it is
	 * shown (see #advance) and in the grade's `rev` check.
	 */
	async #startSearch(search: SearchSource): Promise<void> {
		// The search code loads only for a search: deck study does not carry it.
		const { parseSearch, SearchSyntaxError } = await import('$lib/core/search');
		try {
			search.node = parseSearch(search.query);
		} catch (e) {
			if (!(e instanceof SearchSyntaxError)) throw e;
			this.message = e.message;
			this.status = 'invalid';
			return;
		}
		search.found = undefined;
		search.since = this.#clock();
		this.#preset = await getPreset(this.#db, 'default');
		await this.#advance();
		if (this.status === 'finished' && this.found.total === 0) this.status = 'empty';
		// The found cards' presets differ: the day loads are read whatever the default preset says.
		else this.#readDayLoads();
	}

	/**
	 * Reading the day loads takes a while on a large collection: it starts once the first card is
	 * on screen (IndexedDB would serve it first and delay that card), and the card gets the
	 * balanced context when it arrives.
	 */
	#readDayLoads(): void {
		const { dayStartHour } = this.#preset!;
		void dueHistogram(
			this.#db,
			this.#clock(),
			LOAD_BALANCE_MAX_INTERVAL + 10,
			dayStartHour,
			this.#timeZone
		)
			.then(async (histogram) => {
				this.#dueByDay = histogram;
				this.#balanced = true;
				const card = this.card;
				const preset = this.#cardPreset;
				if (card && preset?.loadBalance && !this.revealed) {
					const siblings = await noteCards(this.#db, card.noteId);
					if (this.card === card) this.#ctx = this.#contextFor(card, siblings, preset);
				}
			})
			.catch(() => {
				// Without day loads, intervals are fuzzed but not balanced.
			});
	}

	/** Stops watching other tabs' reviews (when the study page closes). */
	dispose(): void {
		this.#unwatch?.();
		this.#unwatch = undefined;
		clearTimeout(this.#wake);
		this.#disposed = true;
		this.media.dispose();
	}

	/** The store cannot be used at all: say why instead of loading forever. */
	unavailable(message: string): void {
		this.message = message;
		this.status = 'error';
	}

	reveal(): void {
		if (this.status === 'studying' && this.card) this.revealed = true;
	}

	/**
	 * Grades the card on screen. The answer is one transaction (card, review-log row, buried
	 * siblings); when the queue in memory knows the next card and its note is already read, that
	 * card is shown while the transaction commits, and the promise settles once it has. Should the
	 * write fail, the answered card comes back on screen, revealed, with the reason. `said`: what
	 * the status region says once the answer is in (a swipe's grade, so it is never silent).
	 */
	async grade(rating: Grade, { said = '' }: { said?: string } = {}): Promise<void> {
		const card = this.card;
		if (!card || !this.#cardPreset || !this.revealed || this.busy) return;
		this.busy = true;
		let saved: Promise<void> | undefined;
		let released = false;
		try {
			// An answer still being written goes first; if it failed, its card is back on screen.
			await this.#saving;
			if (this.card !== card || !this.revealed) return;
			const answer = this.#answer(card, rating, said);
			saved = this.#saving = answer.saved;
			if (answer.early) {
				// The next card is on screen already: it may be revealed and answered meanwhile.
				this.busy = false;
				released = true;
			}
			await saved;
		} finally {
			if (saved && this.#saving === saved) this.#saving = null;
			if (!released) this.busy = false;
		}
	}

	/** Starts writing the answer and, when memory can tell, shows the next card at once. */
	#answer(card: Card, rating: Grade, said: string): { early: boolean; saved: Promise<void> } {
		// The card's own deck's preset schedules it; the session's decides when its day ends.
		const preset = this.#cardPreset!;
		const now = this.#clock();
		const durationMs = Math.min(Math.max(0, now - this.#shownAt), 60 * 60_000);
		const result = gradeCard(card, rating, preset, now, { ...this.#ctx, durationMs });
		const buryUntil = nextStudyDayStart(now, this.#preset!.dayStartHour, this.#timeZone);
		// Counted before the write, so the change it causes is not taken for another tab's.
		const ours = this.#knownReviews !== undefined && card.deckId === this.#deckId;
		if (ours) this.#knownReviews!++;
		const saving = withReconnect(this.#db, () =>
			saveGrade(this.#db, card, result.card, result.log, buryUntil)
		);
		this.#queue?.answered(result.card, result.log, true);
		// The note's cards changed (this one's due date): read its siblings afresh.
		this.#forgetPrepared(card.noteId);
		const early = this.#showEarly(now, said);
		const saved = saving.then(
			async (record) => {
				this.#undo = [...this.#undo.slice(-49), { kind: 'grade', record, rating, durationMs }];
				this.#countDue(card.due, -1);
				this.#countDue(result.card.due, +1);
				// After real use, browsers grant persistent storage: ask once the first answer is saved.
				if (this.summary.cards === 0) void persistence.request();
				this.summary = {
					cards: this.summary.cards + 1,
					again: this.summary.again + (rating === 1 ? 1 : 0),
					timeMs: this.summary.timeMs + durationMs
				};
				this.message = result.leech
					? 'This card is a leech: you forgot it many times, so it was tagged "leech" and suspended. Consider rewording it.'
					: said;
				if (!early) await this.#advance(undefined, { reload: false });
			},
			async (e: unknown) => {
				if (ours) this.#knownReviews!--;
				// Memory moved on with an answer that was not saved: read the queue again.
				this.#queue = null;
				if (early && !(e instanceof StaleCardError)) {
					// The card on screen is still the one to answer: a failed write changed nothing.
					await this.#show(card);
					this.revealed = true;
				}
				await this.#recover(e);
			}
		);
		return { early, saved: saved.catch((e: unknown) => this.#fail(e)) };
	}

	/** Shows the next card from memory, if the queue can tell and its note is read already. */
	#showEarly(now: number, said: string): boolean {
		const step = this.#queue?.next(now);
		if (!step?.card || step.stale) return false;
		const prepared = this.#prepared.get(step.card.id)?.value;
		if (!prepared || changed(step.card, prepared)) return false;
		this.counts = step.counts;
		this.nextDue = step.nextDue;
		this.#progress();
		this.message = said;
		this.#display(step.card, prepared);
		return true;
	}

	/** Waits for an answer still being written (see grade). */
	async #settled(): Promise<void> {
		await this.#saving;
	}

	async undo(): Promise<void> {
		// An answer still being written counts: it is undone once it is.
		if ((!this.canUndo && !this.#saving) || this.busy) return;
		this.busy = true;
		try {
			await this.#settled();
			const entry = this.#undo.at(-1);
			if (!entry) return;
			if (entry.kind === 'grade') {
				await undoGrade(this.#db, entry.record);
				if (this.#knownReviews !== undefined && entry.record.before.deckId === this.#deckId) {
					this.#knownReviews--;
				}
				this.summary = {
					cards: this.summary.cards - 1,
					again: this.summary.again - (entry.rating === 1 ? 1 : 0),
					timeMs: this.summary.timeMs - entry.durationMs
				};
			} else {
				await this.#db.transaction('rw', [this.#db.cards, this.#db.revlog], async () => {
					await this.#db.cards.put(entry.before);
					if (entry.logId !== undefined) await this.#db.revlog.delete(entry.logId);
				});
				if (entry.logId !== undefined && this.#knownReviews !== undefined) this.#knownReviews--;
			}
			this.#undo = this.#undo.slice(0, -1);
			this.message = 'Undone.';
			await this.#advance(entry.kind === 'grade' ? entry.record.before : entry.before);
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	suspend = () => this.#edit((c) => ({ card: suspend(c) }), 'Card suspended.');
	bury = () =>
		this.#edit(
			(c, now, p) => ({ card: bury(c, nextStudyDayStart(now, p.dayStartHour, this.#timeZone)) }),
			'Card buried until tomorrow.'
		);
	forget = () =>
		this.#edit(
			(c, now) => forgetCard(c, now, (this.note?.position ?? 0) * 100 + c.ord),
			'Card reset to new.'
		);

	async #edit(
		change: (card: Card, now: number, preset: Preset) => { card: Card; log?: RevlogEntry },
		message: string
	): Promise<void> {
		if (!this.card || !this.#preset || this.busy) return;
		this.busy = true;
		try {
			await this.#settled();
			const card = this.card;
			const preset = this.#preset;
			if (!card) return;
			const now = this.#clock();
			const { card: after, log } = change(card, now, preset);
			const logId = await updateCard(this.#db, card, after, log);
			if (log && this.#knownReviews !== undefined && card.deckId === this.#deckId) {
				this.#knownReviews++;
			}
			this.#undo = [...this.#undo.slice(-49), { kind: 'edit', before: card, after, logId }];
			this.message = message;
			await this.#advance();
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	/** Reads the queue from the store again: at the start, and whenever memory cannot tell. */
	async #reload(): Promise<StudyQueue> {
		const preset = this.#preset!;
		const now = this.#clock();
		const end = nextStudyDayStart(now, preset.dayStartHour, this.#timeZone);
		let queue: StudyQueue;
		if (this.#search) {
			queue = await this.#readFound(this.#search, now, end);
		} else {
			const start = studyDayStart(now, preset.dayStartHour, this.#timeZone);
			const candidates = await loadTreeCandidates(this.#db, this.#deckId, { start, end });
			queue = new SessionQueue(candidates, preset, end, this.#timeZone);
		}
		this.#queue = queue;
		this.#prepared.clear();
		// Presets are read again too: they may have been edited meanwhile.
		this.#presets.clear();
		return queue;
	}

	/**
	 * A search's queue: the search runs once (the cards it found are kept), then the found cards
	 * are read as stored now, with the review-log rows written since the session began.
	 */
	async #readFound(search: SearchSource, now: number, dayEnd: number): Promise<FoundQueue> {
		const db = this.#db;
		if (!search.found) {
			// The browser's streamed search: coming from "Study these", its copy of the collection is
			// in memory already, so a search over every card does not read 100,000 again.
			const { streamSearch } = await import('$lib/storage/browse-repo');
			const { pickFound } = await import('$lib/core/scheduling/found-queue');
			const { rows } = await streamSearch(db, search.node!, {
				now,
				timeZone: this.#timeZone ?? 'UTC'
			});
			search.found = pickFound(rows, search.limit);
		}
		const [cards, reviews] = await Promise.all([
			db.cards.bulkGet(search.found),
			db.revlog.where('reviewedAt').aboveOrEqual(search.since).toArray()
		]);
		const { FoundQueue } = await import('$lib/core/scheduling/found-queue');
		return new FoundQueue(
			cards.filter((c) => c !== undefined),
			reviews,
			dayEnd
		);
	}

	/** The next card from the queue in memory (read again if it cannot tell); sets the counts. */
	async #next(reload: boolean): Promise<Card | null> {
		const now = this.#clock();
		let step = !reload && this.#queue ? this.#queue.next(now) : null;
		// An empty queue is confirmed against the store before the session says it is finished.
		if (!step || step.stale || !step.card) step = (await this.#reload()).next(now);
		this.counts = step.counts;
		this.nextDue = step.nextDue;
		this.#progress();
		return step.card;
	}

	/** For a search: how many of the found cards were answered. */
	#progress(): void {
		const queue = this.#queue;
		if (queue && 'answeredCount' in queue) {
			this.found = { total: queue.total, answered: queue.answeredCount };
		}
	}

	/**
	 * Shows the next card (or `show`, the card an undo brought back). The queue comes from memory
	 * after an answer; undo, edits and other tabs' answers read it from the store again, and so
	 * does a card read ahead that changed since the queue was read (another tab answered or
	 * suspended it).
	 */
	async #advance(show?: Card, { reload = true } = {}): Promise<void> {
		clearTimeout(this.#wake);
		const next = await this.#next(reload || !!show);
		let card = show ?? next;
		if (!card) return this.#finish();
		let prepared = await this.#prepare(card);
		if (!show && changed(card, prepared)) {
			card = await this.#next(true);
			if (!card) return this.#finish();
			prepared = await this.#prepare(card);
		}
		this.#display(card, prepared);
	}

	#finish(): void {
		this.card = null;
		this.note = null;
		this.revealed = false;
		this.status = 'finished';
		this.#wakeAt(this.nextDue);
	}

	/** A learning card due later today: come back to it when it is due, as if just opened. */
	#wakeAt(due: number | null): void {
		const wait = due === null ? Infinity : due - this.#clock();
		// Timers longer than ~24.8 days overflow; a study day is shorter anyway.
		if (this.#disposed || !(wait < 86_400_000)) return;
		this.#wake = setTimeout(
			() => {
				if (this.status === 'finished' && !this.busy) {
					void this.#advance().catch((e: unknown) => this.#fail(e));
				}
			},
			Math.max(0, wait) + 250
		);
	}

	/**
	 * The watched count differs from ours. It may be a late report of our own answers (they come
	 * faster than the reports now): count again once our answers are written, and only a
	 * difference left then is another tab's doing.
	 */
	async #checkOthers(since: number): Promise<void> {
		await this.#settled();
		const count = await countDeckReviews(this.#db, this.#deckId, since);
		if (count === this.#knownReviews) return;
		this.#knownReviews = count;
		await this.#onReviewsChanged();
	}

	/**
	 * Reviews changed in this deck, possibly in another tab: keep the counts true, and move on if
	 * the card on screen was answered elsewhere (its `rev` moved), instead of grading it twice.
	 */
	async #onReviewsChanged(): Promise<void> {
		if (this.busy || this.status === 'loading' || !this.#preset) return;
		const shown = this.card;
		const stored = shown ? await this.#db.cards.get(shown.id) : undefined;
		if (shown && stored?.rev === shown.rev) {
			await this.#next(true);
			return;
		}
		if (shown) this.message = 'That card was answered in another tab; here is the next one.';
		await this.#advance();
	}

	#dayOf(t: number): number {
		return studyDayNumber(t, this.#preset?.dayStartHour ?? 4, this.#timeZone);
	}

	#countDue(due: number, change: number): void {
		if (!this.#balanced || due < this.#clock()) return;
		const day = this.#dayOf(due);
		this.#dueByDay.set(day, Math.max(0, (this.#dueByDay.get(day) ?? 0) + change));
	}

	/** Load-balancing context for `card`: the day loads, and the days its siblings are due. */
	#contextFor(card: Card, siblings: Card[] | null, preset: Preset | null): GradeContext {
		const base: GradeContext = { timeZone: this.#timeZone };
		if (!preset?.loadBalance || !this.#balanced || !siblings) return base;
		const due = siblings.filter((c) => c.id !== card.id && c.state === CardState.Review);
		return {
			...base,
			dueCountsByDay: (day) => this.#dueByDay.get(day) ?? 0,
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a plain value passed to core
			siblingDueDays: new Set(due.map((c) => this.#dayOf(c.due)))
		};
	}

	/** The note, model, siblings and pictures `card` needs, read once (ahead, ideally). */
	#prepare(card: Card): Promise<Prepared> {
		const known = this.#prepared.get(card.id);
		if (known) return known.read;
		const read = this.#read(card);
		const entry: { noteId: string; read: Promise<Prepared>; value?: Prepared } = {
			noteId: card.noteId,
			read
		};
		this.#prepared.set(card.id, entry);
		void read.then(
			(value) => (entry.value = value),
			() => {}
		);
		// A failed read is not kept: showing the card reads it again and reports the error.
		read.catch(() => {
			if (this.#prepared.get(card.id) === entry) this.#prepared.delete(card.id);
		});
		return read;
	}

	async #read(card: Card): Promise<Prepared> {
		const db = this.#db;
		// The note's cards: the siblings for load balancing, and this card as stored now.
		const [note, cards, preset] = await Promise.all([
			db.notes.get(card.noteId),
			noteCards(db, card.noteId),
			this.#presetOf(card.deckId)
		]);
		const stored = cards.find((c) => c.id === card.id);
		const siblings = preset.loadBalance ? cards : null;
		const model = note?.modelId ? ((await db.models.get(note.modelId)) ?? null) : null;
		// Load the card's pictures before showing it, so it never flashes broken images.
		if (note)
			await this.media.ensureFor(
				...Object.values(note.fields),
				...(model ? model.templates.flatMap((t) => [t.front, t.back]) : [])
			);
		return { note: note ?? null, model, preset, siblings, stored };
	}

	/** The preset of the deck `deckId`, read once per queue read. */
	#presetOf(deckId: string): Promise<Preset> {
		let preset = this.#presets.get(deckId);
		if (!preset) {
			const db = this.#db;
			preset = db.decks.get(deckId).then((deck) => getPreset(db, deck?.presetId ?? 'default'));
			this.#presets.set(deckId, preset);
			// A failed read is not kept.
			preset.catch(() => {
				if (this.#presets.get(deckId) === preset) this.#presets.delete(deckId);
			});
		}
		return preset;
	}

	#forgetPrepared(noteId: string): void {
		for (const [id, entry] of this.#prepared)
			if (entry.noteId === noteId) this.#prepared.delete(id);
	}

	async #show(card: Card): Promise<void> {
		this.#display(card, await this.#prepare(card));
	}

	/** Puts `card` on screen with what was read for it. */
	#display(card: Card, { note, model, preset, siblings }: Prepared): void {
		this.#prepared.delete(card.id);
		this.#ctx = this.#contextFor(card, siblings, preset);
		this.#cardPreset = preset;
		this.card = card;
		this.note = note;
		this.model = model;
		this.revealed = false;
		this.status = 'studying';
		this.#shownAt = this.#clock();
		this.#readAhead(card);
	}

	/** While `shown` is on screen, reads what the next cards need. */
	#readAhead(shown: Card): void {
		const queue = this.#queue;
		if (!queue) return;
		const now = this.#clock();
		// The next cards now, and the learning cards that fall due meanwhile and go first then.
		const upcoming = [
			...queue.upcoming(now, READ_AHEAD + 1),
			...queue.upcoming(now + READ_AHEAD_SOON_MS, READ_AHEAD)
		];
		for (const card of upcoming) {
			if (card.id !== shown.id) void this.#prepare(card).catch(() => {});
		}
	}

	async #recover(e: unknown): Promise<void> {
		if (e instanceof StaleCardError) {
			this.message = e.message;
			await this.#advance().catch((err: unknown) => this.#fail(err));
			return;
		}
		this.#fail(e);
	}

	#fail(e: unknown): void {
		console.error(e);
		this.message = describeDbError(e);
		// The card on screen is still the one to answer: a failed write changed nothing.
		if (!this.card) this.status = 'error';
	}
}
