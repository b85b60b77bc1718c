/**
 * Anki's LaTeX: `[latex]…[/latex]`, `[$]…[/$]` and `[$$]…[/$$]` are shown as the images Anki
 * generated for them, which travel in the package's media (rslib `latex.rs`). Anki names each
 * image by the SHA-1 of the LaTeX it compiled — the text between the tags with `<br>` and `<div>`
 * as newlines, tags removed and entities decoded, `$…$` around inline math and
 * `\begin{displaymath}…\end{displaymath}` around display math — as `latex-<sha1>.png`, or `.svg`
 * when the note type makes scalable images. Where the media store holds neither, the text is left
 * as it is (shown as its source): Recall has no LaTeX compiler.
 */
import { sha1Hex } from '../export/sha1';

const LATEX =
	/\[latex\]([\s\S]+?)\[\/latex\]|\[\$\]([\s\S]+?)\[\/\$\]|\[\$\$\]([\s\S]+?)\[\/\$\$\]/gi;
const NEWLINES = /<br( \/)?>|<div>/gi;
const TAGS = /<!--[\s\S]*?-->|<[\s\S]*?>/g;

const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0'
};

/** Anki's `decode_entities`: HTML entities decoded, a no-break space read as a space. */
function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
			if (e[0] === '#') {
				const hex = e[1] === 'x' || e[1] === 'X';
				const code = hex ? parseInt(e.slice(2), 16) : Number(e.slice(1));
				return Number.isFinite(code) && code > 0 && code < 0x110000
					? String.fromCodePoint(code)
					: m;
			}
			return NAMED[e.toLowerCase()] ?? m;
		})
		.replace(/\u00a0/g, ' ');
}

/** The LaTeX Anki compiles for one match, as its image name is computed from. */
export function latexSource(kind: 'latex' | 'inline' | 'display', body: string): string {
	const latex =
		kind === 'inline'
			? `$${body}$`
			: kind === 'display'
				? `\\begin{displaymath}${body}\\end{displaymath}`
				: body;
	return decodeEntities(latex.replace(NEWLINES, '\n').replace(TAGS, ''));
}

/** `latex-<sha1 of the source>.png` (or `.svg`), as Anki names the image. */
export function latexImageName(source: string, svg: boolean): string {
	return `latex-${sha1Hex(source)}.${svg ? 'svg' : 'png'}`;
}

const escapeAttribute = (text: string) =>
	text
		.replace(/&/g, '&amp;')
		.replace(/"/g, '&quot;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/\n/g, '&#x0A;');

/** True when `html` holds one of Anki's LaTeX tags. */
export const hasLatex = (html: string): boolean => /\[(?:latex|\$\$?)\]/i.test(html);

/**
 * Every LaTeX tag of `html` whose image the media store holds (`has`: SVG first, then PNG) as
 * Anki's `<img class=latex>` with the source as its alternative text; the others unchanged.
 */
export function replaceLatex(html: string, has: (name: string) => boolean): string {
	if (!hasLatex(html)) return html;
	return html.replace(LATEX, (match, standard?: string, inline?: string, display?: string) => {
		const source =
			standard !== undefined
				? latexSource('latex', standard)
				: inline !== undefined
					? latexSource('inline', inline)
					: latexSource('display', display ?? '');
		const name = [true, false].map((svg) => latexImageName(source, svg)).find(has);
		return name ? `<img class="latex" alt="${escapeAttribute(source)}" src="${name}">` : match;
	});
}
