import { describe, expect, it } from 'vitest';
import { compareTypedAnswer, normalizeTyped } from './type-answer';

describe("Anki's typed-answer comparison", () => {
	it('marks a right answer good, whitespace and composition aside', () => {
		expect(compareTypedAnswer('  house ', 'house')).toBe(
			'<code id="typeans"><span class="typeGood">house</span></code>'
		);
		expect(normalizeTyped('cafe\u0301')).toBe('café');
	});

	it('marks wrong characters bad in what was typed and missed ones in the answer', () => {
		expect(compareTypedAnswer('hose', 'house')).toBe(
			'<code id="typeans"><span class="typeGood">hose</span><br><span id="typearrow">&darr;</span><br>' +
				'<span class="typeGood">ho</span><span class="typeMissed">u</span><span class="typeGood">se</span></code>'
		);
		expect(compareTypedAnswer('hxuse', 'house')).toContain('<span class="typeBad">x</span>');
	});

	it('shows the answer alone when nothing was typed, escaped', () => {
		expect(compareTypedAnswer('', 'a <b>')).toBe('<code id="typeans">a &lt;b&gt;</code>');
	});

	it('ignores accents for type:nc:', () => {
		expect(compareTypedAnswer('cafe', 'café', true)).toContain('typeGood">cafe<');
	});
});
