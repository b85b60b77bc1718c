import { describe, expect, it } from 'vitest';
import { hasLatex, latexImageName, latexSource, replaceLatex } from './anki-latex';

describe('Anki LaTeX images', () => {
	// The vectors of rslib's own latex.rs test.
	it('names the image by the SHA-1 of the LaTeX Anki compiles, as rslib does', () => {
		const standard = latexSource('latex', 'one<br>and<div>two');
		expect(standard).toBe('one\nand\ntwo');
		expect(latexImageName(standard, false)).toBe(
			'latex-ef30b3f4141c33a5bf7044b0d1961d3399c05d50.png'
		);
		const inline = latexSource('inline', '<b>hello</b>&nbsp; world');
		expect(inline).toBe('$hello  world$');
		expect(latexImageName(inline, true)).toBe('latex-060219fbf3ddb74306abddaf4504276ad793b029.svg');
		const display = latexSource('display', 'math &amp; stuff');
		expect(display).toBe('\\begin{displaymath}math & stuff\\end{displaymath}');
		expect(latexImageName(display, false)).toBe(
			'latex-8899f3f849ffdef6e4e9f2f34a923a1f608ebc07.png'
		);
	});

	it('shows the image the media store holds (SVG before PNG), the alternative text the source', () => {
		const png = 'latex-ef30b3f4141c33a5bf7044b0d1961d3399c05d50.png';
		const store = new Set([png, 'latex-060219fbf3ddb74306abddaf4504276ad793b029.svg']);
		const has = (name: string) => store.has(name);
		expect(replaceLatex('a[latex]one<br>and<div>two[/latex]b', has)).toBe(
			`a<img class="latex" alt="one&#x0A;and&#x0A;two" src="${png}">b`
		);
		expect(replaceLatex('[$]<b>hello</b>&nbsp; world[/$] and [$]x[/$]', has)).toBe(
			'<img class="latex" alt="$hello  world$" src="latex-060219fbf3ddb74306abddaf4504276ad793b029.svg"> and [$]x[/$]'
		);
	});

	it('leaves the source as it is when no image was shipped, and other text alone', () => {
		expect(replaceLatex('[$$]\\int x[/$$]', () => false)).toBe('[$$]\\int x[/$$]');
		expect(replaceLatex('costs $5 [b]', () => true)).toBe('costs $5 [b]');
		expect(hasLatex('[LATEX]x[/LATEX]')).toBe(true);
		expect(hasLatex('\\(x\\)')).toBe(false);
	});

	it('escapes the alternative text: a source cannot open an attribute or a tag', () => {
		const name = latexImageName('a"><script>', false);
		expect(name).toMatch(/^latex-[0-9a-f]{40}\.png$/);
		const html = replaceLatex('[latex]a&quot;&gt;&lt;script&gt;[/latex]', (n) => n === name);
		expect(html).toBe(`<img class="latex" alt="a&quot;&gt;&lt;script&gt;" src="${name}">`);
	});
});
