/**
 * The whole-collection backup: Recall JSON with every table of the store and the media as
 * base64. Restoring validates the whole file first (shapes, unique keys, cards pointing at notes
 * and notes at decks), so a damaged backup is refused before anything is replaced.
 */
import type { Card, Deck, Note, NoteModel, Preset, RevlogEntry } from '../model';
import {
	ImportError,
	displayName,
	emptyBundle,
	isPlausibleTime,
	type ImportBundle
} from '../import/bundle';
import { decodeBase64, encodeBase64 } from './base64';

export const BACKUP_FORMAT = 'recall-backup';
export const BACKUP_VERSION = 1;

export interface BackupMetaRow {
	key: string;
	value: unknown;
}

export interface BackupMedia {
	name: string;
	type: string;
	data: Uint8Array;
}

/** Every table of the store, as plain rows (media as bytes). */
export interface BackupTables {
	decks: Deck[];
	notes: Note[];
	cards: Card[];
	revlog: RevlogEntry[];
	presets: Preset[];
	models: NoteModel[];
	meta: BackupMetaRow[];
	media: BackupMedia[];
}

export interface RecallBackup extends BackupTables {
	format: typeof BACKUP_FORMAT;
	version: number;
	/** When the backup was made, ms. */
	exportedAt: number;
}

/** `recall-backup-2025-01-15.json` (the UTC date of `now`). */
export function backupFileName(now: number): string {
	return `recall-backup-${new Date(now).toISOString().slice(0, 10)}.json`;
}

const TABLES = ['decks', 'notes', 'cards', 'revlog', 'presets', 'models', 'meta'] as const;

/**
 * The backup as text parts for a Blob: one part per table and per media file, so a large
 * collection never has to exist as one string.
 */
export function serializeBackup(tables: BackupTables, exportedAt: number): string[] {
	const parts = [
		`{"format":${JSON.stringify(BACKUP_FORMAT)},"version":${BACKUP_VERSION},"exportedAt":${exportedAt}`
	];
	for (const table of TABLES)
		parts.push(`,${JSON.stringify(table)}:`, JSON.stringify(tables[table]));
	parts.push(',"media":[');
	tables.media.forEach((file, i) => {
		const entry = { name: file.name, type: file.type, data: encodeBase64(file.data) };
		parts.push(`${i > 0 ? ',' : ''}${JSON.stringify(entry)}`);
	});
	parts.push(']}');
	return parts;
}

export function isBackupJson(raw: unknown): boolean {
	return (
		typeof raw === 'object' &&
		raw !== null &&
		(raw as Record<string, unknown>).format === BACKUP_FORMAT
	);
}

/** What a restore asks for, said the same way in every refusal. */
export const BACKUP_FILE_HINT =
	'choose the .json file that “Download backup” saved (named like recall-backup-2026-01-15.json)';

/** What a file that is not JSON at all seems to be, for the refusal: "a CSV file", "an Anki package". */
function guessKind(text: string): string {
	const start = text.trimStart();
	if (start.startsWith('PK')) return 'a zip file (an Anki package?)';
	if (start.startsWith('SQLite format')) return 'a database file';
	if (start.startsWith('<')) return 'a web page or XML file';
	if (start.startsWith('#') || start.startsWith('---')) return 'a text or Markdown file';
	const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
	if (firstLine.includes('\t')) return 'a tab-separated text file';
	if (firstLine.includes(',') || firstLine.includes(';')) return 'a CSV file';
	return 'a file of another kind';
}

/** Parses and validates backup text; throws ImportError naming the entry at fault. */
export function parseBackup(text: string, file: string): RecallBackup {
	const start = text.trimStart();
	if (!start.startsWith('{')) {
		const kind = guessKind(text);
		const other = /CSV|tab-separated|text|Anki|zip/.test(kind)
			? '; to add the cards in this file, use Import instead'
			: '';
		throw new ImportError(
			`it is not a Recall backup but looks like ${kind}. To restore, ${BACKUP_FILE_HINT}${other}`,
			{ file }
		);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (cause) {
		throw new ImportError(
			`the backup is damaged or incomplete (its text ends early or was changed, so it cannot be read). Try another copy; ${BACKUP_FILE_HINT}`,
			{ file, cause }
		);
	}
	return validateBackup(raw, file);
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'number[]' | 'array';
type Shape = Record<string, Kind | `${Kind}?`>;

const SHAPES: Record<(typeof TABLES)[number], Shape> = {
	decks: {
		id: 'string',
		title: 'string',
		description: 'string',
		origin: 'string',
		version: 'number',
		presetId: 'string',
		createdAt: 'number',
		contentHash: 'string?',
		source: 'object?'
	},
	notes: {
		id: 'string',
		deckId: 'string',
		guid: 'string',
		type: 'string',
		fields: 'object',
		modelId: 'string?',
		tags: 'string[]',
		source: 'string?',
		position: 'number',
		mtime: 'number',
		retired: 'boolean?'
	},
	cards: {
		id: 'string',
		noteId: 'string',
		deckId: 'string',
		ord: 'number',
		queue: 'number',
		state: 'number',
		due: 'number',
		stability: 'number',
		difficulty: 'number',
		scheduledDays: 'number',
		learningSteps: 'number',
		reps: 'number',
		lapses: 'number',
		lastReview: 'number?',
		buriedUntil: 'number?',
		rev: 'number',
		tags: 'string[]?'
	},
	revlog: {
		id: 'number?',
		cardId: 'string',
		deckId: 'string',
		reviewedAt: 'number',
		rating: 'number',
		state: 'number',
		due: 'number',
		stability: 'number',
		difficulty: 'number',
		elapsedDays: 'number',
		scheduledDays: 'number',
		durationMs: 'number'
	},
	presets: {
		id: 'string',
		name: 'string',
		desiredRetention: 'number',
		learningSteps: 'number[]',
		relearningSteps: 'number[]',
		newPerDay: 'number',
		reviewsPerDay: 'number',
		dayStartHour: 'number',
		maximumInterval: 'number',
		weights: 'number[]'
	},
	models: {
		id: 'string',
		name: 'string',
		kind: 'string',
		fields: 'string[]',
		templates: 'array',
		css: 'string'
	},
	meta: { key: 'string' }
};

const NOTE_TYPES = new Set(['basic', 'reversed', 'cloze', 'anki']);
const ORIGINS = new Set(['builtin', 'import', 'user']);
const MODEL_KINDS = new Set(['standard', 'cloze']);
const CARD_STATES = new Set([0, 1, 2, 3]);
/** Anki-style queues: the state, or -1 suspended, -2 buried. */
const QUEUES = new Set([-2, -1, 0, 1, 2, 3]);
const RATINGS = new Set([0, 1, 2, 3, 4]);

/**
 * What the shapes cannot say: values from a closed set, times that are dates, fields that are
 * text. The app renders fields as text, grades from these states and does day arithmetic on these
 * times, so a row that breaks one would break a screen after the restore, not during it.
 */
function checkValues(table: string, row: Record<string, unknown>, entry: string, file: string) {
	const fail = (what: string) => {
		throw new ImportError(what, { file, entry });
	};
	const time = (key: string) => {
		const value = row[key];
		if (value !== undefined && !isPlausibleTime(value as number)) fail(`"${key}" is not a date`);
	};
	switch (table) {
		case 'decks':
			if (!ORIGINS.has(row.origin as string)) fail('has an unknown origin');
			time('createdAt');
			break;
		case 'notes':
			if (!Object.values(row.fields as object).every((v) => typeof v === 'string')) {
				fail('"fields" must all be text');
			}
			time('mtime');
			break;
		case 'cards':
			if (!CARD_STATES.has(row.state as number) || !QUEUES.has(row.queue as number)) {
				fail('has an unknown state or queue');
			}
			// A new card's due is its position in the deck, not a time.
			if (row.state !== 0) time('due');
			time('lastReview');
			time('buriedUntil');
			break;
		case 'revlog':
			if (!RATINGS.has(row.rating as number) || !CARD_STATES.has(row.state as number)) {
				fail('has an unknown rating or state');
			}
			time('reviewedAt');
			time('due');
			break;
		case 'models': {
			const templates = row.templates as unknown[];
			const isTemplate = (t: unknown) =>
				isKind(t, 'object') &&
				['name', 'front', 'back'].every(
					(key) => typeof (t as Record<string, unknown>)[key] === 'string'
				);
			if (!MODEL_KINDS.has(row.kind as string) || !templates.every(isTemplate)) {
				fail('is not a note type (kind, or card templates with name, front and back)');
			}
			break;
		}
	}
}

function isKind(value: unknown, kind: Kind): boolean {
	switch (kind) {
		case 'string':
			return typeof value === 'string';
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'boolean':
			return typeof value === 'boolean';
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
		case 'array':
			return Array.isArray(value);
		case 'string[]':
			return Array.isArray(value) && value.every((v) => typeof v === 'string');
		case 'number[]':
			return (
				Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))
			);
	}
}

function checkRow(row: unknown, shape: Shape, entry: string, file: string): void {
	if (!isKind(row, 'object')) throw new ImportError('is not an object', { file, entry });
	const record = row as Record<string, unknown>;
	for (const [key, spec] of Object.entries(shape)) {
		const optional = spec.endsWith('?');
		const kind = (optional ? spec.slice(0, -1) : spec) as Kind;
		const value = record[key];
		if (value === undefined && optional) continue;
		if (!isKind(value, kind)) {
			throw new ImportError(`"${key}" is missing or not a ${kind.replace('[]', ' list')}`, {
				file,
				entry
			});
		}
	}
}

function uniqueKeys(rows: Record<string, unknown>[], key: string, table: string, file: string) {
	const seen = new Set<unknown>();
	rows.forEach((row, i) => {
		const value = row[key];
		if (value === undefined) return;
		// Cards are `<note id>/<number>` and rows are found by key: an empty one names nothing.
		if (value === '') {
			throw new ImportError(`has an empty ${key}`, { file, entry: `${table}[${i}]` });
		}
		if (seen.has(value)) {
			throw new ImportError(
				`repeats the ${key} ${displayName(typeof value === 'string' ? value : JSON.stringify(value))}`,
				{
					file,
					entry: `${table}[${i}]`
				}
			);
		}
		seen.add(value);
	});
}

export function validateBackup(raw: unknown, file: string): RecallBackup {
	if (!isKind(raw, 'object') || !isBackupJson(raw)) {
		throw new ImportError(
			`it is not a Recall backup (its "format" is not "recall-backup"; a deck file is added with Import instead). To restore, ${BACKUP_FILE_HINT}`,
			{ file }
		);
	}
	const data = raw as Record<string, unknown>;
	const version = data.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		throw new ImportError('the backup has no valid "version"', { file });
	}
	if (version > BACKUP_VERSION) {
		throw new ImportError(
			`the backup was made by a newer Recall (format version ${version}); update Recall and try again`,
			{ file }
		);
	}
	for (const table of [...TABLES, 'media']) {
		if (!Array.isArray(data[table])) {
			throw new ImportError(`the backup has no "${table}" list`, { file });
		}
	}
	const rows = (table: string) => data[table] as Record<string, unknown>[];
	for (const table of TABLES) {
		rows(table).forEach((row, i) => {
			checkRow(row, SHAPES[table], `${table}[${i}]`, file);
			checkValues(table, row, `${table}[${i}]`, file);
		});
		uniqueKeys(rows(table), table === 'meta' ? 'key' : 'id', table, file);
	}
	const deckIds = new Set(rows('decks').map((d) => d.id));
	const noteIds = new Set(rows('notes').map((n) => n.id));
	const modelIds = new Set(rows('models').map((m) => m.id));
	rows('notes').forEach((note, i) => {
		const entry = `notes[${i}]`;
		if (!NOTE_TYPES.has(note.type as string)) {
			throw new ImportError(`has an unknown note type ${displayName(String(note.type))}`, {
				file,
				entry
			});
		}
		if (!deckIds.has(note.deckId)) {
			throw new ImportError(`belongs to a deck the backup does not have`, { file, entry });
		}
		// An Anki note's cards are drawn from its note type's templates: without it, nothing shows.
		if (note.type === 'anki' && !modelIds.has(note.modelId)) {
			throw new ImportError('uses a note type the backup does not have', { file, entry });
		}
	});
	rows('cards').forEach((card, i) => {
		if (!noteIds.has(card.noteId) || !deckIds.has(card.deckId)) {
			throw new ImportError('belongs to a note or deck the backup does not have', {
				file,
				entry: `cards[${i}]`
			});
		}
	});
	const media = rows('media').map((item, i) => {
		const entry = `media[${i}]`;
		checkRow(item, { name: 'string', type: 'string', data: 'string' }, entry, file);
		try {
			return {
				name: item.name as string,
				type: item.type as string,
				data: decodeBase64(item.data as string)
			};
		} catch (cause) {
			throw new ImportError('the file data is damaged (not base64)', { file, entry, cause });
		}
	});
	uniqueKeys(media, 'name', 'media', file);
	return {
		format: BACKUP_FORMAT,
		version,
		// JSON reads 1e999 as Infinity; an impossible time says nothing about when the backup was made.
		exportedAt: isPlausibleTime(data.exportedAt as number) ? (data.exportedAt as number) : 0,
		decks: rows('decks') as unknown as Deck[],
		notes: rows('notes') as unknown as Note[],
		cards: rows('cards') as unknown as Card[],
		revlog: rows('revlog') as unknown as RevlogEntry[],
		presets: rows('presets') as unknown as Preset[],
		models: rows('models') as unknown as NoteModel[],
		meta: rows('meta') as unknown as BackupMetaRow[],
		media
	};
}

/**
 * A backup opened on the import page is merged like any other import (nothing is replaced;
 * notes matched by GUID), so it carries no review-log ids and no presets. Reviews of cards the
 * backup does not hold (a damaged store's strays, kept by a restore so it stays exact) are left
 * out of a merge: they would be history of nothing.
 */
export function backupToBundle(backup: RecallBackup): ImportBundle {
	const bundle = emptyBundle();
	bundle.decks = backup.decks.map((deck) => ({ ...deck, presetId: 'default' }));
	bundle.models = backup.models;
	bundle.notes = backup.notes;
	bundle.cards = backup.cards;
	const cardIds = new Set(backup.cards.map((card) => card.id));
	const kept = backup.revlog.filter((entry) => cardIds.has(entry.cardId));
	bundle.revlog = kept.map((entry) => {
		const copy = { ...entry };
		delete copy.id;
		return copy;
	});
	const strays = backup.revlog.length - kept.length;
	if (strays > 0) {
		bundle.warnings.push(`${strays} reviews belong to cards not in the backup and were skipped.`);
	}
	bundle.media = backup.media;
	if (backup.presets.some((preset) => preset.id !== 'default')) {
		bundle.warnings.push(
			'The backup’s presets were not imported: decks use the default preset. Use “Restore from backup” in Settings to bring back everything as it was.'
		);
	}
	return bundle;
}
