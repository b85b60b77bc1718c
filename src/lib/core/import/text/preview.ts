import { checkFileSize, resolveLimits, type ImportLimits } from '../limits';
import { detectMapping, type TextMapping } from './mapping';
import { readTable } from './table';

export interface TextPreview {
	/** The widest row's cell count. */
	columns: number;
	/** The first rows, for the user to check the mapping against. */
	rows: string[][];
	/** Column names, when the file names them. */
	header?: string[];
	detected: { delimiter: string; html: boolean; mapping: TextMapping };
	/** What an Anki text export's `#` headers fix for every row, shown beside the mapping. */
	fileHeaders: { deck?: string; notetype?: string; tags?: string[]; html?: boolean };
}

export const PREVIEW_ROWS = 20;

/** Step one of a text import: what the file looks like and the mapping Recall would use. */
export function previewText(
	bytes: Uint8Array,
	fileName: string,
	limits: Partial<ImportLimits> = {}
): TextPreview {
	const resolved = resolveLimits(limits);
	checkFileSize(bytes.length, fileName, resolved);
	const table = readTable(bytes, fileName, { limits: resolved, maxRows: PREVIEW_ROWS });
	return {
		columns: table.columns,
		rows: table.rows.map((row) => row.cells),
		...(table.header ? { header: table.header } : {}),
		detected: { delimiter: table.delimiter, html: table.html, mapping: detectMapping(table) },
		fileHeaders: {
			...(table.headers.deck ? { deck: table.headers.deck } : {}),
			...(table.headers.notetype ? { notetype: table.headers.notetype } : {}),
			...(table.headers.tags?.length ? { tags: table.headers.tags } : {}),
			...(table.headers.html !== undefined ? { html: table.headers.html } : {})
		}
	};
}
