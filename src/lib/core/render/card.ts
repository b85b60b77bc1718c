/**
 * A card's question and answer as HTML, for every note type. Fields are Markdown (which passes
 * HTML through); the result is NOT sanitized here — the UI sanitizes the whole rendered card
 * before it touches the DOM (components/card-html.ts).
 */
import { marked } from 'marked';
import type { Card, Note, NoteModel } from '../model';
import { renderCloze } from './cloze';

export interface RenderedCard {
	/** The question side. */
	front: string;
	/** The answer, shown below the question and a divider… */
	back: string;
	/** …unless the answer restates the question (cloze): then it replaces it. */
	backReplacesFront: boolean;
	source?: string;
	/**
	 * An imported Anki card: rendered by its note type's templates and CSS in the UI's Anki card
	 * (components/anki, loaded only when such a card is shown), so `front`/`back` are empty.
	 */
	anki?: { model: NoteModel; note: Pick<Note, 'fields' | 'tags'>; ord: number };
}

/** Markdown to HTML; a field of plain words stays plain words. */
export function markdown(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return '';
	return marked.parse(trimmed, { async: false, gfm: true, breaks: true }).trim();
}

export function renderCard(
	note: Note,
	card: Pick<Card, 'ord'>,
	model?: NoteModel | null
): RenderedCard {
	const source = note.source;
	const f = note.fields;
	// Extra context, on the answer side only, below the answer (any of Recall's note types).
	const extra = f.extra?.trim() ? `<div class="extra">${markdown(f.extra)}</div>` : '';
	switch (note.type) {
		case 'basic':
			return {
				front: markdown(f.front ?? ''),
				back: markdown(f.back ?? '') + extra,
				backReplacesFront: false,
				source
			};
		case 'reversed': {
			// The back → front card asks its own question when the note gives one
			// (reversePrompt: "Who was Ramón Mercader?"), else it shows the bare back.
			const [q, a] =
				card.ord === 1
					? [f.reversePrompt?.trim() ? f.reversePrompt : f.back, f.front]
					: [f.front, f.back];
			return {
				front: markdown(q ?? ''),
				back: markdown(a ?? '') + extra,
				backReplacesFront: false,
				source
			};
		}
		case 'cloze': {
			const text = f.text ?? '';
			return {
				front: markdown(renderCloze(text, card.ord + 1, 'front')),
				back: markdown(renderCloze(text, card.ord + 1, 'back')) + extra,
				backReplacesFront: true,
				source
			};
		}
		case 'anki': {
			if (!model) return { front: '', back: '', backReplacesFront: true };
			return {
				front: '',
				back: '',
				backReplacesFront: true,
				source,
				anki: { model, note, ord: card.ord }
			};
		}
	}
}
