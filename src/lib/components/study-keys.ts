/** Desktop shortcuts of the study screen, as a pure mapping from a key event to an action. */
import type { Grade } from '$lib/core/model';

export type StudyAction =
	| { kind: 'reveal' }
	| { kind: 'grade'; rating: Grade }
	| { kind: 'undo' }
	| { kind: 'suspend' }
	| { kind: 'bury' }
	| { kind: 'info' }
	| { kind: 'help' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>;

export function studyKey(e: KeyLike, revealed: boolean): StudyAction | null {
	const target = e.target as { closest?: (s: string) => unknown; tagName?: string } | null;
	// Typing in a field, or pressing a focused button, keeps its usual meaning.
	if (target?.closest?.('input, textarea, select, [contenteditable], dialog')) return null;
	if ((e.key === ' ' || e.key === 'Enter') && target?.tagName === 'BUTTON') return null;
	if (e.altKey) return null;
	if (e.ctrlKey || e.metaKey) return e.key.toLowerCase() === 'z' ? { kind: 'undo' } : null;
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
		case 's':
		case 'S':
			return { kind: 'suspend' };
		case 'b':
		case 'B':
			return { kind: 'bury' };
		case 'i':
		case 'I':
			return { kind: 'info' };
		case '?':
			return { kind: 'help' };
		default:
			return null;
	}
}
