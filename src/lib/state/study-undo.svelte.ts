/**
 * The study session's undo stack, the last 50: answers (undone by storage/review-repo
 * undoGrade) and the other actions and note edits (change sets, undone by storage/changes
 * undoChanges), with the card that was on screen and whether it stayed there.
 */
import type { Grade } from '$lib/core/model';
import type { ChangeSet } from '$lib/storage/changes';
import type { GradeRecord } from '$lib/storage/review-repo';

export type UndoEntry =
	| { kind: 'grade'; record: GradeRecord; rating: Grade; durationMs: number }
	| { kind: 'changes'; changes: ChangeSet; cardId: string; stays: boolean };

const KEPT = 50;

export class UndoStack {
	#entries = $state.raw<UndoEntry[]>([]);

	get canUndo(): boolean {
		return this.#entries.length > 0;
	}

	push(entry: UndoEntry): void {
		this.#entries = [...this.#entries.slice(-(KEPT - 1)), entry];
	}

	last(): UndoEntry | undefined {
		return this.#entries.at(-1);
	}

	/** The last entry was undone. */
	pop(): void {
		this.#entries = this.#entries.slice(0, -1);
	}
}
