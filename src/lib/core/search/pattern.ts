/**
 * Anki's wildcard patterns as regular expressions, and the plain text of a field to match them
 * against. Matching is case-insensitive and on NFC-normalised text, so "é" typed one way finds
 * "é" stored the other.
 */

function wildcardSource(pattern: string): string {
	let out = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern[i] as string;
		if (ch === '\\' && i + 1 < pattern.length) {
			out += escapeRegex(pattern[++i] as string);
		} else if (ch === '*') {
			out += '.*';
		} else if (ch === '_') {
			out += '.';
		} else {
			out += escapeRegex(ch);
		}
	}
	return out;
}

/**
 * Escapes the characters that mean something in a regular expression. Only those: with the `u`
 * flag an escape of any other character (`\-`, `\a`) is itself a syntax error, so a hyphen in
 * `tag:red-army` stays as it is.
 */
function escapeRegex(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Found anywhere in the text (plain words). */
export function containsRegex(pattern: string): RegExp {
	return new RegExp(wildcardSource(pattern.normalize('NFC')), 'isu');
}

/** The whole text matches (field values). */
export function wholeRegex(pattern: string): RegExp {
	return new RegExp(`^${wildcardSource(pattern.normalize('NFC'))}$`, 'isu');
}

/** The whole name matches, or the name is a child of one that does (`a::b` for `a`). */
export function hierarchyRegex(pattern: string): RegExp {
	return new RegExp(`^(?:${wildcardSource(pattern.normalize('NFC'))})(?:::.*)?$`, 'isu');
}

/** A pattern with no wildcard: its literal text; otherwise null. */
export function literalOf(pattern: string): string | null {
	let out = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern[i] as string;
		if (ch === '\\' && i + 1 < pattern.length) out += pattern[++i];
		else if (ch === '*' || ch === '_') return null;
		else out += ch;
	}
	return out;
}

/** The literal text before the first wildcard (for prefix range queries). */
export function literalPrefix(pattern: string): string {
	let out = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern[i] as string;
		if (ch === '\\' && i + 1 < pattern.length) out += pattern[++i];
		else if (ch === '*' || ch === '_') return out;
		else out += ch;
	}
	return out;
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' '
};

/**
 * A field as the reader sees it: tags dropped (so `<b>` does not split a word), common entities
 * decoded, runs of whitespace made one space. Not a sanitizer: the result is only matched and
 * shown as text.
 */
export function plainText(html: string): string {
	// Most fields are plain words: skip the replacements (100 000 notes are searched at once).
	if (!html.includes('<') && !html.includes('&'))
		return html.replace(/\s+/g, ' ').trim().normalize('NFC');
	return html
		.replace(/<br\s*\/?>|<\/(?:p|div|li|h\d)>/gi, ' ')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
			if (name[0] === '#') {
				const code =
					name[1] === 'x' || name[1] === 'X'
						? parseInt(name.slice(2), 16)
						: parseInt(name.slice(1), 10);
				return Number.isFinite(code) && code > 0 && code <= 0x10ffff
					? String.fromCodePoint(code)
					: m;
			}
			return ENTITIES[name.toLowerCase()] ?? m;
		})
		.replace(/\s+/g, ' ')
		.trim()
		.normalize('NFC');
}
