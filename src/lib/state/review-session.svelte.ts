/**
 * One study session: grading, undo and the study screen's other actions (bury, suspend, flag,
 * mark, delete or edit the note) on the cards of a deck with its subdecks (the day's queue within
 * the daily limits) or of a search ("Study these", custom study: the cards it found, as Anki's
 * filtered decks do). Answers are ordinary reviews either way, each card graded with its own
 * deck's preset; the deck's preset (a search: the default one) decides the study day, the limits
 * and the order. What is on screen is the reactive state of StudyView, which this class extends;
 * plain helpers beside it do the rest (state/README.md): study-cursor (which card is next),
 * study-writes (answers, actions, undo), study-day-loads, study-watch, study-source.
 */
import type { Card, Grade, Preset } from '$lib/core/model';
import { UndoConflictError, type ChangeSet } from '$lib/storage/changes';
import type { RecallDb } from '$lib/storage/db';
import { describeDbError } from '$lib/storage/health';
import { StaleCardError } from '$lib/storage/review-repo';
import { readCard } from '$lib/storage/study-repo';
import { systemClock, deviceTimeZone } from './clock';
import { MediaUrls } from './media-urls.svelte';
import type { NoteDraft } from './note-draft.svelte';
import { persistence } from './persistence.svelte';
import { draftOf, type StudyActionName } from './study-actions';
import { StudyCursor, type Shown } from './study-cursor';
import { DayLoads } from './study-day-loads';
import { openSource, type SearchSource } from './study-source';
import { splitSource, tallied, type StudySource } from './study-types';
import { StudyView } from './study-view.svelte';
import { OtherTabWatch, wakeAt } from './study-watch';
import { gradeAnswer, LEECH, StudyWrites } from './study-writes';

export type { FoundProgress, SessionStatus, SessionSummary, StudySource } from './study-types';

export class ReviewSession extends StudyView {
	/** The search studied, or null for a deck. */
	readonly query: string | null;
	/** blob: URLs of the pictures and sounds the shown card uses, from the media store. */
	readonly media: MediaUrls;
	/** The deck's preset (a search: the default one): study day, limits, queue order. */
	#preset: Preset | null = null;
	readonly #cursor: StudyCursor;
	readonly #writes: StudyWrites;
	readonly #loads: DayLoads;
	/** The answer being written while the next card is already on screen, or an action. */
	#saving: Promise<void> | null = null;
	/** Stops the timer that brings a learning card back once the session ran out. */
	#wake: (() => void) | undefined;
	#disposed = false;
	readonly #db: RecallDb;
	/** The deck studied, or '' for a search. */
	readonly #deckId: string;
	readonly #search: SearchSource | null;
	readonly #clock: () => number;
	readonly #timeZone: string | undefined;

	/** `source`: a deck id (or `{ deck }`), or `{ search }`: a search's cards. */
	constructor(db: RecallDb, source: StudySource, clock = systemClock, timeZone = deviceTimeZone()) {
		super();
		const { deckId, search, limit } = splitSource(source);
		this.#db = db;
		this.#deckId = deckId;
		this.#search = search === null ? null : { query: search, limit, since: 0 };
		this.query = search;
		this.#clock = clock;
		this.#timeZone = timeZone;
		this.media = new MediaUrls(() => db);
		this.#cursor = new StudyCursor(db, { deckId, search: this.#search }, timeZone, this.media);
		this.#loads = new DayLoads(db, timeZone, () => this.#preset?.dayStartHour ?? 4);
		this.#writes = new StudyWrites(db, this.#loads, clock);
	}

	get canUndo(): boolean {
		return this.#writes.canUndo;
	}

	/**
	 * Loads the deck (or runs the search) and shows the first card. Returns false if the deck is
	 * not on this device; with `{ missingIsFinal: false }` the screen keeps loading (the built-in
	 * decks may be on their way) instead of saying so.
	 */
	async start({ missingIsFinal = true } = {}): Promise<boolean> {
		this.status = 'loading';
		try {
			const search = this.#search;
			const opened = await openSource(this.#db, this.#deckId, search, this.#clock());
			if (!opened) {
				if (missingIsFinal) this.status = 'missing';
				return false;
			}
			if ('problem' in opened) {
				this.message = opened.problem;
				this.status = 'invalid';
				return true;
			}
			this.deck = opened.deck;
			this.#preset = opened.preset;
			// Counting starts before the first card is read, so nothing answered meanwhile is missed.
			const since = this.#clock() - 86_400_000;
			const watch = search ? null : new OtherTabWatch(this.#db, this.#deckId, since);
			await this.#advance();
			// A search that found nothing to study says so (nothing on screen: the session finished).
			if (search && !this.card && this.found.total === 0) this.status = 'empty';
			// The day loads, once the first card is on screen (IndexedDB would serve them first).
			// A search's cards have their own presets: they are read whatever the default one says.
			if (search || opened.preset.loadBalance) {
				void this.#loads.readFor(this.#clock(), this, (ctx) => this.balance(ctx));
			}
			if (!watch) return true;
			this.#writes.watch = watch;
			await watch.watch(
				() => this.#settled(),
				() => this.#onReviewsChanged(),
				(e) => this.#fail(e)
			);
		} catch (e) {
			this.#fail(e);
		}
		return true;
	}

	/** Stops watching other tabs' reviews (when the study page closes). */
	dispose(): void {
		this.#writes.watch?.dispose();
		this.#wake?.();
		this.#disposed = true;
		this.media.dispose();
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
		if (!card || !this.preset || !this.revealed || this.busy) return;
		this.busy = true;
		let saved: Promise<void> | undefined;
		let released = false;
		try {
			// An answer still being written goes first; if it failed, its card is back on screen.
			await this.#saving;
			if (this.card !== card || !this.revealed) return;
			const answer = this.#answer(card, this.preset, rating, said);
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
	#answer(card: Card, preset: Preset, rating: Grade, said: string) {
		const now = this.#clock();
		const day = { dayStartHour: this.#preset!.dayStartHour, timeZone: this.#timeZone };
		const answer = gradeAnswer(card, rating, preset, this.gradeContext, this.shownAt, now, day);
		const { after, log, durationMs } = answer;
		const saving = this.#writes.answer(answer);
		this.#cursor.answered(card, after, log, answer.bury);
		const next = this.#cursor.early(now);
		if (next) {
			this.step(next.step);
			this.message = said;
			this.#display(next.shown);
		}
		const saved = saving.then(
			async () => {
				// After real use, browsers grant persistent storage: ask once the first answer is saved.
				if (this.summary.cards === 0) void persistence.request();
				this.summary = tallied(this.summary, +1, rating, durationMs);
				this.message = answer.leech ? LEECH : said;
				if (!next) await this.#advance(undefined, { reload: false });
			},
			async (e: unknown) => {
				// Memory moved on with an answer that was not saved: read the queue again.
				this.#cursor.drop();
				if (next && !(e instanceof StaleCardError)) {
					// The card on screen is still the one to answer: a failed write changed nothing.
					this.#display({ card, prepared: await this.#cursor.prepare(card) });
					this.revealed = true;
				}
				await this.#recover(e);
			}
		);
		return { early: next !== null, saved: saved.catch((e: unknown) => this.#fail(e)) };
	}

	/** Waits for an answer still being written (see grade), or an action's write. */
	async #settled(): Promise<void> {
		await Promise.all([this.#saving, this.#writes.pending]);
	}

	async undo(): Promise<void> {
		// An answer still being written counts: it is undone once it is.
		if (!this.canUndo && !this.#saving) return;
		await this.#exclusive(async () => {
			const entry = await this.#writes.undo();
			if (!entry) return;
			this.message = 'Undone.';
			if (entry.kind === 'grade') {
				this.summary = tallied(this.summary, -1, entry.rating, entry.durationMs);
				return this.#advance(entry.record.before);
			}
			if (entry.stays && this.card?.id === entry.cardId) return this.#stay(entry.cardId);
			await this.#advance(await readCard(this.#db, entry.cardId));
		});
	}

	/** An action on the card on screen (study-actions): one transaction, undoable. */
	act(name: StudyActionName): Promise<void> {
		const { card, note } = this;
		const preset = this.#preset;
		if (!card || !preset) return Promise.resolve();
		return this.#exclusive(async () => {
			if (this.card !== card) return;
			const { dayStartHour } = preset;
			const target = { card, note, now: this.#clock(), dayStartHour, timeZone: this.#timeZone };
			const { message, stays } = await this.#writes.act(name, target);
			this.message = message;
			await (stays ? this.#stay(card.id) : this.#advance());
		});
	}

	/** A draft of the note on screen, for the editor over the card (its code loads when asked). */
	noteDraft = (): Promise<NoteDraft | null> =>
		draftOf(this.#db, this.note, this.model, this.#clock);

	/** The note on screen was saved from its draft: undoable, and its card shown with the change. */
	async noteEdited(changes: ChangeSet): Promise<void> {
		const card = this.card;
		if (!card) return;
		await this.#exclusive(async () => {
			this.#writes.edited(changes, card.id);
			this.message = 'Note saved.';
			await this.#stay(card.id);
		});
	}

	/** Runs `work` alone (busy meanwhile), after the write in progress; reports its failure. */
	async #exclusive(work: () => Promise<void>): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		try {
			await this.#settled();
			await work();
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	/** Shows the next card (or `show`, the card an undo brought back; see StudyCursor.advance). */
	async #advance(show?: Card, { reload = true } = {}): Promise<void> {
		this.#wake?.();
		const { step, shown } = await this.#cursor.advance(this.#preset!, this.#clock, {
			show,
			reload
		});
		this.step(step);
		if (shown) return this.#display(shown);
		this.finished();
		// A learning card due later today: come back to it when it is due, as if just opened.
		if (this.#disposed || this.nextDue === null) return;
		this.#wake = wakeAt(this.nextDue, this.#clock(), () => {
			if (this.status !== 'finished' || this.busy) return;
			void this.#advance().catch((e: unknown) => this.#fail(e));
		});
	}

	/** Card `cardId` again as stored now (after a flag, a mark, an edit), revealed as it was. */
	async #stay(cardId: string): Promise<void> {
		const card = await readCard(this.#db, cardId);
		if (!card) return this.#advance();
		const { revealed, shownAt } = this;
		this.#display({ card, prepared: await this.#cursor.prepare(card, { fresh: true }) }, shownAt);
		this.revealed = revealed;
	}

	/** Puts a card on screen (shown now, or at `shownAt`), and reads ahead for the next ones. */
	#display(shown: Shown, shownAt = this.#clock()): void {
		const { card, prepared } = shown;
		this.display(shown, shownAt, this.#loads.contextFor(card, prepared.siblings, prepared.preset));
		this.#cursor.shown(card, this.#clock());
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
			return this.step(await this.#cursor.next(this.#preset, this.#clock(), true));
		}
		if (shown) this.message = 'That card was answered in another tab; here is the next one.';
		await this.#advance();
	}

	async #recover(e: unknown): Promise<void> {
		if (!(e instanceof StaleCardError || e instanceof UndoConflictError)) return this.#fail(e);
		this.message = e.message;
		await this.#advance().catch((err: unknown) => this.#fail(err));
	}

	#fail(e: unknown): void {
		console.error(e);
		this.message = describeDbError(e);
		// The card on screen is still the one to answer: a failed write changed nothing.
		if (!this.card) this.status = 'error';
	}
}
