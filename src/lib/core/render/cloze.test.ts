import { describe, expect, it } from 'vitest';
import { clozeAnswers, clozeOrdinals, renderCloze } from './cloze';

const TEXT =
	'Canberra was founded in {{c1::1913}} and is the capital of {{c2::Australia::country}}.';

describe('cloze deletions', () => {
	it('lists the cloze numbers used, ascending and once each', () => {
		expect(clozeOrdinals(TEXT)).toEqual([1, 2]);
		expect(clozeOrdinals('{{c3::a}} {{c1::b}} {{c3::c}} {{c0::d}}')).toEqual([1, 3]);
		expect(clozeOrdinals('{{c1,2::shared}} {{c1::outer {{c4::inner}}}}')).toEqual([1, 2, 4]);
		expect(clozeOrdinals('no clozes {{here}}')).toEqual([]);
	});

	it('shows [...] on the front for the active cloze and the others as plain text', () => {
		expect(renderCloze(TEXT, 1, 'front')).toBe(
			'Canberra was founded in <span class="cloze">[...]</span> and is the capital of Australia.'
		);
	});

	it('shows the hint in brackets when the cloze has one', () => {
		expect(renderCloze(TEXT, 2, 'front')).toBe(
			'Canberra was founded in 1913 and is the capital of <span class="cloze">[country]</span>.'
		);
	});

	it('wraps the answer in <span class="cloze"> on the back, without the hint', () => {
		expect(renderCloze(TEXT, 2, 'back')).toBe(
			'Canberra was founded in 1913 and is the capital of <span class="cloze">Australia</span>.'
		);
	});

	it('handles nested clozes: the outer hides all, the inner hides only itself', () => {
		const nested = '{{c1::Paris is the {{c2::capital}} of France}}';
		expect(renderCloze(nested, 1, 'front')).toBe('<span class="cloze">[...]</span>');
		expect(renderCloze(nested, 2, 'front')).toBe(
			'Paris is the <span class="cloze">[...]</span> of France'
		);
		expect(renderCloze(nested, 1, 'back')).toBe(
			'<span class="cloze">Paris is the capital of France</span>'
		);
	});

	it('hides a cloze shared by several cards (c1,2) on each of them', () => {
		expect(renderCloze('{{c1,2::both}} {{c2::two}}', 1, 'front')).toBe(
			'<span class="cloze">[...]</span> two'
		);
		expect(renderCloze('{{c1,2::both}} {{c2::two}}', 2, 'front')).toBe(
			'<span class="cloze">[...]</span> <span class="cloze">[...]</span>'
		);
	});

	it('leaves HTML inside clozes alone and unterminated markup as text', () => {
		expect(renderCloze('{{c1::<b>bold</b>}}', 1, 'back')).toBe(
			'<span class="cloze"><b>bold</b></span>'
		);
		expect(renderCloze('open {{c1::never closed', 1, 'front')).toBe('open {{c1::never closed');
		expect(renderCloze('stray }} closer', 1, 'front')).toBe('stray }} closer');
	});

	it("gives the active cloze's answers for typing and cloze-only", () => {
		expect(clozeAnswers('{{c1::a}} {{c2::b}} {{c1::c::hint}}', 1)).toEqual(['a', 'c']);
	});
});

describe('unterminated clozes', () => {
	// Regression: thousands of stray openers were unwound level by level, copying everything at
	// each level (a 500 KB field took over a minute); the text must come back unchanged.
	// (The test's own time-out is the hang guard.)
	it('come back as the text they were, hints included', () => {
		const text = '{{c1::a::hint ' + '{{c1::x '.repeat(20_000);
		expect(renderCloze(text, 1, 'front')).toBe(text);
		expect(clozeOrdinals(text)).toEqual([]);
	});
});

describe('clozes inside MathJax', () => {
	const text = String.raw`{{c1::ok}} \(2^{{c2::2}}\) \[ {{c1::x::var}} \] {{c3::with \(y\) jax}}`;

	it('are marked in TeX on Anki cards, so the formula stays whole', () => {
		const front = renderCloze(text, 2, 'front', { mathjax: true });
		expect(front).toBe(String.raw`ok \(2^\class{cloze}{[...]}\) \[ x \] with \(y\) jax`);
		expect(renderCloze(text, 2, 'back', { mathjax: true })).toBe(
			String.raw`ok \(2^\class{cloze}{2}\) \[ x \] with \(y\) jax`
		);
		expect(renderCloze(text, 1, 'front', { mathjax: true })).toBe(
			String.raw`<span class="cloze">[...]</span> \(2^2\) \[ \class{cloze}{[var]} \] with \(y\) jax`
		);
	});

	it('keep the HTML span when the formula is inside the cloze, and without MathJax', () => {
		expect(renderCloze(text, 3, 'back', { mathjax: true })).toBe(
			String.raw`ok \(2^2\) \[ x \] <span class="cloze">with \(y\) jax</span>`
		);
		expect(renderCloze(text, 2, 'front')).toBe(
			String.raw`ok \(2^<span class="cloze">[...]</span>\) \[ x \] with \(y\) jax`
		);
	});
});
