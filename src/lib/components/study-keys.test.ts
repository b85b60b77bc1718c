import { describe, expect, it } from 'vitest';
import { studyKey } from './study-keys';

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
		expect(studyKey(key('s'), false)).toEqual({ kind: 'suspend' });
		expect(studyKey(key('b'), true)).toEqual({ kind: 'bury' });
		expect(studyKey(key('i'), true)).toEqual({ kind: 'info' });
		expect(studyKey(key('?'), true)).toEqual({ kind: 'help' });
	});
	it('leaves typing and focused buttons alone', () => {
		const input = { closest: () => ({}), tagName: 'INPUT' } as unknown as EventTarget;
		expect(studyKey(key('1', { target: input }), true)).toBeNull();
		const button = { closest: () => null, tagName: 'BUTTON' } as unknown as EventTarget;
		expect(studyKey(key('Enter', { target: button }), false)).toBeNull();
		expect(studyKey(key('c', { ctrlKey: true }), true)).toBeNull();
	});
});
