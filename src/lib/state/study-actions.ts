/**
 * The study screen's actions on the card on screen besides an answer: bury or suspend the card or
 * its whole note, reset it to new, flag it, mark its note, delete its note. Each is one
 * transaction of storage/bulk-actions (as Browse's bulk actions are) and returns its change set,
 * which undo reverses (storage/changes undoChanges) exactly: deleting a note puts back the note,
 * its cards and their review-log rows, ids included. The writes load with the first action (they
 * are precached, so offline too): the study screen's first load does without them.
 */
import type { Card, Note, NoteModel } from '$lib/core/model';
import { FLAG_NAMES, nextStudyDayStart, toggledFlag } from '$lib/core/scheduling';
import type { ChangeSet } from '$lib/storage/changes';
import type { RecallDb } from '$lib/storage/db';
import { noteCards } from '$lib/storage/review-repo';
import type { NoteDraft } from './note-draft.svelte';

/** The tag "mark" adds (Anki's `tag:marked`). */
export const MARKED = 'marked';

export type StudyActionName =
	| 'buryCard'
	| 'buryNote'
	| 'suspendCard'
	| 'suspendNote'
	| 'forget'
	| 'mark'
	| 'deleteNote'
	| `flag${1 | 2 | 3 | 4 | 5 | 6 | 7}`;

/** What an action acts on and when. */
export interface ActionTarget {
	db: RecallDb;
	card: Card;
	note: Note | null;
	now: number;
	/** The session's day start hour: burying lasts until the next study day. */
	dayStartHour: number;
	timeZone: string | undefined;
}

export interface ActionResult {
	changes: ChangeSet;
	/** What the status region says. */
	message: string;
	/** The card stays on screen (a flag, a mark); otherwise the next card is shown. */
	stays: boolean;
}

export function isMarked(note: Note | null): boolean {
	return !!note?.tags.some((t) => t.toLowerCase() === MARKED);
}

async function noteCardIds({ db, card }: ActionTarget): Promise<string[]> {
	return (await noteCards(db, card.noteId)).map((c) => c.id);
}

const until = (t: ActionTarget) => nextStudyDayStart(t.now, t.dayStartHour, t.timeZone);

/** Runs action `name` on the target's card. */
export async function runStudyAction(
	name: StudyActionName,
	t: ActionTarget
): Promise<ActionResult> {
	const { db, card } = t;
	const {
		addTags,
		buryCards,
		deleteNotesOfCards,
		flagCards,
		forgetCards,
		removeTags,
		suspendCards
	} = await import('$lib/storage/bulk-actions');
	const moves = (changes: ChangeSet, message: string) => ({ changes, message, stays: false });
	if (name.startsWith('flag')) {
		const flag = toggledFlag(card, Number(name.slice(4)));
		const changes = await flagCards(db, [card.id], flag);
		const message = flag ? `${FLAG_NAMES[flag - 1]} flag set.` : 'Flag removed.';
		return { changes, message, stays: true };
	}
	switch (name) {
		case 'buryCard':
			return moves(await buryCards(db, [card.id], until(t)), 'Card buried until tomorrow.');
		case 'buryNote':
			return moves(
				await buryCards(db, await noteCardIds(t), until(t)),
				'Note buried until tomorrow.'
			);
		case 'suspendCard':
			return moves(await suspendCards(db, [card.id]), 'Card suspended.');
		case 'suspendNote':
			return moves(await suspendCards(db, await noteCardIds(t)), 'Note suspended.');
		case 'forget':
			return moves(await forgetCards(db, [card.id], t.now), 'Card reset to new.');
		case 'deleteNote':
			return moves(await deleteNotesOfCards(db, [card.id]), 'Note deleted.');
		case 'mark': {
			const marked = isMarked(t.note);
			const edit = marked ? removeTags : addTags;
			const changes = await edit(db, [card.id], [MARKED], t.now);
			return { changes, message: marked ? 'Note unmarked.' : 'Note marked.', stays: true };
		}
		default:
			throw new Error(`Unknown study action ${String(name)}`);
	}
}

/** A draft of `note` for the editor over the card (the editor's code loads only when asked). */
export async function draftOf(
	db: RecallDb,
	note: Note | null,
	model: NoteModel | null,
	clock: () => number
): Promise<NoteDraft | null> {
	if (!note) return null;
	const { NoteDraft } = await import('./note-draft.svelte');
	return new NoteDraft(() => db, { note, model, clock });
}
