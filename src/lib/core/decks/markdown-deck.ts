/**
 * Markdown decks (docs/DECK_FORMAT.md): the human-editable source of the built-in decks and an
 * import format. Parsing keeps line numbers so every error names the line at fault; the result
 * is validated by the same rules as a JSON deck, so both formats accept exactly the same decks.
 */
import { DeckFormatError, excerpt } from './errors';
import {
	NOTE_TYPE_KEYS,
	validateRecallDeck,
	type RecallDeck,
	type RecallDeckNote
} from './recall-deck';

const FRONT_MATTER_KEYS = new Set([
	'id',
	'title',
	'description',
	'version',
	'source-title',
	'source-file'
]);
const NOTE_KEYS = new Set([
	'type',
	'front',
	'back',
	'reverse-prompt',
	'text',
	'extra',
	'tags',
	'source'
]);
/** Markdown keys whose JSON name differs. */
const JSON_KEY: Record<string, string> = { 'reverse-prompt': 'reversePrompt' };
const MARKDOWN_KEY: Record<string, string> = { reversePrompt: 'reverse-prompt' };
const KEY_LINE = /^([a-z][a-z-]*):(?:\s(.*)|)$/;

function unquote(value: string): string {
	const v = value.trim();
	if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
		return v.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
	}
	return v;
}

interface RawNote {
	id: string;
	line: number;
	fields: Map<string, { value: string; line: number }>;
}

function parseFrontMatter(
	lines: string[],
	file: string
): { meta: Map<string, string>; end: number } {
	const meta = new Map<string, string>();
	let i = 0;
	while (i < lines.length && lines[i]!.trim() === '') i++;
	if (lines[i]?.trim() !== '---') {
		throw new DeckFormatError('the deck must start with front matter between two "---" lines', {
			file,
			line: Math.min(i + 1, lines.length)
		});
	}
	for (i = i + 1; i < lines.length; i++) {
		const line = lines[i]!;
		if (line.trim() === '---') return { meta, end: i + 1 };
		if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
		const m = KEY_LINE.exec(line);
		if (!m)
			throw new DeckFormatError(`expected "key: value", found "${excerpt(line.trim())}"`, {
				file,
				line: i + 1
			});
		const key = m[1]!;
		if (!FRONT_MATTER_KEYS.has(key)) {
			throw new DeckFormatError(`unknown front matter key "${excerpt(key)}"`, {
				file,
				line: i + 1
			});
		}
		if (meta.has(key)) throw new DeckFormatError(`"${key}" is given twice`, { file, line: i + 1 });
		meta.set(key, unquote(m[2] ?? ''));
	}
	throw new DeckFormatError('the front matter is not closed by a "---" line', {
		file,
		line: lines.length
	});
}

function parseNotes(lines: string[], start: number, file: string): RawNote[] {
	const notes: RawNote[] = [];
	let current: RawNote | undefined;
	let lastKey: string | undefined;
	for (let i = start; i < lines.length; i++) {
		const lineNo = i + 1;
		// trimEnd, not replace(/\s+$/): that regex is quadratic on a long run of spaces that does
		// not end the line, and a hostile 200 KB line would stall the import for minutes.
		const line = lines[i]!.trimEnd();
		if (line === '' || /^\s*<!--.*-->$/.test(line)) continue;
		const heading = /^##\s+(.*)$/.exec(line);
		if (heading) {
			current = { id: heading[1]!.trim(), line: lineNo, fields: new Map() };
			notes.push(current);
			lastKey = undefined;
			continue;
		}
		if (!current) continue; // prose before the first note is a comment
		if (/^\s{2,}\S/.test(line) && lastKey) {
			const field = current.fields.get(lastKey)!;
			field.value += '\n' + line.trim();
			continue;
		}
		const m = KEY_LINE.exec(line);
		if (!m) {
			throw new DeckFormatError(
				`expected "key: value" in note "${excerpt(current.id)}", found "${excerpt(line.trim())}"`,
				{
					file,
					line: lineNo
				}
			);
		}
		const key = m[1]!;
		if (!NOTE_KEYS.has(key)) {
			throw new DeckFormatError(`unknown key "${excerpt(key)}" in note "${excerpt(current.id)}"`, {
				file,
				line: lineNo
			});
		}
		if (current.fields.has(key)) {
			throw new DeckFormatError(`"${key}" is given twice in note "${excerpt(current.id)}"`, {
				file,
				line: lineNo
			});
		}
		current.fields.set(key, { value: (m[2] ?? '').trim(), line: lineNo });
		lastKey = key;
	}
	return notes;
}

/** A key that the note's type does not take is an error at its own line, not dropped. */
function checkKeysFitType(raw: RawNote, file: string): void {
	const type = raw.fields.get('type')?.value ?? 'basic';
	if (!(type in NOTE_TYPE_KEYS)) return; // the validator names the unknown type
	const allowed = NOTE_TYPE_KEYS[type as keyof typeof NOTE_TYPE_KEYS];
	for (const [key, { line }] of raw.fields) {
		if (allowed.includes(JSON_KEY[key] ?? key)) continue;
		const takes = allowed
			.filter((k) => k !== 'id' && k !== 'type')
			.map((k) => MARKDOWN_KEY[k] ?? k)
			.join(', ');
		throw new DeckFormatError(
			`"${key}" is not a field of a ${type} note ("${excerpt(raw.id)}" takes ${takes})`,
			{ file, line }
		);
	}
}

function toJsonNote(raw: RawNote): Record<string, unknown> {
	const note: Record<string, unknown> = { id: raw.id };
	for (const [key, { value }] of raw.fields) {
		if (key === 'tags') {
			note.tags = value
				.split(',')
				.map((t) => t.trim())
				.filter(Boolean);
		} else {
			note[JSON_KEY[key] ?? key] = value;
		}
	}
	return note;
}

/** Parses a Markdown deck; throws DeckFormatError with file and line. */
export function parseMarkdownDeck(text: string, file = 'deck.md'): RecallDeck {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	const { meta, end } = parseFrontMatter(lines, file);
	const rawNotes = parseNotes(lines, end, file);
	for (const raw of rawNotes) checkKeysFitType(raw, file);
	if (!meta.has('id')) throw new DeckFormatError('the front matter has no "id"', { file, line: 1 });
	if (!meta.has('title'))
		throw new DeckFormatError('the front matter has no "title"', { file, line: 1 });
	const versionText = meta.get('version') ?? '1';
	const version = /^\d+$/.test(versionText) ? Number(versionText) : NaN;
	const sourceTitle = meta.get('source-title');
	const sourceFile = meta.get('source-file');
	const json = {
		format: 'recall-deck',
		version,
		id: meta.get('id'),
		title: meta.get('title'),
		description: meta.get('description') ?? '',
		...(sourceTitle || sourceFile
			? { source: { title: sourceTitle ?? '', file: sourceFile ?? '' } }
			: {}),
		notes: rawNotes.map(toJsonNote)
	};
	try {
		return validateRecallDeck(json, file);
	} catch (e) {
		if (!(e instanceof DeckFormatError)) throw e;
		// Re-attach the line of the note (or the front matter) the JSON validator complained about.
		const note = e.noteIndex !== undefined ? rawNotes[e.noteIndex] : undefined;
		throw new DeckFormatError(e.reason, {
			file,
			line: note?.line ?? 1,
			entry: e.entry,
			noteIndex: e.noteIndex
		});
	}
}

function quoteIfNeeded(value: string): string {
	return /^\s|\s$|^"|:\s|^$/.test(value)
		? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
		: value;
}

function fieldLines(key: string, value: string): string[] {
	const [first, ...rest] = value.split('\n');
	return [`${key}: ${first}`, ...rest.map((l) => `  ${l}`)];
}

function noteLines(note: RecallDeckNote): string[] {
	const out = [`## ${note.id}`];
	if (note.type !== 'basic') out.push(`type: ${note.type}`);
	if (note.tags?.length) out.push(`tags: ${note.tags.join(', ')}`);
	if (note.type === 'cloze') {
		out.push(...fieldLines('text', note.text));
	} else {
		out.push(...fieldLines('front', note.front), ...fieldLines('back', note.back));
		if (note.reversePrompt) out.push(...fieldLines('reverse-prompt', note.reversePrompt));
	}
	if (note.extra) out.push(...fieldLines('extra', note.extra));
	if (note.source) out.push(...fieldLines('source', note.source));
	return out;
}

/** Writes a deck as Markdown; parseMarkdownDeck(serializeMarkdownDeck(d)) deep-equals d. */
export function serializeMarkdownDeck(deck: RecallDeck): string {
	const front = ['---', `id: ${deck.id}`, `title: ${quoteIfNeeded(deck.title)}`];
	if (deck.description) front.push(`description: ${quoteIfNeeded(deck.description)}`);
	front.push(`version: ${deck.version}`);
	if (deck.source) {
		front.push(`source-title: ${quoteIfNeeded(deck.source.title)}`);
		front.push(`source-file: ${quoteIfNeeded(deck.source.file)}`);
	}
	front.push('---');
	return [front.join('\n'), ...deck.notes.map((n) => noteLines(n).join('\n'))].join('\n\n') + '\n';
}
