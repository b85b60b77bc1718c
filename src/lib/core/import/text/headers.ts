/**
 * The header lines Anki (2.1.55+) writes at the top of a text export and reads back on import:
 * `#separator:tab`, `#html:true`, `#tags column:3`, `#columns:Front\tBack\tTags`, … Columns in
 * headers are 1-based; these are kept as written and turned into 0-based indexes by the mapping.
 */
export interface AnkiTextHeaders {
	separator?: string;
	html?: boolean;
	/** Raw `#columns:` line, split once the separator is known. */
	columns?: string;
	tagsColumn?: number;
	deckColumn?: number;
	guidColumn?: number;
	notetypeColumn?: number;
	/** Fixed values for every row. */
	deck?: string;
	notetype?: string;
	tags?: string[];
}

const SEPARATORS: Record<string, string> = {
	tab: '\t',
	comma: ',',
	semicolon: ';',
	pipe: '|',
	space: ' ',
	colon: ':'
};

/** `#separator:` takes a name in any case or the character itself, as Anki's importer does. */
export function separatorFromHeader(value: string): string | undefined {
	const named = SEPARATORS[value.trim().toLowerCase()];
	if (named) return named;
	return Object.values(SEPARATORS).includes(value) ? value : undefined;
}

/** Reads the leading `#` lines; returns them and the offset where the data starts. */
export function readAnkiHeaders(text: string): {
	headers: AnkiTextHeaders;
	lines: number;
	offset: number;
} {
	const headers: AnkiTextHeaders = {};
	let offset = 0;
	let lines = 0;
	while (offset < text.length && text[offset] === '#') {
		const end = text.indexOf('\n', offset);
		const line = text.slice(offset, end < 0 ? text.length : end).replace(/\r$/, '');
		offset = end < 0 ? text.length : end + 1;
		lines++;
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		applyHeader(headers, line.slice(1, colon).trim().toLowerCase(), line.slice(colon + 1));
	}
	return { headers, lines, offset };
}

function applyHeader(headers: AnkiTextHeaders, key: string, value: string): void {
	const column = () => {
		const n = Number.parseInt(value.trim(), 10);
		return Number.isInteger(n) && n > 0 ? n : undefined;
	};
	switch (key) {
		case 'separator':
			headers.separator = separatorFromHeader(value);
			break;
		case 'html':
			headers.html = value.trim().toLowerCase() === 'true';
			break;
		case 'columns':
			headers.columns = value;
			break;
		case 'tags column':
			headers.tagsColumn = column();
			break;
		case 'deck column':
			headers.deckColumn = column();
			break;
		case 'guid column':
			headers.guidColumn = column();
			break;
		case 'notetype column':
			headers.notetypeColumn = column();
			break;
		case 'deck':
			headers.deck = value.trim();
			break;
		case 'notetype':
			headers.notetype = value.trim();
			break;
		case 'tags':
			headers.tags = value.trim().split(/\s+/).filter(Boolean);
			break;
	}
}
