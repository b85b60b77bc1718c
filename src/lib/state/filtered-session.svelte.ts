/**
 * Studying the cards a search found ("Study these" in the browser), as Anki's filtered decks and
 * custom study do: review ahead (`deck:X prop:due<=3`), forgotten today (`rated:1:1`), by tag
 * (`tag:verbs`). Cards keep their home deck and its preset; answers are ordinary reviews (same
 * scheduler, same one-transaction grade, same undo), so nothing needs rebuilding afterwards.
 * Suspended and buried cards are left out, and answering a card buries its siblings until
 * tomorrow; a card that goes back to learning comes again when its step is due, within this
 * session.
 */
import type { Card, Grade, Note, NoteModel, Preset } from '$lib/core/model';
import { CardState, Queue } from '$lib/core/model';
import { LOAD_BALANCE_MAX_INTERVAL } from '$lib/core/scheduling/load-balance';
import { LEARN_AHEAD_MS } from '$lib/core/scheduling/queue';
import { nextStudyDayStart, studyDayNumber } from '$lib/core/scheduling/day';
import { gradeCard, previewGrades, type GradeContext } from '$lib/core/scheduling/scheduler';
import { parseSearch, SearchSyntaxError, sortRows } from '$lib/core/search';
import { searchCards } from '$lib/storage/browse-repo';
import { getDb, type RecallDb } from '$lib/storage/db';
import { getPreset } from '$lib/storage/presets';
import {
	dueHistogram,
	noteCards,
	saveGrade,
	StaleCardError,
	undoGrade,
	type GradeRecord
} from '$lib/storage/review-repo';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export type FilteredStatus = 'loading' | 'studying' | 'finished' | 'empty' | 'invalid' | 'error';

/** As many cards as an Anki filtered deck takes by default. */
export const FILTERED_LIMIT = 100;

const isLearning = (c: Card) => c.state === CardState.Learning || c.state === CardState.Relearning;
const studiable = (c: Card | undefined): c is Card =>
	!!c && c.queue !== Queue.Suspended && c.queue !== Queue.Buried;

export class FilteredSession {
	status = $state<FilteredStatus>('loading');
	card = $state.raw<Card | null>(null);
	note = $state.raw<Note | null>(null);
	model = $state.raw<NoteModel | null>(null);
	revealed = $state(false);
	message = $state('');
	busy = $state(false);
	/** Cards found (up to the limit), and answered so far. */
	total = $state(0);
	done = $state(0);
	#queue = $state.raw<string[]>([]);
	/** Cards answered into (re)learning: back when their step is due. */
	#learning = $state.raw<Card[]>([]);
	#undo = $state.raw<GradeRecord[]>([]);
	#preset = $state.raw<Preset | null>(null);
	#ctx: GradeContext = {};
	#shownAt = $state(0);
	/** Reviews due per study day, for load balancing; filled by start(). */
	#dueByDay: ReadonlyMap<number, number> | null = null;
	readonly query: string;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	readonly #timeZone: string;
	readonly #limit: number;

	constructor(
		query: string,
		options: { db?: () => RecallDb; clock?: Clock; timeZone?: string; limit?: number } = {}
	) {
		this.query = query;
		this.#db = options.db ?? getDb;
		this.#clock = options.clock ?? systemClock;
		this.#timeZone = options.timeZone ?? deviceTimeZone() ?? 'UTC';
		this.#limit = options.limit ?? FILTERED_LIMIT;
	}

	get canUndo(): boolean {
		return this.#undo.length > 0;
	}

	get counts(): { new: number; learning: number; review: number } {
		const shown = this.card ? [this.card.id] : [];
		const waiting = this.#queue.length + shown.length;
		return { new: 0, learning: this.#learning.length, review: waiting };
	}

	previews = $derived.by(() => {
		if (!this.card || !this.#preset) return null;
		return previewGrades(this.card, this.#preset, this.#shownAt, this.#ctx);
	});

	async start(): Promise<void> {
		let node;
		try {
			node = parseSearch(this.query);
		} catch (e) {
			if (!(e instanceof SearchSyntaxError)) throw e;
			this.message = e.message;
			this.status = 'invalid';
			return;
		}
		try {
			const db = this.#db();
			const now = this.#clock();
			const { rows } = await searchCards(db, node, { now, timeZone: this.#timeZone });
			// Due order: overdue and learning first, new cards last in their deck order.
			const ids = sortRows(rows, { column: 'due', descending: false })
				.filter((r) => r.queue !== Queue.Suspended && r.queue !== Queue.Buried)
				.slice(0, this.#limit)
				.map((r) => r.cardId);
			this.#queue = ids;
			this.total = ids.length;
			const preset = await getPreset(db, 'default');
			this.#dueByDay = await dueHistogram(
				db,
				now,
				LOAD_BALANCE_MAX_INTERVAL + 10,
				preset.dayStartHour,
				this.#timeZone
			);
			await this.#advance();
			if (this.status === 'finished' && ids.length === 0) this.status = 'empty';
		} catch (e) {
			this.#fail(e);
		}
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
			// Siblings are buried until tomorrow, as in a deck's own queue (Anki does the same in
			// filtered decks): the other side of a note would give its answer away. Found siblings
			// are then skipped when their turn comes (they are read fresh), and undo restores them.
			const buryUntil = nextStudyDayStart(now, preset.dayStartHour, this.#timeZone);
			const record = await saveGrade(this.#db(), card, result.card, result.log, buryUntil);
			this.#learning = this.#learning.filter((c) => c.id !== card.id);
			if (isLearning(result.card) && studiable(result.card)) {
				this.#learning = [...this.#learning, result.card];
			}
			this.#undo = [...this.#undo.slice(-49), record];
			this.done++;
			this.message = result.leech
				? 'This card is a leech: it was tagged "leech" and suspended.'
				: '';
			await this.#advance();
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	async undo(): Promise<void> {
		const record = this.#undo.at(-1);
		if (!record || this.busy) return;
		this.busy = true;
		try {
			await undoGrade(this.#db(), record);
			const { before } = record;
			const shown = this.card;
			// The card on screen waits again at the front (unless it is a learning step, kept apart).
			if (shown && shown.id !== before.id && !this.#learning.some((c) => c.id === shown.id)) {
				this.#queue = [shown.id, ...this.#queue];
			}
			this.#learning = this.#learning.filter((c) => c.id !== before.id);
			this.#undo = this.#undo.slice(0, -1);
			this.done--;
			this.message = 'Undone.';
			await this.#show(before);
		} catch (e) {
			await this.#recover(e);
		} finally {
			this.busy = false;
		}
	}

	/** The next card: a learning step that is due, else the next found card, else learn ahead. */
	async #advance(): Promise<void> {
		const now = this.#clock();
		const steps = [...this.#learning].sort((a, b) => a.due - b.due);
		const dueStep = steps.find((c) => c.due <= now);
		if (dueStep) return this.#show(dueStep);
		const db = this.#db();
		while (this.#queue.length > 0) {
			const [id, ...rest] = this.#queue;
			this.#queue = rest;
			const card = await db.cards.get(id as string);
			// Read fresh: it may have been answered in another tab or suspended since the search.
			if (studiable(card)) return this.#show(card);
		}
		const soon = steps[0];
		if (soon && soon.due <= now + LEARN_AHEAD_MS) return this.#show(soon);
		this.card = null;
		this.note = null;
		this.revealed = false;
		this.status = 'finished';
		this.message = soon
			? 'The cards in learning come back later: study this search again then.'
			: '';
	}

	async #show(card: Card): Promise<void> {
		const db = this.#db();
		const [note, deck] = await Promise.all([db.notes.get(card.noteId), db.decks.get(card.deckId)]);
		const preset = await getPreset(db, deck?.presetId ?? 'default');
		const model = note?.modelId ? ((await db.models.get(note.modelId)) ?? null) : null;
		this.#ctx = await this.#contextFor(card, preset);
		this.#preset = preset;
		this.card = card;
		this.note = note ?? null;
		this.model = model;
		this.revealed = false;
		this.status = 'studying';
		this.#shownAt = this.#clock();
	}

	async #contextFor(card: Card, preset: Preset): Promise<GradeContext> {
		const base: GradeContext = { timeZone: this.#timeZone };
		if (!preset.loadBalance) return base;
		const dayOf = (t: number) => studyDayNumber(t, preset.dayStartHour, this.#timeZone);
		const siblings = (await noteCards(this.#db(), card.noteId)).filter(
			(c) => c.id !== card.id && c.state === CardState.Review
		);
		return {
			...base,
			dueCountsByDay: (day) => this.#dueByDay?.get(day) ?? 0,
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a plain value passed to core
			siblingDueDays: new Set(siblings.map((c) => dayOf(c.due)))
		};
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
		this.message = `Something went wrong: ${e instanceof Error ? e.message : String(e)}. Nothing was lost; reload to continue.`;
		this.status = 'error';
	}
}
