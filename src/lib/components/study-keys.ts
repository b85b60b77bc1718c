/** Desktop shortcuts of the study screen, as a pure mapping from a key event to an action. */
import type { Grade } from '$lib/core/model';
import type { StudyActionName } from '$lib/state/study-actions';

export type StudyAction =
	| { kind: 'reveal' }
	| { kind: 'grade'; rating: Grade }
	| { kind: 'undo' }
	| { kind: 'act'; action: StudyActionName }
	| { kind: 'edit' }
	| { kind: 'info' }
	| { kind: 'help' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>;

/** Keys without a modifier (Anki's where it has one) and the actions they run on the card. */
const ACTION_KEYS: Record<string, StudyActionName> = {
	'-': 'buryCard',
	b: 'buryCard',
	B: 'buryCard',
	'=': 'buryNote',
	'@': 'suspendCard',
	s: 'suspendCard',
	S: 'suspendCard',
	'!': 'suspendNote',
	'*': 'mark'
};

/** Ctrl (⌘) with a key: undo, the seven flags (toggling), delete the note. */
function withControl(key: string): StudyAction | null {
	if (key.toLowerCase() === 'z') return { kind: 'undo' };
	if (/^[1-7]$/.test(key)) return { kind: 'act', action: `flag${Number(key) as 1}` };
	if (key === 'Delete') return { kind: 'act', action: 'deleteNote' };
	return null;
}

export function studyKey(e: KeyLike, revealed: boolean): StudyAction | null {
	const target = e.target as { closest?: (s: string) => unknown; tagName?: string } | null;
	// Typing in a field, or pressing a focused button, keeps its usual meaning.
	if (target?.closest?.('input, textarea, select, [contenteditable], dialog')) return null;
	if ((e.key === ' ' || e.key === 'Enter') && target?.tagName === 'BUTTON') return null;
	if (e.altKey) return null;
	if (e.ctrlKey || e.metaKey) return withControl(e.key);
	const action = ACTION_KEYS[e.key];
	if (action) return { kind: 'act', action };
	switch (e.key) {
		case ' ':
		case 'Enter':
			return revealed ? null : { kind: 'reveal' };
		case '1':
		case '2':
		case '3':
		case '4':
			return revealed ? { kind: 'grade', rating: Number(e.key) as Grade } : null;
		case 'z':
		case 'Z':
			return { kind: 'undo' };
		case 'e':
		case 'E':
			return { kind: 'edit' };
		case 'i':
		case 'I':
			return { kind: 'info' };
		case '?':
			return { kind: 'help' };
		default:
			return null;
	}
}

/** Every key of the study screen, as the shortcuts dialog lists them. */
export const SHORTCUTS: readonly (readonly [key: string, action: string])[] = [
	['Space or Enter', 'Show answer'],
	['1 / 2 / 3 / 4', 'Again / Hard / Good / Easy'],
	['Z or Ctrl+Z', 'Undo'],
	['E', 'Edit the note'],
	['Ctrl+1 … Ctrl+7', 'Flag the card: red … purple (the same again: none)'],
	['*', 'Mark or unmark the note (tag “marked”)'],
	['- or B', 'Bury the card until tomorrow'],
	['=', 'Bury the note until tomorrow'],
	['@ or S', 'Suspend the card'],
	['!', 'Suspend the note'],
	['Ctrl+Delete', 'Delete the note'],
	['R', 'Replay the card’s sounds'],
	['I', 'Show or hide the card’s memory'],
	['?', 'This list']
];
