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
 *
 * This class is the reactive part; beside it: study-source (the queue read from the store),
 * study-read-ahead (notes, models and pictures of the next cards), study-day-loads (load
 * balancing), study-watch (other tabs' answers), study-undo (the undo stack). Reads and writes
 * go through storage (review-repo, study-repo).
 */
import type { Card, Deck, Grade, Note, NoteModel, Preset, RevlogEntry } from '$lib/core/model';
import { nextStudyDayStart } from '$lib/core/scheduling/day';
import {
	bury,
	forgetCard,
	gradeCard,
	previewGrades,
	suspend
} from '$lib/core/scheduling/scheduler';
import type { GradeContext } from '$lib/core/scheduling/scheduler';
import type { RecallDb } from '$lib/storage/db';
import { decksWithin } from '$lib/storage/deck-repo';
import { describeDbError, withReconnect } from '$lib/storage/health';
import { getPreset } from '$lib/storage/presets';
import {
	noteCards,
	saveGrade,
	undoGrade,
	unburyDue,
	updateCard,
	StaleCardError
} from '$lib/storage/review-repo';
import { readCard, readDeck, restoreCard } from '$lib/storage/study-repo';
import { systemClock, deviceTimeZone, type Clock } from './clock';
import { MediaUrls } from './media-urls.svelte';
import { persistence } from './persistence.svelte';
import { DayLoads } from './study-day-loads';
import { ReadAhead, changed, type Prepared, type StudyQueue } from './study-read-ahead';
import { readQueue, type SearchSource } from './study-source';
import { UndoStack } from './study-undo.svelte';
import { OtherTabWatch } from './study-watch';

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
	/** blob: URLs of the pictures and sounds the shown card uses, from the media store. */
	readonly media: MediaUrls;
	/** The deck's preset (a search: the default one): study day, limits, queue order. */
	#preset = $state.raw<Preset | null>(null);
	/** The shown card's own deck's preset: its previews and its grade. */
	#cardPreset = $state.raw<Preset | null>(null);
	/** When the current card was shown: the previews are computed for that moment. */
	#shownAt = $state(0);
	/** Load-balancing context for the current card: the same for its previews and its grade. */
	#ctx = $state.raw<GradeContext>({});
	readonly #undo = new UndoStack();
	/** The queue between answers; read from the store again when it cannot tell alone. */
	#queue: StudyQueue | null = null;
	readonly #ahead: ReadAhead;
	readonly #loads: DayLoads;
	#watch: OtherTabWatch | undefined;
	/** The answer being written while the next card is already on screen (see grade). */
	#saving: Promise<void> | null = null;
	/** Brings the screen back when a learning card falls due after the session ran out. */
	#wake: ReturnType<typeof setTimeout> | undefined;
	#disposed = false;
	readonly #db: RecallDb;
	/** The deck studied, or '' for a search. */
	readonly #deckId: string;
	readonly #search: SearchSource | null;
	readonly #clock: Clock;
	readonly #timeZone: string | undefined;

	/** `source`: a deck id (or `{ deck }`), or `{ search }`: a search's cards. */
	constructor(
		db: RecallDb,
		source: StudySource,
		clock: Clock = systemClock,
		timeZone = deviceTimeZone()
	) {
		this.#db = db;
		const search = typeof source !== 'string' && 'search' in source ? source : null;
		this.#search = search && { query: search.search, limit: search.limit, since: 0 };
		this.#deckId = search
			? ''
			: typeof source === 'string'
				? source
				: (source as { deck: string }).deck;
		this.query = search?.search ?? null;
		this.#clock = clock;
		this.#timeZone = timeZone;
		this.media = new MediaUrls(() => db);
		this.#ahead = new ReadAhead(db, this.media);
		this.#loads = new DayLoads(db, timeZone, () => this.#preset?.dayStartHour ?? 4);
	}

	get canUndo(): boolean {
		return this.#undo.canUndo;
	}

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
			const deck = await readDeck(this.#db, this.#deckId);
			if (!deck) {
				if (missingIsFinal) this.status = 'missing';
				return false;
			}
			this.deck = deck;
			this.#preset = await getPreset(this.#db, deck.presetId);
			for (const d of await decksWithin(this.#db, this.#deckId)) {
				await unburyDue(this.#db, d.id, this.#clock());
			}
			const watch = new OtherTabWatch(this.#db, this.#deckId, this.#clock() - 86_400_000);
			const counted = watch.count();
			await this.#advance();
			this.#watch = watch;
			const known = await counted;
			if (this.#preset.loadBalance) this.#readDayLoads();
			watch.watch(
				known,
				() => this.#settled(),
				() => this.#onReviewsChanged(),
				(e) => this.#fail(e)
			);
			return true;
		} catch (e) {
			this.#fail(e);
			return true;
		}
	}

	/** Runs the search and shows the first card found (the found cards are kept). */
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
	 * The day loads are read once the first card is on screen (IndexedDB would serve them first
	 * and delay that card); the card gets the balanced context when they arrive.
	 */
	#readDayLoads(): void {
		void this.#loads
			.read(this.#clock())
			.then(async (read) => {
				const card = this.card;
				const preset = this.#cardPreset;
				if (!read || !card || !preset?.loadBalance || this.revealed) return;
				const siblings = await noteCards(this.#db, card.noteId);
				if (this.card === card) this.#ctx = this.#loads.contextFor(card, siblings, preset);
			})
			.catch(() => {});
	}

	/** Stops watching other tabs' reviews (when the study page closes). */
	dispose(): void {
		this.#watch?.dispose();
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
		const now = this.#clock();
		const durationMs = Math.min(Math.max(0, now - this.#shownAt), 60 * 60_000);
		const result = gradeCard(card, rating, this.#cardPreset!, now, { ...this.#ctx, durationMs });
		const buryUntil = nextStudyDayStart(now, this.#preset!.dayStartHour, this.#timeZone);
		// Counted before the write, so the change it causes is not taken for another tab's.
		this.#watch?.ours(card.deckId, +1);
		const saving = withReconnect(this.#db, () =>
			saveGrade(this.#db, card, result.card, result.log, buryUntil)
		);
		this.#queue?.answered(result.card, result.log, true);
		// The note's cards changed (this one's due date): read its siblings afresh.
		this.#ahead.forgetNote(card.noteId);
		const early = this.#showEarly(now, said);
		const saved = saving.then(
			async (record) => {
				this.#undo.push({ kind: 'grade', record, rating, durationMs });
				this.#loads.count(card.due, -1, this.#clock());
				this.#loads.count(result.card.due, +1, this.#clock());
				// After real use, browsers grant persistent storage: ask once the first answer is saved.
				if (this.summary.cards === 0) void persistence.request();
				this.#tally(+1, rating, durationMs);
				this.message = result.leech
					? 'This card is a leech: you forgot it many times, so it was tagged "leech" and suspended. Consider rewording it.'
					: said;
				if (!early) await this.#advance(undefined, { reload: false });
			},
			async (e: unknown) => {
				this.#watch?.ours(card.deckId, -1);
				// Memory moved on with an answer that was not saved: read the queue again.
				this.#queue = null;
				if (early && !(e instanceof StaleCardError)) {
					// The card on screen is still the one to answer: a failed write changed nothing.
					this.#display(card, await this.#ahead.prepare(card));
					this.revealed = true;
				}
				await this.#recover(e);
			}
		);
		return { early, saved: saved.catch((e: unknown) => this.#fail(e)) };
	}

	#tally(change: 1 | -1, rating: Grade, durationMs: number): void {
		this.summary = {
			cards: this.summary.cards + change,
			again: this.summary.again + (rating === 1 ? change : 0),
			timeMs: this.summary.timeMs + change * durationMs
		};
	}

	/** Shows the next card from memory, if the queue can tell and its note is read already. */
	#showEarly(now: number, said: string): boolean {
		const step = this.#queue?.next(now);
		if (!step?.card || step.stale) return false;
		const prepared = this.#ahead.ready(step.card.id);
		if (!prepared || changed(step.card, prepared)) return false;
		this.#step(step);
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
			const entry = this.#undo.last();
			if (!entry) return;
			if (entry.kind === 'grade') {
				await undoGrade(this.#db, entry.record);
				this.#watch?.ours(entry.record.before.deckId, -1);
				this.#tally(-1, entry.rating, entry.durationMs);
			} else {
				await restoreCard(this.#db, entry.before, entry.logId);
				if (entry.logId !== undefined) this.#watch?.ours(this.#deckId, -1);
			}
			this.#undo.pop();
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
			const { card: after, log } = change(card, this.#clock(), preset);
			const logId = await updateCard(this.#db, card, after, log);
			if (log) this.#watch?.ours(card.deckId, +1);
			this.#undo.push({ kind: 'edit', before: card, after, logId });
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
		const source = { deckId: this.#deckId, search: this.#search };
		const queue = await readQueue(this.#db, source, this.#preset!, this.#clock(), this.#timeZone);
		this.#queue = queue;
		this.#ahead.clear();
		return queue;
	}

	/** The next card from the queue in memory (read again if it cannot tell); sets the counts. */
	async #next(reload: boolean): Promise<Card | null> {
		const now = this.#clock();
		let step = !reload && this.#queue ? this.#queue.next(now) : null;
		// An empty queue is confirmed against the store before the session says it is finished.
		if (!step || step.stale || !step.card) step = (await this.#reload()).next(now);
		this.#step(step);
		return step.card;
	}

	/** The counts of a queue step; for a search, how many of the found cards were answered. */
	#step(step: { counts: ReviewSession['counts']; nextDue: number | null }): void {
		this.counts = step.counts;
		this.nextDue = step.nextDue;
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
		let prepared = await this.#ahead.prepare(card);
		if (!show && changed(card, prepared)) {
			card = await this.#next(true);
			if (!card) return this.#finish();
			prepared = await this.#ahead.prepare(card);
		}
		this.#display(card, prepared);
	}

	#finish(): void {
		this.card = null;
		this.note = null;
		this.revealed = false;
		this.status = 'finished';
		// A learning card due later today: come back to it when it is due, as if just opened.
		const wait = this.nextDue === null ? Infinity : this.nextDue - this.#clock();
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
	 * Reviews changed in this deck, possibly in another tab: keep the counts true, and move on if
	 * the card on screen was answered elsewhere (its `rev` moved), instead of grading it twice.
	 */
	async #onReviewsChanged(): Promise<void> {
		if (this.busy || this.status === 'loading' || !this.#preset) return;
		const shown = this.card;
		const stored = shown ? await readCard(this.#db, shown.id) : undefined;
		if (shown && stored?.rev === shown.rev) {
			await this.#next(true);
			return;
		}
		if (shown) this.message = 'That card was answered in another tab; here is the next one.';
		await this.#advance();
	}

	/** Puts `card` on screen with what was read for it. */
	#display(card: Card, { note, model, preset, siblings }: Prepared): void {
		this.#ctx = this.#loads.contextFor(card, siblings, preset);
		this.#cardPreset = preset;
		this.card = card;
		this.note = note;
		this.model = model;
		this.revealed = false;
		this.status = 'studying';
		this.#shownAt = this.#clock();
		this.#ahead.shown(card, this.#queue, this.#clock());
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
