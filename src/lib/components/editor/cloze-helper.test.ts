import { describe, expect, it } from 'vitest';
import { clozeNumber, wrapCloze } from './cloze-helper';

describe('the cloze buttons', () => {
	it('number a new cloze one past the highest, or reuse the highest', () => {
		expect(clozeNumber('no cloze', false)).toBe(1);
		expect(clozeNumber('no cloze', true)).toBe(1);
		expect(clozeNumber('{{c1::a}} {{c3::b}}', false)).toBe(4);
		expect(clozeNumber('{{c1::a}} {{c3::b}}', true)).toBe(3);
	});

	it('wrap the selection and put the caret after it', () => {
		expect(wrapCloze('Born Lev Bronstein.', 5, 18)).toEqual({
			text: 'Born {{c1::Lev Bronstein}}.',
			caret: 26
		});
		expect(wrapCloze('{{c1::a}} b', 10, 11)).toEqual({ text: '{{c1::a}} {{c2::b}}', caret: 19 });
		expect(wrapCloze('{{c1::a}} b', 11, 10, true)).toEqual({
			text: '{{c1::a}} {{c1::b}}',
			caret: 19
		});
	});

	it('leave the caret inside an empty cloze when nothing is selected', () => {
		expect(wrapCloze('ab', 1, 1)).toEqual({ text: 'a{{c1::}}b', caret: 7 });
	});
});
