import { describe, expect, it } from 'vitest';
import { SHORTCUTS, studyKey } from './study-keys';

const key = (k: string, extra: Partial<KeyboardEvent> = {}) =>
	({
		key: k,
		altKey: false,
		ctrlKey: false,
		metaKey: false,
		target: null,
		...extra
	}) as KeyboardEvent;

describe('study shortcuts', () => {
	it('Space and Enter reveal the answer, only before it is shown', () => {
		expect(studyKey(key(' '), false)).toEqual({ kind: 'reveal' });
		expect(studyKey(key('Enter'), false)).toEqual({ kind: 'reveal' });
		expect(studyKey(key(' '), true)).toBeNull();
	});
	it('1–4 grade, only once the answer is shown', () => {
		expect(studyKey(key('1'), false)).toBeNull();
		expect(studyKey(key('1'), true)).toEqual({ kind: 'grade', rating: 1 });
		expect(studyKey(key('4'), true)).toEqual({ kind: 'grade', rating: 4 });
	});
	it('Z, Ctrl+Z and Cmd+Z undo; S suspends, B buries, I toggles info, ? lists shortcuts', () => {
		expect(studyKey(key('z'), true)).toEqual({ kind: 'undo' });
		expect(studyKey(key('z', { ctrlKey: true }), true)).toEqual({ kind: 'undo' });
		expect(studyKey(key('Z', { metaKey: true }), false)).toEqual({ kind: 'undo' });
		expect(studyKey(key('s'), false)).toEqual({ kind: 'act', action: 'suspendCard' });
		expect(studyKey(key('b'), true)).toEqual({ kind: 'act', action: 'buryCard' });
		expect(studyKey(key('i'), true)).toEqual({ kind: 'info' });
		expect(studyKey(key('?'), true)).toEqual({ kind: 'help' });
	});
	it("Anki's keys act on the card or its note: - = @ ! bury and suspend, * marks, E edits", () => {
		expect(studyKey(key('-'), false)).toEqual({ kind: 'act', action: 'buryCard' });
		expect(studyKey(key('='), true)).toEqual({ kind: 'act', action: 'buryNote' });
		expect(studyKey(key('@'), false)).toEqual({ kind: 'act', action: 'suspendCard' });
		expect(studyKey(key('!'), true)).toEqual({ kind: 'act', action: 'suspendNote' });
		expect(studyKey(key('*'), true)).toEqual({ kind: 'act', action: 'mark' });
		expect(studyKey(key('e'), false)).toEqual({ kind: 'edit' });
		expect(studyKey(key('E'), true)).toEqual({ kind: 'edit' });
	});
	it('Ctrl+1…7 flag (Cmd too), Ctrl+Delete deletes the note; Ctrl+8 and Alt are nothing', () => {
		for (let n = 1; n <= 7; n++) {
			expect(studyKey(key(String(n), { ctrlKey: true }), false)).toEqual({
				kind: 'act',
				action: `flag${n}`
			});
		}
		expect(studyKey(key('2', { metaKey: true }), true)).toEqual({ kind: 'act', action: 'flag2' });
		expect(studyKey(key('8', { ctrlKey: true }), true)).toBeNull();
		expect(studyKey(key('Delete', { ctrlKey: true }), true)).toEqual({
			kind: 'act',
			action: 'deleteNote'
		});
		expect(studyKey(key('Delete'), true)).toBeNull();
		expect(studyKey(key('1', { ctrlKey: true, altKey: true }), true)).toBeNull();
	});
	it('the shortcuts list names every key studyKey knows, R (replay) included', () => {
		const listed = SHORTCUTS.map(([k]) => k).join(' ');
		for (const k of [
			'Space',
			'Enter',
			'1',
			'4',
			'Z',
			'E',
			'Ctrl+1',
			'Ctrl+7',
			'*',
			'-',
			'B',
			'='
		]) {
			expect(listed).toContain(k);
		}
		for (const k of ['@', 'S', '!', 'Ctrl+Delete', 'R', 'I', '?']) expect(listed).toContain(k);
	});
	it('leaves typing and focused buttons alone', () => {
		const input = { closest: () => ({}), tagName: 'INPUT' } as unknown as EventTarget;
		expect(studyKey(key('1', { target: input }), true)).toBeNull();
		const button = { closest: () => null, tagName: 'BUTTON' } as unknown as EventTarget;
		expect(studyKey(key('Enter', { target: button }), false)).toBeNull();
		expect(studyKey(key('c', { ctrlKey: true }), true)).toBeNull();
	});
});
