/**
 * A study session's writes, in one place: answers (storage/review-repo saveGrade, one
 * transaction each), the study screen's other actions (study-actions) and note edits, the undo
 * stack they fill, and the undo itself. Each write is counted as ours for the other-tab watch
 * before it can be seen (study-watch), and answers keep the day loads up to date.
 */
import type { Card, Grade, Preset, RevlogEntry } from '$lib/core/model';
import { buryOptions, type BuryOptions } from '$lib/core/scheduling/card-actions';
import { nextStudyDayStart } from '$lib/core/scheduling/day';
import { gradeCard, type GradeContext } from '$lib/core/scheduling/scheduler';
import { undoChanges, type ChangeSet } from '$lib/storage/changes';
import type { RecallDb } from '$lib/storage/db';
import { withReconnect } from '$lib/storage/health';
import { saveGrade, undoGrade, type GradeRecord } from '$lib/storage/review-repo';
import {
	runStudyAction,
	type ActionResult,
	type ActionTarget,
	type StudyActionName
} from './study-actions';
import type { DayLoads } from './study-day-loads';
import { UndoStack, type UndoEntry } from './study-undo.svelte';
import type { OtherTabWatch } from './study-watch';

/** What the status region says when an answer made its card a leech. */
export const LEECH =
	'This card is a leech: you forgot it many times, so it was tagged "leech" and suspended. Consider rewording it.';

/** An answer to write: the card before and after, its review-log row, when siblings unbury. */
export interface Answer {
	before: Card;
	after: Card;
	log: RevlogEntry;
	buryUntil: number;
	/** Which of the note's other cards the answer buries (the card's preset). */
	bury: BuryOptions;
	rating: Grade;
	durationMs: number;
	/** The answer made the card a leech (tagged and suspended). */
	leech: boolean;
}

/**
 * The answer `rating` to `card`, shown at `shownAt` and answered at `now` (core's gradeCard):
 * the card's own deck's preset schedules it; the session's day decides when siblings unbury.
 */
export function gradeAnswer(
	card: Card,
	rating: Grade,
	preset: Preset,
	ctx: GradeContext,
	shownAt: number,
	now: number,
	day: { dayStartHour: number; timeZone: string | undefined }
): Answer {
	const durationMs = Math.min(Math.max(0, now - shownAt), 60 * 60_000);
	const result = gradeCard(card, rating, preset, now, { ...ctx, durationMs });
	const buryUntil = nextStudyDayStart(now, day.dayStartHour, day.timeZone);
	const { log, leech } = result;
	return {
		before: card,
		after: result.card,
		log,
		buryUntil,
		bury: buryOptions(preset),
		rating,
		durationMs,
		leech
	};
}

export class StudyWrites {
	readonly #undo = new UndoStack();
	/** An action's write in progress: the other-tab watch waits for it (its log rows are ours). */
	pending: Promise<unknown> | null = null;
	/** Other tabs' answers, once the session watches them. */
	watch: OtherTabWatch | undefined;
	readonly #db: RecallDb;
	readonly #loads: DayLoads;
	readonly #clock: () => number;

	constructor(db: RecallDb, loads: DayLoads, clock: () => number) {
		this.#db = db;
		this.#loads = loads;
		this.#clock = clock;
	}

	get canUndo(): boolean {
		return this.#undo.canUndo;
	}

	/** Writes an answer (one transaction); undoable once written. */
	answer(a: Answer): Promise<GradeRecord> {
		// Counted before the write, so the change it causes is not taken for another tab's.
		this.watch?.ours(a.before.deckId, +1);
		return withReconnect(this.#db, () =>
			saveGrade(this.#db, a.before, a.after, a.log, a.buryUntil, a.bury)
		).then(
			(record) => {
				this.#undo.push({ kind: 'grade', record, rating: a.rating, durationMs: a.durationMs });
				this.#loads.count(a.before.due, -1, this.#clock());
				this.#loads.count(a.after.due, +1, this.#clock());
				return record;
			},
			(e: unknown) => {
				this.watch?.ours(a.before.deckId, -1);
				throw e;
			}
		);
	}

	/** Runs action `name` on the target's card (one transaction); undoable. */
	async act(name: StudyActionName, target: Omit<ActionTarget, 'db'>): Promise<ActionResult> {
		const write = runStudyAction(name, { ...target, db: this.#db }).then((result) => {
			this.watch?.oursIn(result.changes, +1);
			return result;
		});
		this.pending = write.catch(() => {});
		const result = await write.finally(() => (this.pending = null));
		this.#undo.push({
			kind: 'changes',
			changes: result.changes,
			cardId: target.card.id,
			stays: result.stays
		});
		return result;
	}

	/** A note edit saved (by the editor over card `cardId`): undoable. */
	edited(changes: ChangeSet, cardId: string): void {
		this.#undo.push({ kind: 'changes', changes, cardId, stays: true });
	}

	/** Undoes the last write (one transaction); returns what it was, or null if none. */
	async undo(): Promise<UndoEntry | null> {
		const entry = this.#undo.last();
		if (!entry) return null;
		if (entry.kind === 'grade') {
			await undoGrade(this.#db, entry.record);
			this.watch?.ours(entry.record.before.deckId, -1);
		} else {
			await undoChanges(this.#db, entry.changes);
			this.watch?.oursIn(entry.changes, -1);
		}
		this.#undo.pop();
		return entry;
	}
}
