/**
 * Which parser a file goes to, and the parsers that are not Anki's or the text importer's:
 * Markdown and JSON decks, and a whole-collection backup merged like an import. Pure (no worker
 * globals), so Node tests run it; the import worker calls it.
 */
import type { SqlJsStatic } from 'sql.js';
import { DeckFormatError } from '$lib/core/decks/errors';
import { parseMarkdownDeck } from '$lib/core/decks/markdown-deck';
import { validateRecallDeck, type RecallDeck } from '$lib/core/decks/recall-deck';
import { cardStubs, deckRecord, noteRecords } from '$lib/core/decks/records';
import { backupToBundle, isBackupJson, validateBackup } from '$lib/core/export/backup';
import {
	ImportError,
	causeText,
	emptyBundle,
	importAnki,
	parseText,
	previewText,
	resolveLimits,
	type ImportBundle,
	type ImportLimits,
	type TextMapping
} from '$lib/core/import';
import { isSqlite } from '$lib/core/import/anki/sqlite';
import { isZip } from '$lib/core/import/anki/zip';
import { decodeUtf8, firstInvalidUtf8 } from '$lib/core/import/utf8';
import { newCard } from '$lib/core/scheduling/card-actions';
import { extensionOf, titleFromFileName } from './import-files';

export { ACCEPTED_EXTENSIONS, extensionOf, titleFromFileName } from './import-files';

export type ImportFormat = 'anki' | 'text' | 'markdown' | 'json';

const BY_EXTENSION: Record<string, ImportFormat> = {
	apkg: 'anki',
	colpkg: 'anki',
	anki2: 'anki',
	anki21: 'anki',
	anki21b: 'anki',
	zip: 'anki',
	csv: 'text',
	tsv: 'text',
	txt: 'text',
	md: 'markdown',
	markdown: 'markdown',
	json: 'json'
};

/**
 * The extension decides; a file without a known one (shared from another app, renamed) is
 * recognised by its first bytes: zip or SQLite is Anki, `{` JSON, `---` a Markdown deck, and
 * UTF-8 text the text importer.
 */
export function detectFormat(fileName: string, head: Uint8Array): ImportFormat {
	const known = BY_EXTENSION[extensionOf(fileName)];
	if (known) return known;
	if (isZip(head) || isSqlite(head)) return 'anki';
	const start = new TextDecoder()
		.decode(head.subarray(0, 64))
		.replace(/^\ufeff/, '')
		.trimStart();
	if (start.startsWith('{')) return 'json';
	if (start.startsWith('---')) return 'markdown';
	// A multi-byte character cut off at the end of the sample is not an error.
	const bad = firstInvalidUtf8(head);
	if (bad < 0 || bad >= head.length - 3) return 'text';
	throw new ImportError(
		'Recall cannot import this kind of file: choose an Anki package (.apkg, .colpkg, .anki2), a CSV, TSV or text file, a Markdown deck (.md) or a Recall JSON file (.json)',
		{ file: fileName }
	);
}

const ADVICE: Record<ImportFormat, string> = {
	anki: 'In Anki, export the deck again (File › Export…, “Anki Deck Package”) and import the new file.',
	text: 'Correct the file there (in a spreadsheet or a text editor), save it as UTF-8 text and import it again.',
	markdown: 'Correct the deck file there and import it again.',
	json: 'Export the deck or backup from Recall again, or correct the file there, and import it again.'
};

/**
 * What the user can do about a refused file, when the reason does not say it already (a reason
 * that asks to save, export, choose or import again carries its own advice).
 */
export function importAdvice(fileName: string, reason: string): string | undefined {
	if (/\b(again|choose|export|save it|split)\b/i.test(reason)) return undefined;
	const format = BY_EXTENSION[extensionOf(fileName)];
	return format ? ADVICE[format] : undefined;
}

/** A Recall deck (Markdown or JSON) as notes with new cards in a deck of import origin. */
export function deckBundle(deck: RecallDeck, now: number): ImportBundle {
	const bundle = emptyBundle();
	bundle.decks = [deckRecord(deck, 'import', now)];
	bundle.notes = noteRecords(deck, now);
	bundle.cards = bundle.notes.flatMap(cardStubs).map(newCard);
	return bundle;
}

export interface ParseOptions {
	/** Import time, ms. */
	now: number;
	/** Text files: the column mapping the user confirmed (default: the detected one). */
	mapping?: TextMapping;
	/** Text files: the deck for rows that name none (default: the file name). */
	deckTitle?: string;
	html?: boolean;
	limits?: Partial<ImportLimits>;
}

/** Deck parser errors in the importer's terms, so the page shows one kind of message. */
function asImportError(error: unknown, file: string): unknown {
	if (!(error instanceof DeckFormatError)) return error;
	return new ImportError(error.reason, {
		file: error.file ?? file,
		line: error.line,
		entry: error.entry,
		cause: error
	});
}

export function parseImport(
	format: ImportFormat,
	bytes: Uint8Array,
	fileName: string,
	options: ParseOptions,
	sql?: SqlJsStatic
): ImportBundle {
	const { now, limits } = options;
	try {
		switch (format) {
			case 'anki':
				if (!sql) throw new Error('sql.js is needed to read Anki files');
				return importAnki(bytes, { fileName, now, sql, limits });
			case 'text': {
				const preview = options.mapping ? undefined : previewText(bytes, fileName, limits);
				const mapping = options.mapping ?? preview!.detected.mapping;
				// The user's deck name, else the file's `#deck:` header, else the file name.
				const deckTitle =
					options.deckTitle?.trim() ||
					(preview ?? previewText(bytes, fileName, limits)).fileHeaders.deck ||
					titleFromFileName(fileName);
				return parseText(bytes, fileName, mapping, {
					now,
					deckTitle,
					...(options.html !== undefined ? { html: options.html } : {}),
					limits
				});
			}
			case 'markdown':
				return deckBundle(parseMarkdownDeck(decodeChecked(bytes, fileName, limits), fileName), now);
			case 'json':
				return jsonBundle(decodeChecked(bytes, fileName, limits), fileName, now);
		}
	} catch (error) {
		throw asImportError(error, fileName);
	}
}

function decodeChecked(bytes: Uint8Array, file: string, limits?: Partial<ImportLimits>): string {
	const { maxFileBytes } = resolveLimits(limits);
	if (bytes.length === 0) throw new ImportError('the file is empty', { file });
	if (bytes.length > maxFileBytes)
		throw new ImportError('the file is too large to import', { file });
	return decodeUtf8(bytes, file);
}

function jsonBundle(text: string, file: string, now: number): ImportBundle {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (cause) {
		throw new ImportError(`the file is not valid JSON (${causeText(cause)})`, {
			file,
			cause
		});
	}
	if (isBackupJson(raw)) return backupToBundle(validateBackup(raw, file));
	const format = (raw as { format?: unknown } | null)?.format;
	if (format !== 'recall-deck') {
		throw new ImportError(
			'this JSON file is neither a Recall deck ("format": "recall-deck") nor a Recall backup',
			{ file }
		);
	}
	return deckBundle(validateRecallDeck(raw, file), now);
}
