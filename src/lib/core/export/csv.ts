/**
 * CSV out of Recall: a deck's notes (front, back, tags, deck, guid, notetype — the columns the
 * text importer maps back) and the review log in the FSRS tools' format. RFC 4180 quoting, CRLF
 * line ends and a BOM so spreadsheets read UTF-8.
 */
import type { Deck, Note, NoteModel, RevlogEntry } from '../model';

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": `=`, `+`, `-`, `@`, tab,
 * carriage return first) gets a leading apostrophe, which spreadsheets show as plain text.
 */
export function neutralizeCell(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Quoted when it holds a separator, quote, line break or edge spaces; quotes doubled. */
export function csvCell(value: string): string {
	const safe = neutralizeCell(value);
	return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
	return cells.map(csvCell).join(',');
}

const BOM = '\ufeff';

export function toCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
	const lines = [csvRow(header)];
	for (const row of rows) lines.push(csvRow(row));
	return `${BOM}${lines.join('\r\n')}\r\n`;
}

export const DECK_CSV_HEADER = ['front', 'back', 'tags', 'deck', 'guid', 'notetype'] as const;

/** Note type names the text importer reads back into the same Recall type. */
const TYPE_NAMES = { basic: 'Basic', reversed: 'Basic (and reversed card)', cloze: 'Cloze' };

/**
 * One row per note. Recall's own types keep their two fields; an Anki note puts its first field
 * in front and the others, joined by line breaks, in back (a spreadsheet has two columns to
 * offer; the .apkg export keeps every field).
 */
export function noteCsvCells(
	note: Note,
	deck: Pick<Deck, 'title'>,
	model?: NoteModel
): [string, string, string, string, string, string] {
	const tags = note.tags.join(' ');
	const f = note.fields;
	if (note.type === 'anki') {
		const names = model?.fields ?? Object.keys(f);
		const [first = '', ...rest] = names.map((name) => f[name] ?? '');
		const back = rest.filter((value) => value !== '').join('<br>');
		return [first, back, tags, deck.title, note.guid, model?.name ?? 'Basic'];
	}
	if (note.type === 'cloze') {
		return [f.text ?? '', f.extra ?? '', tags, deck.title, note.guid, TYPE_NAMES.cloze];
	}
	return [f.front ?? '', f.back ?? '', tags, deck.title, note.guid, TYPE_NAMES[note.type]];
}

export function deckToCsv(
	deck: Pick<Deck, 'title'>,
	notes: readonly Note[],
	models: readonly NoteModel[] = []
): string {
	const byId = new Map(models.map((m) => [m.id, m]));
	const ordered = [...notes].sort((a, b) => a.position - b.position);
	return toCsv(
		DECK_CSV_HEADER,
		ordered.map((note) =>
			noteCsvCells(note, deck, note.modelId ? byId.get(note.modelId) : undefined)
		)
	);
}

export const REVLOG_CSV_HEADER = [
	'card_id',
	'review_time',
	'review_rating',
	'review_duration'
] as const;

/**
 * The review log as the FSRS optimizers read it: one row per graded review, oldest first, time
 * in ISO-8601 UTC, duration in ms. Rating-0 rows (resets, manual due dates) are not reviews and
 * are left out, as those tools expect only ratings 1–4.
 */
export function revlogToCsv(revlog: readonly RevlogEntry[]): string {
	const graded = revlog
		.filter((entry) => entry.rating >= 1 && entry.rating <= 4)
		.sort((a, b) => a.reviewedAt - b.reviewedAt || (a.id ?? 0) - (b.id ?? 0));
	return toCsv(
		REVLOG_CSV_HEADER,
		graded.map((entry) => [
			entry.cardId,
			new Date(entry.reviewedAt).toISOString(),
			String(entry.rating),
			String(Math.max(0, Math.round(entry.durationMs)))
		])
	);
}
