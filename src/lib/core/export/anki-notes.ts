/**
 * Recall notes as Anki sees them. Recall's own types become three Anki note types of their own
 * ("Recall Basic", …, with a Source field so the quotation travels along); their Markdown fields
 * become the HTML Anki stores. Imported Anki notes keep their note type and fields untouched.
 */
import type { Note, NoteModel } from '../model';
import { markdown } from '../render/card';

const BACK = '{{FrontSide}}\n\n<hr id=answer>\n\n';
const EXTRA = '{{#Extra}}<div class=extra>{{Extra}}</div>{{/Extra}}';
const SOURCE = '{{#Source}}<blockquote class=source>{{Source}}</blockquote>{{/Source}}';
/** The back → front card asks the reverse prompt when the note has one, else shows the back. */
const REVERSE_FRONT =
	'{{#Reverse Prompt}}{{Reverse Prompt}}{{/Reverse Prompt}}{{^Reverse Prompt}}{{Back}}{{/Reverse Prompt}}';
const CSS =
	'.card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }\n.extra { margin-top: 12px; font-size: 16px; color: #555; }\n.source { font-size: 16px; color: #555; text-align: left; }';

/**
 * Fixed ids, so decks exported at different times share one note type in Anki instead of
 * piling up copies ("Recall Basic-1a2b3"). An id changes with the type's fields (101 and 102
 * had no Extra or Reverse Prompt): Anki then keeps the older type for notes imported before.
 */
export const RECALL_MODELS: Record<'basic' | 'reversed' | 'cloze', NoteModel> = {
	basic: {
		id: 'anki-1600000000111',
		name: 'Recall Basic',
		kind: 'standard',
		fields: ['Front', 'Back', 'Extra', 'Source'],
		templates: [{ name: 'Card 1', front: '{{Front}}', back: `${BACK}{{Back}}${EXTRA}${SOURCE}` }],
		css: CSS
	},
	reversed: {
		id: 'anki-1600000000112',
		name: 'Recall Basic (and reversed card)',
		kind: 'standard',
		fields: ['Front', 'Back', 'Reverse Prompt', 'Extra', 'Source'],
		templates: [
			{ name: 'Card 1', front: '{{Front}}', back: `${BACK}{{Back}}${EXTRA}${SOURCE}` },
			{ name: 'Card 2', front: REVERSE_FRONT, back: `${BACK}{{Front}}${EXTRA}${SOURCE}` }
		],
		css: CSS
	},
	cloze: {
		id: 'anki-1600000000103',
		name: 'Recall Cloze',
		kind: 'cloze',
		fields: ['Text', 'Back Extra', 'Source'],
		templates: [
			{
				name: 'Cloze',
				front: '{{cloze:Text}}',
				back: `{{cloze:Text}}<br>\n{{Back Extra}}${SOURCE}`
			}
		],
		css: `${CSS}\n.cloze { font-weight: bold; color: blue; }`
	}
};

/** Markdown to the HTML Anki stores; a lone paragraph loses its <p>, as Anki's editor writes. */
export function fieldHtml(text: string): string {
	const html = markdown(text);
	const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
	return single && !single[1]!.includes('<p>') ? single[1]! : html;
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** The note type an exported note uses, and its field values in that type's order. */
export function ankiNoteFields(
	note: Note,
	models: ReadonlyMap<string, NoteModel>
): { model: NoteModel; values: string[] } | undefined {
	const f = note.fields;
	const source = note.source ? escapeHtml(note.source) : '';
	switch (note.type) {
		case 'basic':
			return {
				model: RECALL_MODELS.basic,
				values: [
					fieldHtml(f.front ?? ''),
					fieldHtml(f.back ?? ''),
					fieldHtml(f.extra ?? ''),
					source
				]
			};
		case 'reversed':
			return {
				model: RECALL_MODELS.reversed,
				values: [
					fieldHtml(f.front ?? ''),
					fieldHtml(f.back ?? ''),
					fieldHtml(f.reversePrompt ?? ''),
					fieldHtml(f.extra ?? ''),
					source
				]
			};
		case 'cloze':
			return {
				model: RECALL_MODELS.cloze,
				values: [fieldHtml(f.text ?? ''), fieldHtml(f.extra ?? ''), source]
			};
		case 'anki': {
			const model = note.modelId ? models.get(note.modelId) : undefined;
			if (!model) return undefined;
			return { model, values: model.fields.map((name) => f[name] ?? '') };
		}
	}
}

const MEDIA_SRC =
	/<(?:img|audio|video|source)\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const SOUND = /\[sound:([^\]]+)\]/g;
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\s*\)/gi;

function localName(name: string | undefined): string | undefined {
	if (!name || /^[a-z][a-z0-9+.-]*:/i.test(name) || name.startsWith('//')) return undefined;
	return name;
}

/** Media file names the fields (as HTML) and the note types' styling refer to. */
export function mediaReferences(
	fieldValues: Iterable<string>,
	css: Iterable<string> = []
): Set<string> {
	const names = new Set<string>();
	const add = (raw: string | undefined) => {
		const name = localName(raw);
		if (!name) return;
		names.add(name);
		try {
			names.add(decodeURIComponent(name));
		} catch {
			// Not percent-encoded: the name as written is the only candidate.
		}
	};
	for (const value of fieldValues) {
		for (const m of value.matchAll(MEDIA_SRC)) add(m[1] ?? m[2] ?? m[3]);
		for (const m of value.matchAll(SOUND)) add(m[1]);
	}
	for (const style of css) for (const m of style.matchAll(CSS_URL)) add(m[1] ?? m[2] ?? m[3]);
	return names;
}

/** Anki's sort field and checksum text: tags dropped, images kept as their file names. */
export function stripForSort(html: string): string {
	return html
		.replace(/<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)["']?[^>]*>/gi, ' $1 ')
		.replace(/<[^>]*>/g, '')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.trim();
}
