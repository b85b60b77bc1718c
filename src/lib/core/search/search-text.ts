/**
 * A note's stored search text, on its own (a few lines with `plainText`): the notes table's
 * middleware (storage/note-search.ts) writes it on every note write, so it is part of every
 * page's first load, which must not carry the search parser and evaluator with it.
 */
import type { Note } from '../model';
import { plainText } from './pattern';

const FIELD_END = '\u001e';
const NAME_END = '\u001f';

/**
 * A note's search text, computed when the note is written (storage keeps it beside the note): each
 * field's lowercase name and plain text (`plainText`, what words and `field:` match), in one
 * string. `searchTexts` reads it back; matching it is exactly matching the note. Null when the
 * note cannot be written so (then it is matched itself).
 */
export function searchText(note: Pick<Note, 'fields'>): string | null {
	const parts: string[] = [];
	for (const [k, v] of Object.entries(note.fields ?? {})) {
		if (typeof v !== 'string') return null;
		const part = `${k.toLowerCase()}${NAME_END}${plainText(v)}`;
		// A separator inside a name or a field (never typed; possible in a strange import): no
		// stored text, the note itself is matched.
		if (part.indexOf(NAME_END) !== part.lastIndexOf(NAME_END) || part.includes(FIELD_END)) {
			return null;
		}
		parts.push(part);
	}
	return parts.join(FIELD_END);
}

/** The fields of a search text (see `searchText`), as `fieldTexts` gives them for the note. */
export function searchTexts(text: string): Map<string, string> {
	const texts = new Map<string, string>();
	if (text === '') return texts;
	for (const part of text.split(FIELD_END)) {
		const at = part.indexOf(NAME_END);
		texts.set(part.slice(0, at), part.slice(at + 1));
	}
	return texts;
}
