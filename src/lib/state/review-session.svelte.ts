/**
 * One study session on one deck: what card is shown, whether its answer is, the remaining
 * counts, grading and undo. Reads and writes go through storage/review-repo (one transaction
 * per grade); scheduling decisions come from core/scheduling.
 */
import type { Card, Deck, Grade, Note, NoteModel, Preset, RevlogEntry } from '$lib/core/model';
import { buildQueue } from '$lib/core/scheduling/queue';
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
import type { RecallDb } from '$lib/storage/db';
import { decksWithin } from '$lib/storage/deck-repo';
import { describeDbError, withReconnect } from '$lib/storage/health';
import { getPreset } from '$lib/storage/presets';
import {
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

export type SessionStatus = 'loading' | 'studying' | 'finished' | 'missing' | 'error';

export interface SessionSummary {
	cards: number;
	again: number;
	timeMs: number;
}

type UndoEntry =
	| { kind: 'grade'; record: GradeRecord; rating: Grade; durationMs: number }
	| { kind: 'edit'; before: Card; after: Card; logId?: number };

export class ReviewSession {
	status = $state<SessionStatus>('loading');
	deck = $state.raw<Deck | null>(null);
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
	/** blob: URLs of the pictures and sounds the shown card uses, from the media store. */
	readonly media: MediaUrls;
	readonly #db: RecallDb;
	readonly #deckId: string;
	readonly #clock: Clock;
	readonly #timeZone: string | undefined;

	constructor(
		db: RecallDb,
		deckId: string,
		clock: Clock = systemClock,
		timeZone = deviceTimeZone()
	) {
		this.#db = db;
		this.#deckId = deckId;
		this.#clock = clock;
		this.#timeZone = timeZone;
		this.media = new MediaUrls(() => db);
	}

	get canUndo(): boolean {
		return this.#undo.length > 0;
	}

	#preset = $state.raw<Preset | null>(null);
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
		if (!this.card || !this.#preset) return null;
		return previewGrades(this.card, this.#preset, this.#shownAt, this.#ctx);
	});

	get preset(): Preset | null {
		return this.#preset;
	}
	get gradeContext(): GradeContext {
		return this.#ctx;
	}
	get shownAt(): number {
		return this.#shownAt;
	}

	/**
	 * Loads the deck and shows its first card. Returns false if the deck is not on this device;
	 * with `{ missingIsFinal: false }` the screen keeps loading (the built-in decks may be on their
	 * way) instead of saying so.
	 */
	async start({ missingIsFinal = true } = {}): Promise<boolean> {
		this.status = 'loading';
		try {
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
			await this.#advance();
			if (this.#preset.loadBalance) {
				// Reading the day loads takes a while on a large collection: it starts once the first
				// card is on screen (IndexedDB would serve it first and delay that card), and the
				// card gets the balanced context when it arrives.
				const { dayStartHour } = this.#preset;
				void dueHistogram(this.#db, this.#clock(), LOAD_BALANCE_MAX_INTERVAL + 10, (t) =>
					studyDayNumber(t, dayStartHour, this.#timeZone)
				)
					.then(async (histogram) => {
						this.#dueByDay = histogram;
						this.#balanced = true;
						const card = this.card;
						if (card && !this.revealed) {
							const ctx = await this.#contextFor(card);
							if (this.card === card) this.#ctx = ctx;
						}
					})
					.catch(() => {
						// Without day loads, intervals are fuzzed but not balanced.
					});
			}
			// Every emission is checked, the first one too: it may already carry another tab's
			// answer given between our first read and the subscription.
			this.#unwatch = watchDeckReviews(
				this.#db,
				this.#deckId,
				this.#clock() - 86_400_000,
				(count) => {
					if (count === this.#knownReviews) return;
					this.#knownReviews = count;
					void this.#onReviewsChanged().catch((e: unknown) => this.#fail(e));
				}
			);
			return true;
		} catch (e) {
			this.#fail(e);
			return true;
		}
	}

	/** Stops watching other tabs' reviews (when the study page closes). */
	dispose(): void {
		this.#unwatch?.();
		this.#unwatch = undefined;
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

	async grade(rating: Grade): Promise<void> {
		const card = this.card;
		const preset = this.#preset;
		if (!card || !preset || !this.revealed || this.busy) return;
		this.busy = true;
		try {
			const now = this.#clock();
			const durationMs = Math.min(Math.max(0, now - this.#shownAt), 60 * 60_000);
			const result = gradeCard(card, rating, preset, now, { ...this.#ctx, durationMs });
			const buryUntil = nextStudyDayStart(now, preset.dayStartHour, this.#timeZone);
			const record = await withReconnect(this.#db, () =>
				saveGrade(this.#db, card, result.card, result.log, buryUntil)
			);
			this.#undo = [...this.#undo.slice(-49), { kind: 'grade', record, rating, durationMs }];
			if (this.#knownReviews !== undefined && card.deckId === this.#deckId) this.#knownReviews++;
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
				: '';
			await this.#advance();
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	async undo(): Promise<void> {
		const entry = this.#undo.at(-1);
		if (!entry || this.busy) return;
		this.busy = true;
		try {
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
		const card = this.card;
		const preset = this.#preset;
		if (!card || !preset || this.busy) return;
		this.busy = true;
		try {
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

	/** Recomputes the queue and the counts. */
	async #refreshQueue(): Promise<Card | null> {
		const preset = this.#preset!;
		const now = this.#clock();
		const start = studyDayStart(now, preset.dayStartHour, this.#timeZone);
		const end = nextStudyDayStart(now, preset.dayStartHour, this.#timeZone);
		const candidates = await loadTreeCandidates(this.#db, this.#deckId, { start, end }, now);
		const queue = buildQueue(candidates, candidates.limits, preset, now, {
			timeZone: this.#timeZone
		});
		this.counts = {
			new: queue.counts.new,
			learning: queue.counts.learning + candidates.learningLater,
			review: queue.counts.review
		};
		this.nextDue = candidates.nextDue;
		return queue.next;
	}

	/** Recomputes the queue and shows its next card (or `show`, the card an undo brought back). */
	async #advance(show?: Card): Promise<void> {
		const next = show ?? (await this.#refreshQueue());
		if (show) await this.#refreshQueue();
		if (!next) {
			this.card = null;
			this.note = null;
			this.revealed = false;
			this.status = 'finished';
			return;
		}
		await this.#show(next);
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
			await this.#refreshQueue();
			return;
		}
		if (shown) this.message = 'That card was answered in another tab; here is the next one.';
		await this.#advance();
	}

	#dayOf(t: number): number {
		return studyDayNumber(t, this.#preset?.dayStartHour ?? 4, this.#timeZone);
	}

	#countDue(due: number, change: number): void {
		if (!this.#preset?.loadBalance || due < this.#clock()) return;
		const day = this.#dayOf(due);
		this.#dueByDay.set(day, Math.max(0, (this.#dueByDay.get(day) ?? 0) + change));
	}

	async #contextFor(card: Card): Promise<GradeContext> {
		const base: GradeContext = { timeZone: this.#timeZone };
		if (!this.#preset?.loadBalance || !this.#balanced) return base;
		const siblings = (await noteCards(this.#db, card.noteId)).filter(
			(c) => c.id !== card.id && c.state === 2
		);
		return {
			...base,
			dueCountsByDay: (day) => this.#dueByDay.get(day) ?? 0,
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a plain value passed to core
			siblingDueDays: new Set(siblings.map((c) => this.#dayOf(c.due)))
		};
	}

	async #show(card: Card): Promise<void> {
		this.#ctx = await this.#contextFor(card);
		const note = await this.#db.notes.get(card.noteId);
		const model = note?.modelId ? ((await this.#db.models.get(note.modelId)) ?? null) : null;
		// Load the card's pictures before showing it, so it never flashes broken images.
		if (note)
			await this.media.ensureFor(
				...Object.values(note.fields),
				...(model ? model.templates.flatMap((t) => [t.front, t.back]) : [])
			);
		this.card = card;
		this.note = note ?? null;
		this.model = model;
		this.revealed = false;
		this.status = 'studying';
		this.#shownAt = this.#clock();
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
