/** The study session's undo stack: answers and manual actions, the last 50. */
import type { Card, Grade } from '$lib/core/model';
import type { GradeRecord } from '$lib/storage/review-repo';

export type UndoEntry =
	| { kind: 'grade'; record: GradeRecord; rating: Grade; durationMs: number }
	| { kind: 'edit'; before: Card; after: Card; logId?: number };

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
