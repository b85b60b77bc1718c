/**
 * Renders a note's cards once, at write time, for `note.html` (core/render/stored.ts): Markdown
 * with the same renderer the screen used (renderCard), kept only where the result is inside the
 * safe subset the sanitizer leaves alone (safe-html.ts). Pure, no DOM: the build, the import
 * worker, the editor and the v7 upgrade all call it.
 */
import { noteOrdinals } from '../decks/records';
import type { Note } from '../model';
import { renderCard } from './card';
import { safeCardHtml } from './safe-html';
import { htmlKey, type NoteHtml, type StoredSides } from './stored';

/** The note's stored HTML, or undefined when no card of it can be stored (Anki notes, raw HTML). */
export function prepareNoteHtml(
	note: Pick<Note, 'type' | 'fields' | 'source'>
): NoteHtml | undefined {
	if (note.type === 'anki') return undefined;
	const cards: StoredSides[] = [];
	let any = false;
	for (const ord of noteOrdinals(note)) {
		const r = renderCard(note as Note, { ord });
		const front = safeCardHtml(r.front);
		const back = safeCardHtml(r.back);
		cards[ord] = front !== null && back !== null ? { front, back } : null;
		any ||= cards[ord] !== null;
	}
	for (let i = 0; i < cards.length; i++) cards[i] ??= null;
	return any ? { key: htmlKey(note), cards } : undefined;
}

/** The note with its stored HTML rendered afresh (or without any, when none can be stored). */
export function withNoteHtml<T extends Pick<Note, 'type' | 'fields' | 'source'>>(
	note: T
): T & { html?: NoteHtml } {
	const html = prepareNoteHtml(note);
	const out: T & { html?: NoteHtml } = { ...note };
	if (html) out.html = html;
	else delete out.html;
	return out;
}
