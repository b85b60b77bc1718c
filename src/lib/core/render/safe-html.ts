/**
 * A strict check, as a pure string function (no DOM: it runs in the build, in the import worker
 * and on the page), of whether rendered card HTML is inside a small, fixed subset that the UI's
 * sanitizer (components/card-html.ts, DOMPurify) would leave as it is — the HTML Markdown gives
 * for plain notes: paragraphs, emphasis, lists, code, tables, links, local pictures, cloze spans.
 *
 * `safeCardHtml` returns the HTML as the sanitizer would give it back (links opening outside the
 * app with `target="_blank" rel="noopener noreferrer"`; applied again it changes nothing), or
 * null when anything is outside the
 * subset: another tag or attribute, an inline style, a URL with a scheme other than http(s) and
 * mailto, a remote picture, a comment, a stray `<` or `>`. Null is not an error: that card is
 * then sanitized when it is shown, as before. `render-stored.browser.test.ts` checks, for every
 * built-in and corpus note, that the stored HTML renders exactly as the sanitized one.
 */

/** Elements and, per element, the attributes the subset allows. */
const ALLOWED: Record<string, readonly string[]> = {
	p: [],
	br: [],
	hr: [],
	em: [],
	strong: [],
	b: [],
	i: [],
	u: [],
	s: [],
	del: [],
	ins: [],
	mark: [],
	sub: [],
	sup: [],
	small: [],
	code: ['class'],
	pre: [],
	kbd: [],
	blockquote: [],
	ul: [],
	ol: ['start'],
	li: [],
	h1: [],
	h2: [],
	h3: [],
	h4: [],
	h5: [],
	h6: [],
	table: [],
	thead: [],
	tbody: [],
	tr: [],
	th: ['align'],
	td: ['align'],
	span: ['class'],
	div: ['class'],
	a: ['href', 'title', 'target', 'rel'],
	img: ['src', 'alt', 'title']
};

const VOID = new Set(['br', 'hr', 'img']);

/** A tag: name, then attributes written as `name="value"` (how marked writes them). */
const TAG = /^<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z]+="[^"<>]*")*)\s*(\/?)>/;
const ATTR = /\s+([a-z]+)="([^"<>]*)"/g;
/** Character references marked writes; anything else after `&` is refused. */
const ENTITY = /^&(?:amp|lt|gt|quot|#39|#x27|nbsp|#\d{1,7}|#x[0-9a-f]{1,6});/i;
const CLASS = /^[a-zA-Z0-9 _-]*$/;
/** A link: http(s), mailto, a fragment, or a relative path with no scheme. */
const SAFE_HREF = /^(?:https?:\/\/|mailto:|#|[^:]*$)/i;
/** A picture from the media store: a plain file name, no scheme, not protocol-relative. */
const LOCAL_SRC = /^(?!\/\/)[^:]+$/;

function attrOk(tag: string, name: string, value: string): boolean {
	if (!ALLOWED[tag]?.includes(name)) return false;
	if (!/^(?:[^&]|&(?:amp|lt|gt|quot|#39);)*$/i.test(value)) return false;
	const decoded = value
		.replace(/&lt;/gi, '<')
		.replace(/&gt;/gi, '>')
		.replace(/&quot;/gi, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/gi, '&');
	// Control characters and whitespace inside a URL can hide a scheme (java\tscript:).
	if ((name === 'href' || name === 'src') && /[\s\p{Cc}]/u.test(decoded)) return false;
	switch (name) {
		case 'class':
			return CLASS.test(decoded);
		case 'href':
			return SAFE_HREF.test(decoded);
		case 'src':
			return LOCAL_SRC.test(decoded) && decoded.trim() !== '';
		case 'align':
			return /^(?:left|right|center)$/.test(decoded);
		case 'start':
			return /^\d{1,9}$/.test(decoded);
		// Only as this function writes them (stored HTML is checked again when it is shown).
		case 'target':
			return decoded === '_blank';
		case 'rel':
			return decoded === 'noopener noreferrer';
		default:
			return true;
	}
}

/** The HTML as the card sanitizer would return it, or null when it is outside the subset. */
export function safeCardHtml(html: string): string | null {
	let out = '';
	let i = 0;
	const open: string[] = [];
	while (i < html.length) {
		const lt = html.indexOf('<', i);
		const textEnd = lt < 0 ? html.length : lt;
		const text = html.slice(i, textEnd);
		if (text.includes('>')) return null;
		for (let a = text.indexOf('&'); a >= 0; a = text.indexOf('&', a + 1)) {
			if (!ENTITY.test(text.slice(a))) return null;
		}
		out += text;
		if (lt < 0) break;
		const m = TAG.exec(html.slice(lt));
		if (!m) return null;
		const [whole, closing, tag = '', attrs = '', selfClose] = m;
		if (!(tag in ALLOWED)) return null;
		if (closing) {
			if (attrs || selfClose || open.pop() !== tag) return null;
			out += whole;
		} else {
			const names = new Set<string>();
			let kept = '';
			for (const [attr, name = '', value = ''] of attrs.matchAll(ATTR)) {
				if (names.has(name) || !attrOk(tag, name, value)) return null;
				names.add(name);
				if (name !== 'target' && name !== 'rel') kept += attr;
			}
			if (tag === 'a') {
				if (!names.has('href')) return null;
				out += `<a${kept} target="_blank" rel="noopener noreferrer">`;
			} else out += whole;
			if (VOID.has(tag)) {
				// nothing to close
			} else if (selfClose) return null;
			else open.push(tag);
		}
		i = lt + whole.length;
	}
	return open.length === 0 ? out : null;
}
