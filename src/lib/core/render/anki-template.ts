import { deckName } from '../decks/deck-title';
import type { NoteModel } from '../model';
import { clozeAnswers, renderCloze } from './cloze';

/**
 * Anki card templates: `{{Field}}`, sections `{{#Field}}…{{/Field}}` and `{{^Field}}…{{/Field}}`,
 * filters (`{{text:Field}}`, `{{cloze:Text}}`, `{{hint:Field}}`, `{{type:Field}}`, furigana…) and
 * the special fields FrontSide, Tags, Deck, Subdeck, Card, Type. Output is HTML for the UI to
 * sanitise; nothing here runs scripts or touches the DOM. Unknown filters pass the text through
 * and unknown fields render empty, as a broken template should not hide the rest of the card.
 */

export interface AnkiCardContext {
	/** Field values by name (HTML). */
	fields: Record<string, string>;
	tags?: string[];
	/** Full deck title, `Parent::Child`. */
	deck?: string;
	/** Note type name. */
	noteType?: string;
	/** Template name ("Card 1"). */
	cardName?: string;
	/** For cloze note types: the card's cloze number (ord + 1). */
	clozeNumber?: number;
}

export type Side = 'front' | 'back';

type Node =
	| { kind: 'text'; text: string }
	| { kind: 'field'; name: string; filters: string[]; inTag: boolean }
	| { kind: 'section'; name: string; inverted: boolean; children: Node[] };

/** Parses `{{…}}` tags into a tree; an unclosed section runs to the end, a stray closer is dropped. */
function parse(template: string): Node[] {
	const root: Node[] = [];
	const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
	const current = () => (stack.at(-1) as { children: Node[] }).children;
	let last = 0;
	// Whether the template is inside an HTML tag here (`<img src="{{Field}}">`): such a field
	// is an attribute's text and gets no wrapper.
	let inTag = false;
	const text = (chunk: string) => {
		current().push({ kind: 'text', text: chunk });
		const lt = chunk.lastIndexOf('<');
		const gt = chunk.lastIndexOf('>');
		if (lt !== gt) inTag = lt > gt;
	};
	for (const match of template.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
		if (match.index > last) text(template.slice(last, match.index));
		last = match.index + match[0].length;
		const tag = (match[1] ?? '').trim();
		const sigil = tag[0];
		if (sigil === '#' || sigil === '^') {
			const section = {
				kind: 'section' as const,
				name: tag.slice(1).trim(),
				inverted: sigil === '^',
				children: []
			};
			current().push(section);
			stack.push(section);
		} else if (sigil === '/') {
			const name = tag.slice(1).trim();
			for (let open = stack.length - 1; open > 0; open--) {
				if (stack[open]?.name === name) {
					stack.length = open;
					break;
				}
			}
		} else {
			const parts = tag.split(':');
			const name = (parts.pop() ?? '').trim();
			current().push({ kind: 'field', name, filters: parts.map((f) => f.trim()), inTag });
		}
	}
	if (last < template.length) text(template.slice(last));
	return root;
}

/** Anki's test for an empty field: nothing but whitespace and bare `<br>`/`<div>` tags. */
export function fieldIsEmpty(html: string): boolean {
	return /^(?:\s|&nbsp;|<\/?(?:br|div)\s*\/?>)*$/i.test(html);
}

function lookup(
	name: string,
	ctx: AnkiCardContext,
	side: Side,
	frontSide: string
): string | undefined {
	switch (name) {
		case 'FrontSide':
			return side === 'back' ? frontSide : '';
		case 'Tags':
			return (ctx.tags ?? []).join(' ');
		case 'Deck':
			return ctx.deck ?? '';
		case 'Subdeck':
			return ctx.deck === undefined ? '' : deckName(ctx.deck);
		case 'Card':
			return ctx.cardName ?? '';
		case 'Type':
			return ctx.noteType ?? '';
		case 'CardFlag':
			return '';
	}
	if (Object.hasOwn(ctx.fields, name)) return ctx.fields[name];
	// Anki field names are unique ignoring case; a template written with other case still works.
	const lower = name.toLowerCase();
	const key = Object.keys(ctx.fields).find((k) => k.toLowerCase() === lower);
	return key === undefined ? undefined : ctx.fields[key];
}

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const stripHtml = (html: string) => html.replace(/<[^>]*>/g, '');

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' '
};
/** Anki's `text:` filter: the field without its tags, entities decoded (then escaped again). */
const plainText = (html: string) =>
	stripHtml(html).replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
		if (e[0] === '#') {
			const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
			return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
		}
		return ENTITIES[e.toLowerCase()] ?? m;
	});

/** Where the front's typing box goes (an input is no HTML a card may carry: the UI adds it). */
const TYPE_INPUT = '<span class="anki-type-input"></span>';

/** Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/** Ruby text as Anki writes it: `漢字[かんじ]`, a space ending the base text. */
const RUBY = / ?([^ >]+?)\[(.+?)\]/g;

/** Anki's furigana, kana and kanji filters: `[sound:…]` tags are left alone, `&nbsp;` is a space. */
function ruby(text: string, out: (base: string, reading: string) => string): string {
	return text
		.replace(/&nbsp;/g, ' ')
		.replace(RUBY, (m, base: string, reading: string) =>
			reading.startsWith('sound:') ? m : out(base, reading)
		);
}

/** `{{tts en_US voices=…:Field}}`: the language as a BCP 47 tag (`en-US`), or '' when absent. */
function ttsLang(filter: string): string {
	const lang = filter.slice(4).trim().split(/\s+/)[0] ?? '';
	return /^[a-z]{2,3}(?:[_-][a-z0-9]{2,8})*$/i.test(lang) ? lang.replace(/_/g, '-') : '';
}

/** Filters apply right to left: in `{{a:b:Field}}` b sees the field first. */
function applyFilters(
	value: string,
	filters: string[],
	field: string,
	ctx: AnkiCardContext,
	side: Side
): string {
	let text = value;
	const cloze = ctx.clozeNumber ?? 1;
	for (let i = filters.length - 1; i >= 0; i--) {
		const filter = filters[i] ?? '';
		if (filter === 'type') {
			// Type in the answer: a box on the front (the UI puts the input there), and on the
			// back the expected answer, which the UI compares with what was typed.
			const rest = filters.slice(i + 1);
			if (side === 'front') return TYPE_INPUT;
			const expected = rest.includes('cloze')
				? clozeAnswers(value, cloze).join(', ')
				: plainText(value);
			const nc = rest.includes('nc') ? ' nc' : '';
			return `<span class="anki-type-answer${nc}">${escapeHtml(plainText(expected))}</span>`;
		}
		if (filter === 'image-occlusion') return occlusionFilter(text, field, ctx, side);
		if (filter === 'cloze') text = renderCloze(text, cloze, side, { mathjax: true });
		else if (filter === 'cloze-only') text = clozeAnswers(text, cloze).join(', ');
		else if (filter === 'text') text = escapeHtml(plainText(text));
		else if (filter === 'hint') {
			// As Anki: a control named after the field that shows it (the UI makes it a button).
			text = fieldIsEmpty(text)
				? ''
				: `<details class="hint"><summary>${escapeHtml(field)}</summary>${text}</details>`;
		} else if (filter === 'furigana')
			text = ruby(text, (base, reading) => `<ruby><rb>${base}</rb><rt>${reading}</rt></ruby>`);
		else if (filter === 'kanji') text = ruby(text, (base) => base);
		else if (filter === 'kana') text = ruby(text, (_base, reading) => reading);
		// Text-to-speech: read aloud, not shown (the UI gives it a replay button).
		else if (filter === 'tts' || filter.startsWith('tts ')) {
			const words = plainText(text).trim();
			const lang = ttsLang(filter);
			return words
				? `<span class="anki-tts" hidden${lang ? ` lang="${lang}"` : ''}>${escapeHtml(words)}</span>`
				: '';
		}
	}
	return text;
}

/**
 * `{{image-occlusion:Occlusion}}`, the filter form of Image Occlusion's template: what the stock
 * template writes out by hand — the card's cloze (hidden), and the note's picture in the
 * container the UI lays the masks over (components/anki/occlusion.ts). The picture is the
 * "Image" field, or else the first other field holding one.
 */
function occlusionFilter(value: string, field: string, ctx: AnkiCardContext, side: Side): string {
	const image =
		ctx.fields.Image ??
		Object.entries(ctx.fields).find(([name, v]) => name !== field && /<img\b/i.test(v))?.[1] ??
		'';
	const hidden = renderCloze(value, ctx.clozeNumber ?? 1, side);
	return `<div style="display: none">${hidden}</div><div id="image-occlusion-container">${image}</div>`;
}

/**
 * Renders one side of a card. On the back, `{{FrontSide}}` is `frontSide`: render the front first
 * and pass it in (or use renderAnkiCard, which does both).
 */
export function renderAnkiTemplate(
	template: string,
	ctx: AnkiCardContext,
	side: Side,
	frontSide = ''
): string {
	const render = (nodes: Node[]): string =>
		nodes
			.map((node) => {
				if (node.kind === 'text') return node.text;
				const value = lookup(node.name, ctx, side, frontSide);
				if (node.kind === 'section') {
					const empty = value === undefined || fieldIsEmpty(value);
					return empty === node.inverted ? render(node.children) : '';
				}
				if (value === undefined) return '';
				const out = applyFilters(value, node.filters, node.name, ctx, side);
				// Right-to-left text (Farsi, Arabic, Hebrew) reads right-to-left, in its own run.
				return !node.inTag && node.name !== 'FrontSide' && RTL.test(out)
					? `<span dir="auto">${out}</span>`
					: out;
			})
			.join('');
	return render(parse(template));
}

/**
 * Both sides of card `ord` of a note of an imported Anki note type. Cloze note types have one
 * template shared by every card, whose cloze number is `ord + 1`.
 */
export function renderAnkiCard(
	model: NoteModel,
	note: { fields: Record<string, string>; tags?: string[] },
	ord: number,
	deck?: string
): { front: string; back: string; css: string } {
	const cloze = model.kind === 'cloze';
	const template = cloze ? model.templates[0] : model.templates[ord];
	if (!template) return { front: '', back: '', css: model.css };
	const ctx: AnkiCardContext = {
		fields: note.fields,
		tags: note.tags,
		deck,
		noteType: model.name,
		cardName: template.name,
		clozeNumber: cloze ? ord + 1 : undefined
	};
	const front = sounds(renderAnkiTemplate(template.front, ctx, 'front'), 'q');
	let back = renderAnkiTemplate(template.back, ctx, 'back', front);
	if (back.includes(TYPE_INPUT) || back.includes('class="anki-type-answer')) {
		// As Anki: the comparison where the box was (a box reached through {{FrontSide}}
		// compares the front's field), once.
		if (!back.includes('class="anki-type-answer')) {
			const tag = /\{\{\s*type:[^}]*\}\}/.exec(template.front)?.[0] ?? '';
			back = back.replace(TYPE_INPUT, renderAnkiTemplate(tag, ctx, 'back'));
		}
		let seen = false;
		back = back
			.replaceAll(TYPE_INPUT, '')
			.replace(/<span class="anki-type-answer[^"]*">[^<]*<\/span>/g, (m) =>
				seen ? '' : ((seen = true), m)
			);
	}
	back = sounds(back, 'a');
	return { front: occlusionToggle(front), back: occlusionToggle(back), css: model.css };
}

/**
 * Image Occlusion's "Toggle Masks" button (`<button id="toggle">`, which its template's script
 * wires up): buttons do not pass the card sanitizer, so it becomes a slot the UI puts a working
 * button in (components/anki/occlusion.ts).
 */
function occlusionToggle(html: string): string {
	if (!html.includes('image-occlusion-container')) return html;
	return html.replace(
		/<button\b[^>]*\bid\s*=\s*["']?toggle["']?[^>]*>[\s\S]*?<\/button>/gi,
		'<span class="io-toggle"></span>'
	);
}

/**
 * `[sound:name]` as an audio element the UI gives a replay button, marked with its side: on the
 * back, the question's sounds (through `{{FrontSide}}`) are already marked `anki-q`, so showing
 * the answer plays only the answer's, as Anki does. Text-to-speech spans are marked the same way.
 */
function sounds(html: string, side: 'q' | 'a'): string {
	return html
		.replace(
			/\[sound:([^\]<>]+)\]/g,
			(_m, name: string) =>
				`<audio class="anki-sound anki-${side}" preload="auto" src="${encodeURIComponent(name.trim())}" title="${escapeHtml(name.trim())}"></audio>`
		)
		.replace(/class="anki-tts"/g, `class="anki-tts anki-${side}"`);
}

// Recall's own cloze notes render through the same code (render/card.ts imports them from here).
export { clozeOrdinals, renderCloze } from './cloze';
