/**
 * Cloze deletions as Anki writes them: `{{c1::answer}}`, `{{c1::answer::hint}}`, nested
 * (`{{c1::outer {{c2::inner}}}}`) and shared (`{{c1,2::both}}`). Shared by Anki cloze note types
 * and Recall's own cloze notes. Cloze numbers are 1-based as written (c1 → 1); a card's `ord` is
 * the number minus one.
 */

interface Cloze {
	numbers: number[];
	nodes: ClozeNode[];
	hint?: string;
	/** The cloze opens inside MathJax's `\(…\)` or `\[…\]` (Anki marks it in TeX there). */
	inMath: boolean;
}
type ClozeNode = string | Cloze;

const TOKEN = /\{\{c(\d+(?:,\d+)*)::|\}\}/g;

/** MathJax's default delimiters in the raw text, cloze markup included. */
const MATH = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g;

/** Where the text's formulas are, as [start, end) offsets. */
function mathRanges(text: string): [number, number][] {
	if (!text.includes('\\(') && !text.includes('\\[')) return [];
	return [...text.matchAll(MATH)].map((m) => [m.index, m.index + m[0].length]);
}

/** Parses like Anki's rslib cloze.rs: unmatched openers fall back to text, stray closers too. */
function parse(text: string): ClozeNode[] {
	const root: ClozeNode[] = [];
	const open: { cloze: Cloze; opener: string }[] = [];
	const target = () => open.at(-1)?.cloze.nodes ?? root;
	const math = mathRanges(text);
	const inMath = (at: number) => math.some(([start, end]) => start < at && at < end);
	const pushText = (chunk: string) => {
		if (chunk === '') return;
		const current = open.at(-1)?.cloze;
		// The first `::` inside a cloze's own text starts its hint.
		const split = current && current.hint === undefined ? chunk.indexOf('::') : -1;
		if (current && split >= 0) {
			current.nodes.push(chunk.slice(0, split));
			current.hint = chunk.slice(split + 2);
		} else if (current && current.hint !== undefined) {
			current.hint += chunk;
		} else {
			target().push(chunk);
		}
	};
	let last = 0;
	for (const match of text.matchAll(TOKEN)) {
		pushText(text.slice(last, match.index));
		last = match.index + match[0].length;
		if (match[1] !== undefined) {
			const numbers = match[1].split(',').map(Number);
			open.push({ cloze: { numbers, nodes: [], inMath: inMath(match.index) }, opener: match[0] });
		} else {
			const closed = open.pop();
			if (closed) target().push(closed.cloze);
			else pushText('}}');
		}
	}
	pushText(text.slice(last));
	// Unterminated clozes: their openers, content and hints come back as plain text, in text
	// order, in one pass (unwinding level by level re-copied everything: quadratic on thousands
	// of stray openers). The outermost one's parent is the root.
	for (const { cloze, opener } of open) {
		root.push(opener);
		for (const node of cloze.nodes) root.push(node);
		if (cloze.hint !== undefined) root.push(`::${cloze.hint}`);
	}
	return root;
}

/** The cloze numbers used in a text, ascending and without repeats (c0 is not a cloze). */
export function clozeOrdinals(text: string): number[] {
	const found = new Set<number>();
	const walk = (nodes: ClozeNode[]) => {
		for (const node of nodes) {
			if (typeof node === 'string') continue;
			for (const n of node.numbers) if (n > 0) found.add(n);
			walk(node.nodes);
		}
	};
	walk(parse(text));
	return [...found].sort((a, b) => a - b);
}

/**
 * The text as card `clozeNumber` shows it: on the front its clozes are `[...]` (or `[hint]`), on
 * the back their answers are wrapped in `<span class="cloze">`; other clozes read as plain text.
 * With `mathjax` (Anki cards, whose formulas are typeset), a cloze inside a formula is marked in
 * TeX as Anki does, `\class{cloze}{[...]}`, so the formula stays whole and its answer hidden.
 */
export function renderCloze(
	text: string,
	clozeNumber: number,
	side: 'front' | 'back',
	{ mathjax = false }: { mathjax?: boolean } = {}
): string {
	const render = (nodes: ClozeNode[]): string =>
		nodes
			.map((node) => {
				if (typeof node === 'string') return node;
				if (!node.numbers.includes(clozeNumber)) return render(node.nodes);
				const shown = side === 'front' ? `[${node.hint ?? '...'}]` : render(node.nodes);
				if (mathjax && node.inMath) return `\\class{cloze}{${shown}}`;
				return `<span class="cloze">${shown}</span>`;
			})
			.join('');
	return render(parse(text));
}

/** The answers of card `clozeNumber`'s clozes, as plain HTML snippets (for `type:cloze:`). */
export function clozeAnswers(text: string, clozeNumber: number): string[] {
	const answers: string[] = [];
	const walk = (nodes: ClozeNode[]) => {
		for (const node of nodes) {
			if (typeof node === 'string') continue;
			if (node.numbers.includes(clozeNumber)) answers.push(flatten(node));
			else walk(node.nodes);
		}
	};
	walk(parse(text));
	return answers;
}

/** A cloze's content with inner clozes reduced to their text. */
function flatten(cloze: Cloze): string {
	return cloze.nodes.map((node) => (typeof node === 'string' ? node : flatten(node))).join('');
}
