/**
 * Load balancing's day loads for a study session: review cards due per study day across the
 * collection (read once, after the first card is on screen), kept up to date as cards are
 * graded, and the grade context a card gets from them and from its siblings' due days.
 */
import { CardState, type Card, type Preset } from '$lib/core/model';
import { studyDayNumber } from '$lib/core/scheduling/day';
import { LOAD_BALANCE_MAX_INTERVAL } from '$lib/core/scheduling/load-balance';
import type { GradeContext } from '$lib/core/scheduling/scheduler';
import type { RecallDb } from '$lib/storage/db';
import { dueHistogram, noteCards } from '$lib/storage/review-repo';

export class DayLoads {
	/** Review cards due per study day (whole collection), updated as cards are graded. */
	#dueByDay = new Map<number, number>();
	/** Whether the day loads have been read yet. */
	#balanced = false;
	readonly #db: RecallDb;
	readonly #timeZone: string | undefined;
	/** The session's day start hour (its deck's preset). */
	readonly #dayStartHour: () => number;

	constructor(db: RecallDb, timeZone: string | undefined, dayStartHour: () => number) {
		this.#db = db;
		this.#timeZone = timeZone;
		this.#dayStartHour = dayStartHour;
	}

	/** Reads the day loads from `now` on; false when they could not be read (no balancing). */
	async read(now: number): Promise<boolean> {
		try {
			this.#dueByDay = await dueHistogram(
				this.#db,
				now,
				LOAD_BALANCE_MAX_INTERVAL + 10,
				this.#dayStartHour(),
				this.#timeZone
			);
			this.#balanced = true;
			return true;
		} catch {
			// Without day loads, intervals are fuzzed but not balanced.
			return false;
		}
	}

	/**
	 * Reads the day loads, then gives the card `view` shows (if it is not answered yet, and still
	 * there once its siblings are read) its balanced context through `apply`. Never fails: without
	 * day loads, intervals are fuzzed but not balanced.
	 */
	async readFor(
		now: number,
		view: {
			readonly card: Card | null;
			readonly preset: Preset | null;
			readonly revealed: boolean;
		},
		apply: (ctx: GradeContext) => void
	): Promise<void> {
		if (!(await this.read(now))) return;
		const { card, preset } = view;
		if (view.revealed || !card || !preset?.loadBalance) return;
		const siblings = await noteCards(this.#db, card.noteId).catch(() => null);
		if (siblings && view.card === card) apply(this.contextFor(card, siblings, preset));
	}

	#dayOf(t: number): number {
		return studyDayNumber(t, this.#dayStartHour(), this.#timeZone);
	}

	/** A card due at `due` moved (`change` −1: from there, +1: to there). */
	count(due: number, change: number, now: number): void {
		if (!this.#balanced || due < now) return;
		const day = this.#dayOf(due);
		this.#dueByDay.set(day, Math.max(0, (this.#dueByDay.get(day) ?? 0) + change));
	}

	/** Load-balancing context for `card`: the day loads, and the days its siblings are due. */
	contextFor(card: Card, siblings: Card[] | null, preset: Preset | null): GradeContext {
		const base: GradeContext = { timeZone: this.#timeZone };
		if (!preset?.loadBalance || !this.#balanced || !siblings) return base;
		const due = siblings.filter((c) => c.id !== card.id && c.state === CardState.Review);
		return {
			...base,
			dueCountsByDay: (day) => this.#dueByDay.get(day) ?? 0,
			siblingDueDays: new Set(due.map((c) => this.#dayOf(c.due)))
		};
	}
}
