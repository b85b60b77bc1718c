/**
 * CSV out of Recall: a deck's notes (front, back, tags, deck, guid, note type, extra, reverse
 * prompt — with the `#` headers Anki's text importer reads, and Recall's text importer too) and
 * the review log in the FSRS tools' format. RFC 4180 quoting, CRLF line ends.
 */
import type { Deck, Note, NoteModel, RevlogEntry } from '../model';

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": `=`, `+`, `-`, `@`, tab,
 * carriage return first) gets a leading apostrophe, which spreadsheets show as plain text.
 */
export function neutralizeCell(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Quoted when it holds a separator, quote, line break or edge spaces, or starts with `#` (a line
 * that starts with `#` is a header or comment to Anki's importer); quotes doubled.
 */
export function csvCell(value: string): string {
	const safe = neutralizeCell(value);
	return /[",\r\n]|^\s|\s$|^#/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
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

/**
 * The deck CSV's columns, named in its `#columns:` header. Anki fills a row's note type's fields
 * from the columns that are not tags, deck, GUID or note type, in order: Front and Back (a
 * cloze's Text and Back Extra) fill its stock types; Extra and Reverse prompt, which those types
 * have no field for, come back when Recall imports the file (the .apkg export keeps them for
 * Anki too).
 */
export const DECK_CSV_COLUMNS = [
	'Front',
	'Back',
	'Tags',
	'Deck',
	'GUID',
	'Note type',
	'Extra',
	'Reverse prompt'
] as const;

/**
 * Anki's text-import headers (2.1.55+) for the deck CSV: comma-separated, fields are HTML (Recall
 * stores Markdown, which passes HTML through, so the cells are written as stored), the column
 * names, and which columns hold tags, deck, GUID and note type (1-based). No header row: Anki
 * would import it as a note. No BOM either: the headers must open the file.
 */
export const DECK_CSV_HEADERS = [
	'#separator:comma',
	'#html:true',
	`#columns:${DECK_CSV_COLUMNS.join(',')}`,
	'#tags column:3',
	'#deck column:4',
	'#guid column:5',
	'#notetype column:6'
] as const;

/** Note type names the text importer reads back into the same Recall type (Anki's stock names). */
const TYPE_NAMES = { basic: 'Basic', reversed: 'Basic (and reversed card)', cloze: 'Cloze' };

type DeckCsvRow = [string, string, string, string, string, string, string, string];

/**
 * One row per note, in `DECK_CSV_COLUMNS` order. Recall's own types keep their fields (a cloze's
 * extra in Back, as Anki's Cloze has it); an Anki note puts its first field in Front and the
 * others, joined by line breaks, in Back (a spreadsheet has two columns to offer; the .apkg
 * export keeps every field).
 */
export function noteCsvCells(note: Note, deck: Pick<Deck, 'title'>, model?: NoteModel): DeckCsvRow {
	const tags = note.tags.join(' ');
	const f = note.fields;
	if (note.type === 'anki') {
		const names = model?.fields ?? Object.keys(f);
		const [first = '', ...rest] = names.map((name) => f[name] ?? '');
		const back = rest.filter((value) => value !== '').join('<br>');
		return [first, back, tags, deck.title, note.guid, model?.name ?? 'Basic', '', ''];
	}
	if (note.type === 'cloze') {
		return [f.text ?? '', f.extra ?? '', tags, deck.title, note.guid, TYPE_NAMES.cloze, '', ''];
	}
	return [
		f.front ?? '',
		f.back ?? '',
		tags,
		deck.title,
		note.guid,
		TYPE_NAMES[note.type],
		f.extra ?? '',
		note.type === 'reversed' ? (f.reversePrompt ?? '') : ''
	];
}

export function deckToCsv(
	deck: Pick<Deck, 'title'>,
	notes: readonly Note[],
	models: readonly NoteModel[] = []
): string {
	const byId = new Map(models.map((m) => [m.id, m]));
	const ordered = [...notes].sort((a, b) => a.position - b.position);
	const rows = ordered.map((note) =>
		csvRow(noteCsvCells(note, deck, note.modelId ? byId.get(note.modelId) : undefined))
	);
	return `${[...DECK_CSV_HEADERS, ...rows].join('\r\n')}\r\n`;
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
