/**
 * What a study session puts on screen, as reactive state: the card and its note, whether its
 * answer shows, the counts, the status and its message, the summary, and the previews of the
 * grade buttons. ReviewSession (review-session.svelte.ts) extends it with what the session does;
 * the study screen's components read these fields.
 */
import type { Card, Deck, Note, NoteModel, Preset } from '$lib/core/model';
import { previewGrades, type GradeContext } from '$lib/core/scheduling/scheduler';
import type { Shown, Step } from './study-cursor';
import type { FoundProgress, SessionCounts, SessionStatus, SessionSummary } from './study-types';

export class StudyView {
	status = $state<SessionStatus>('loading');
	/** The deck studied (null for a search). */
	deck = $state.raw<Deck | null>(null);
	/** For a search: the cards found and answered. */
	found = $state.raw<FoundProgress>({ total: 0, answered: 0 });
	// Raw state: records are replaced, never mutated, and go back to IndexedDB as plain objects.
	card = $state.raw<Card | null>(null);
	note = $state.raw<Note | null>(null);
	model = $state.raw<NoteModel | null>(null);
	revealed = $state(false);
	counts = $state<SessionCounts>({ new: 0, learning: 0, review: 0 });
	nextDue = $state<number | null>(null);
	/** A short message for the status region: errors, leeches, undo. */
	message = $state('');
	busy = $state(false);
	summary = $state<SessionSummary>({ cards: 0, again: 0, timeMs: 0 });
	/** The shown card's own deck's preset: its previews and its grade. */
	#cardPreset = $state.raw<Preset | null>(null);
	/** When the current card was shown: the previews are computed for that moment. */
	#shownAt = $state(0);
	/** Load-balancing context for the current card: the same for its previews and its grade. */
	#ctx = $state.raw<GradeContext>({});

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

	reveal(): void {
		if (this.status === 'studying' && this.card) this.revealed = true;
	}

	/** The store cannot be used at all: say why instead of loading forever. */
	unavailable(message: string): void {
		this.message = message;
		this.status = 'error';
	}

	/** The counts of a queue step; for a search, how many of the found cards were answered. */
	protected step(step: Step): void {
		this.counts = step.counts;
		this.nextDue = step.nextDue;
		if (step.found) this.found = step.found;
	}

	/** Puts a card on screen, its answer hidden, shown at `now` with context `ctx`. */
	protected display({ card, prepared }: Shown, now: number, ctx: GradeContext): void {
		this.#ctx = ctx;
		this.#cardPreset = prepared.preset;
		this.card = card;
		this.note = prepared.note;
		this.model = prepared.model;
		this.revealed = false;
		this.status = 'studying';
		this.#shownAt = now;
	}

	/** The load balancing's context for the card on screen, read after it was shown. */
	protected balance(ctx: GradeContext): void {
		this.#ctx = ctx;
	}

	/** Nothing left to show for now. */
	protected finished(): void {
		this.card = null;
		this.note = null;
		this.revealed = false;
		this.status = 'finished';
	}
}
