import Papa from 'papaparse';
import { ImportError } from '../bundle';
import { checkRowCount, type ImportLimits } from '../limits';
import { decodeUtf8 } from '../utf8';
import { readAnkiHeaders, type AnkiTextHeaders } from './headers';

/** One data row and the 1-based file line it starts on, for messages. */
export interface TextRow {
	cells: string[];
	line: number;
}

export interface TextTable {
	rows: TextRow[];
	delimiter: string;
	/** Whether fields are HTML: from `#html:`, else guessed from the first rows. */
	html: boolean;
	headers: AnkiTextHeaders;
	/** Column names, from `#columns:` or a first row that names the columns. */
	header?: string[];
	/** The widest row's cell count. */
	columns: number;
}

const GUESSABLE = ['\t', ';', ',', '|'];

/**
 * Decodes and splits a CSV/TSV/Anki text export. Quoting is RFC 4180 (papaparse), so fields may
 * span lines; a quote that never closes is an error naming the line it opens on, since guessing
 * where the field should end would silently merge rows.
 */
export function readTable(
	bytes: Uint8Array,
	file: string,
	options: { limits: ImportLimits; maxRows?: number }
): TextTable {
	const text = decodeUtf8(bytes, file);
	const { headers, lines: headerLines, offset } = readAnkiHeaders(text);
	const body = text.slice(offset);
	const delimiter = headers.separator ?? guessDelimiter(body, file);
	const newlines: number[] = [];
	for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) newlines.push(i);
	const lineAt = (index: number) => headerLines + 1 + countBefore(newlines, index);

	const limit = options.maxRows ?? options.limits.maxRows;
	const rows: TextRow[] = [];
	let start = 0;
	Papa.parse<string[]>(body, {
		delimiter,
		quoteChar: '"',
		step: (result, parser) => {
			const [error] = result.errors;
			if (error?.type === 'Quotes') {
				const line = lineAt(error.index ?? start);
				throw new ImportError(
					error.code === 'MissingQuotes'
						? 'unbalanced quote: a quoted field is never closed'
						: 'misplaced quote: text follows the closing quote of a field',
					{ file, line }
				);
			}
			const cells = result.data;
			if (cells.some((cell) => cell.trim() !== '')) rows.push({ cells, line: lineAt(start) });
			start = result.meta.cursor;
			// One spare row in case the first names the columns.
			if (rows.length > limit + 1) parser.abort();
		}
	});
	let header = headers.columns?.split(delimiter).map((name) => name.trim());
	if (!header && rows[0] && looksLikeHeader(rows[0].cells)) header = rows.shift()?.cells;
	// Parsing stops two rows past the limit (one spare for a header row): more is too many.
	if (options.maxRows === undefined) checkRowCount(rows.length, 'rows', file, options.limits);
	return {
		rows: rows.slice(0, limit),
		delimiter,
		html: headers.html ?? guessHtml(rows),
		headers,
		header,
		columns: rows.reduce((widest, row) => Math.max(widest, row.cells.length), header?.length ?? 0)
	};
}

function countBefore(sorted: number[], index: number): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const mid = (low + high) >> 1;
		if ((sorted[mid] ?? 0) < index) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** A .tsv is tabs; otherwise papaparse picks the candidate that splits the first rows evenly. */
function guessDelimiter(body: string, file: string): string {
	if (/\.tsv$/i.test(file)) return '\t';
	const sample = Papa.parse<string[]>(body.slice(0, 64 * 1024), {
		preview: 20,
		delimitersToGuess: GUESSABLE
	});
	if (!sample.errors.some((e) => e.code === 'UndetectableDelimiter')) return sample.meta.delimiter;
	// One column, or nothing to go by: Anki's default for .txt, the comma for .csv.
	return /\.csv$/i.test(file) ? ',' : '\t';
}

export const HEADER_NAMES = new Set([
	...['front', 'back', 'question', 'answer', 'term', 'definition', 'word', 'meaning'],
	...[
		'translation',
		'text',
		'extra',
		'back extra',
		'tags',
		'deck',
		'guid',
		'notetype',
		'note type'
	],
	...['reverse prompt']
]);

/** A first row is a header when at least two of its cells are usual column names. */
function looksLikeHeader(cells: string[]): boolean {
	return cells.filter((cell) => HEADER_NAMES.has(cell.trim().toLowerCase())).length >= 2;
}

const HTML_HINT =
	/<\/?(?:b|i|u|br|div|span|p|img|a|ul|ol|li|sub|sup|font|em|strong|hr)\b[^>]*>|&(?:nbsp|amp|lt|gt|quot);/i;

function guessHtml(rows: TextRow[]): boolean {
	return rows.slice(0, 50).some((row) => row.cells.some((cell) => HTML_HINT.test(cell)));
}
