/**
 * MathJax for imported Anki cards: `\(…\)` inline and `\[…\]` display math, typeset as Anki's
 * reviewer does (TeX input with the AMS packages) into SVG. Loaded with `import()` only when a
 * card holds math, so it is never part of the first load; the chunk is precached by the service
 * worker like every client file, so it works offline. SVG paths need no font file (nothing is
 * fetched, the CSP's `font-src` is untouched) and no script runs: the elements are built here.
 */
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { browserAdaptor } from 'mathjax-full/js/adaptors/browserAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js';
import 'mathjax-full/js/input/tex/noundefined/NoUndefinedConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
// `\class{cloze}{…}`: how a cloze inside a formula is marked (render/cloze.ts), as in Anki.
import 'mathjax-full/js/input/tex/html/HtmlConfiguration.js';

type MathDocument = ReturnType<typeof mathjax.document>;
let doc: MathDocument | undefined;

function mathDocument(): MathDocument {
	if (doc) return doc;
	RegisterHTMLHandler(browserAdaptor());
	doc = mathjax.document(document, {
		InputJax: new TeX({
			packages: ['base', 'ams', 'newcommand', 'noundefined', 'boldsymbol', 'html']
		}),
		// Every glyph's path in its own SVG: no shared cache for a shadow root to miss.
		OutputJax: new SVG({ fontCache: 'none' })
	});
	return doc;
}

/** `\(…\)` or `\[…\]` in a text, as MathJax's default TeX delimiters find them. */
const MATH = /\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/g;

export const hasMath = (text: string): boolean => /\\\(|\\\[/.test(text);

/**
 * The html package's other commands: a link (`\href`) would navigate away on a tap and `\style`
 * could ask for a picture from anywhere. Only its `\class` is wanted; a formula using these stays
 * as its source.
 */
const UNSAFE = /\\(?:href|style|cssId|data)(?![a-zA-Z])/;

const CLOZE_MARK = '\\class{cloze}{';

/** The TeX a screen reader reads: a cloze's mark (render/cloze.ts) is no part of the formula. */
function withoutClozeMarks(tex: string): string {
	let out = '';
	let at = 0;
	for (let i = tex.indexOf(CLOZE_MARK); i >= 0; i = tex.indexOf(CLOZE_MARK, at)) {
		out += tex.slice(at, i);
		let depth = 1;
		let j = i + CLOZE_MARK.length;
		for (; j < tex.length && depth > 0; j++) {
			if (tex[j] === '\\') j++;
			else if (tex[j] === '{') depth++;
			else if (tex[j] === '}') depth--;
		}
		out += tex.slice(i + CLOZE_MARK.length, depth === 0 ? j - 1 : j);
		at = j;
	}
	return out + tex.slice(at);
}

/** One formula as an `mjx-container` holding its SVG, named by its TeX for screen readers. */
export function typesetTex(tex: string, display: boolean): HTMLElement {
	if (UNSAFE.test(tex)) throw new Error('This formula uses a command Recall does not typeset.');
	const node = mathDocument().convert(tex, { display }) as HTMLElement;
	node.setAttribute('role', 'img');
	node.setAttribute('aria-label', withoutClozeMarks(tex).trim());
	for (const svg of node.querySelectorAll('svg')) svg.setAttribute('aria-hidden', 'true');
	return node;
}

/**
 * Typesets the math of every text node under `root` (not inside a script-free zone such as
 * `code`, `pre` or a typing box), in place. A formula TeX cannot read stays as its source.
 */
export function typesetMath(root: Element): number {
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	const texts: Text[] = [];
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const text = n as Text;
		if (hasMath(text.data) && !text.parentElement?.closest('code, pre, textarea, mjx-container'))
			texts.push(text);
	}
	let count = 0;
	for (const text of texts) {
		const parts: (string | HTMLElement)[] = [];
		let last = 0;
		for (const m of text.data.matchAll(MATH)) {
			const display = m[2] !== undefined;
			const tex = m[1] ?? m[2] ?? '';
			let node: HTMLElement;
			try {
				node = typesetTex(tex, display);
			} catch {
				continue;
			}
			parts.push(text.data.slice(last, m.index), node);
			last = m.index + m[0].length;
			count++;
		}
		if (parts.length === 0) continue;
		parts.push(text.data.slice(last));
		text.replaceWith(...parts);
	}
	return count;
}
