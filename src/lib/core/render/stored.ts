/**
 * Card HTML rendered once, when a note is written (the built-in deck compile, import, the
 * editor, the v7 upgrade), and kept on the note as `note.html`: the study screen shows it with
 * neither marked nor the sanitizer loaded. This module is what the study screen needs of it;
 * `prepare.ts` (which brings marked) makes it.
 *
 * Stored HTML is checked against the safe subset again when it is shown, so whatever wrote it
 * (a restored backup, another device) it never bypasses the sanitizer with anything it would
 * change. It is keyed by the note's type and fields: a note changed by any path that did
 * not render it again (a sync, a bulk find-and-replace) no longer matches its key, and its cards
 * are rendered and sanitized when shown, as every card was before.
 */
import { contentHash } from '../decks/hash';
import type { Card, Note, NoteModel } from '../model';
import type { RenderedCard } from './card';
import { safeCardHtml } from './safe-html';

/** Bumped when rendering changes (marked options, cloze markup, the safe subset): all stale. */
export const RENDER_VERSION = 1;

/** One card's sides, inside the safe subset (core/render/safe-html.ts); null: not stored. */
export type StoredSides = { front: string; back: string } | null;

export interface NoteHtml {
	/** `htmlKey` of the note when it was rendered. */
	key: string;
	/** By card ordinal. */
	cards: StoredSides[];
}

/** What the stored HTML depends on: the render version, the note type and its fields. */
export function htmlKey(note: Pick<Note, 'type' | 'fields'>): string {
	const fields = Object.keys(note.fields)
		.sort()
		.map((k) => `${k}\u001f${note.fields[k]}`)
		.join('\u001e');
	return `${RENDER_VERSION}:${contentHash(`${note.type}\u001d${fields}`)}`;
}

/** A rendered card whose sides are stored HTML in the safe subset (no sanitizing needed). */
export type PreparedCard = RenderedCard & { prepared: true };

/** The card from the note's stored HTML, or null when there is none or it is stale. */
export function storedCard(
	note: Note & { html?: NoteHtml },
	card: Pick<Card, 'ord'>
): PreparedCard | null {
	const html = note.html;
	if (!html || note.type === 'anki') return null;
	const sides = html.cards?.[card.ord];
	if (!sides || html.key !== htmlKey(note)) return null;
	// Checked again as it is shown (a linear scan, no DOM): stored HTML is trusted for what it
	// is, never for where it came from (a restored backup, another device).
	const front = typeof sides.front === 'string' ? safeCardHtml(sides.front) : null;
	const back = typeof sides.back === 'string' ? safeCardHtml(sides.back) : null;
	if (front === null || back === null) return null;
	return {
		front,
		back,
		backReplacesFront: note.type === 'cloze',
		source: note.source,
		prepared: true
	};
}

/**
 * What the study screen can show without the Markdown renderer: the stored card, or an imported
 * Anki card (rendered by its templates in the UI's Anki card); null when the note has to be
 * rendered (core/render/card.ts `renderCard`, loaded on demand).
 */
export function cardWithoutRenderer(
	note: Note,
	card: Pick<Card, 'ord'>,
	model?: NoteModel | null
): RenderedCard | null {
	if (note.type === 'anki') {
		// As renderCard does for an Anki note.
		if (!model) return { front: '', back: '', backReplacesFront: true };
		return {
			front: '',
			back: '',
			backReplacesFront: true,
			source: note.source,
			anki: { model, note, ord: card.ord }
		};
	}
	return storedCard(note, card);
}

/**
 * Pictures' `src` resolved to blob: URLs from the media store — the last step of the card
 * sanitizer (components/card-html.ts calls this too), which is all stored HTML needs.
 */
export function resolveMediaSrc(
	html: string,
	media: ((name: string) => string | undefined) | undefined
): string {
	if (!media || !html.includes('src=')) return html;
	return html.replace(
		/(<(?:img|audio|video|source)\b[^>]*?)\bsrc="([^"]+)"/g,
		(m, pre: string, src: string) => {
			if (/^\s*(?:data:(?:image|audio|video)\/|blob:)/i.test(src)) return m;
			let name = src;
			try {
				name = decodeURIComponent(src);
			} catch {
				// a literal % in a file name
			}
			const url = media(name.replace(/&amp;/g, '&'));
			// A name the media store does not (yet) hold is not requested from the server: the
			// picture appears when its blob is read (the resolver is reactive).
			return url ? `${pre}src="${url}"` : pre.replace(/\s$/, '');
		}
	);
}
