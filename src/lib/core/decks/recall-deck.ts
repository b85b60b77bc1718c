/**
 * Recall's JSON deck format (ARCHITECTURE.md): what the app serves at /decks/<id>.json and what
 * the importer accepts. Validation names the entry that is wrong, so a hand-edited file gets a
 * message a person can act on.
 */
import { causeText } from '../import/bundle';
import { MAX_CLOZE_OPENERS, tooManyClozes } from '../import/limits';
import { clozeOrdinals } from '../render/cloze';
import { DeckFormatError, excerpt } from './errors';

export interface RecallDeckNoteBase {
	id: string;
	tags?: string[];
	source?: string;
	/** Shown on the answer side only, below the answer (every note type). */
	extra?: string;
}
export interface RecallBasicNote extends RecallDeckNoteBase {
	type: 'basic' | 'reversed';
	front: string;
	back: string;
	/**
	 * Reversed notes only: the question of the back → front card, in place of the bare `back`
	 * ("Who was Ramón Mercader?" rather than "Ramón Mercader").
	 */
	reversePrompt?: string;
}
export interface RecallClozeNote extends RecallDeckNoteBase {
	type: 'cloze';
	text: string;
}
export type RecallDeckNote = RecallBasicNote | RecallClozeNote;

export interface RecallDeck {
	format: 'recall-deck';
	version: number;
	id: string;
	title: string;
	description: string;
	source?: { title: string; file: string };
	notes: RecallDeckNote[];
}

export interface DeckIndexEntry {
	id: string;
	title: string;
	description: string;
	noteCount: number;
	version: number;
}

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const TAG_PATTERN = /^[\p{L}\p{N}_-]+(?:::[\p{L}\p{N}_-]+)*$/u;

type Json = Record<string, unknown>;

/** The keys a note of each type may have: anything else is refused, never silently dropped. */
export const NOTE_TYPE_KEYS: Record<RecallDeckNote['type'], readonly string[]> = {
	basic: ['id', 'type', 'tags', 'source', 'front', 'back', 'extra'],
	reversed: ['id', 'type', 'tags', 'source', 'front', 'back', 'extra', 'reversePrompt'],
	cloze: ['id', 'type', 'tags', 'source', 'text', 'extra']
};

function isObject(v: unknown): v is Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireString(obj: Json, key: string, where: string, file: string): string {
	const v = obj[key];
	if (typeof v !== 'string' || v.trim() === '') {
		throw new DeckFormatError(`${where}: "${key}" must be a non-empty string`, { file });
	}
	return v;
}

function optionalString(obj: Json, key: string, where: string, file: string): string | undefined {
	const v = obj[key];
	if (v === undefined) return undefined;
	if (typeof v !== 'string') {
		throw new DeckFormatError(`${where}: "${key}" must be a string`, { file });
	}
	return v;
}

function parseNote(raw: unknown, index: number, file: string, seen: Set<string>): RecallDeckNote {
	const where = `note ${index + 1}`;
	if (!isObject(raw))
		throw new DeckFormatError(`${where} is not an object`, { file, entry: where });
	const id = requireString(raw, 'id', where, file);
	const named = `note ${index + 1} ("${excerpt(id)}")`;
	if (!ID_PATTERN.test(id)) {
		throw new DeckFormatError(`${named}: id may only hold lowercase letters, digits and "-"`, {
			file,
			entry: id
		});
	}
	if (seen.has(id)) throw new DeckFormatError(`${named}: duplicate id`, { file, entry: id });
	seen.add(id);
	let tags: string[] | undefined;
	if (raw.tags !== undefined) {
		if (
			!Array.isArray(raw.tags) ||
			raw.tags.some((t) => typeof t !== 'string' || !TAG_PATTERN.test(t))
		) {
			throw new DeckFormatError(`${named}: "tags" must be a list of tag names`, {
				file,
				entry: id
			});
		}
		tags = raw.tags as string[];
	}
	const source = optionalString(raw, 'source', named, file);
	const extra = optionalString(raw, 'extra', named, file);
	const base = {
		id,
		...(tags?.length ? { tags } : {}),
		...(source ? { source } : {}),
		...(extra ? { extra } : {})
	};
	const type = raw.type ?? 'basic';
	if (type !== 'basic' && type !== 'reversed' && type !== 'cloze') {
		throw new DeckFormatError(
			`${named}: unknown type "${excerpt(typeof type === 'string' ? type : JSON.stringify(type))}" (basic, reversed or cloze)`,
			{ file, entry: id }
		);
	}
	const allowed = NOTE_TYPE_KEYS[type];
	const stray = Object.keys(raw).find((k) => !allowed.includes(k));
	if (stray !== undefined) {
		throw new DeckFormatError(
			`${named}: "${excerpt(stray)}" is not a field of a ${type} note (it takes ${allowed
				.filter((k) => k !== 'id' && k !== 'type')
				.join(', ')})`,
			{ file, entry: id }
		);
	}
	if (type === 'basic' || type === 'reversed') {
		const reversePrompt =
			raw.reversePrompt === undefined
				? undefined
				: requireString(raw, 'reversePrompt', named, file);
		return {
			...base,
			type,
			front: requireString(raw, 'front', named, file),
			back: requireString(raw, 'back', named, file),
			...(reversePrompt ? { reversePrompt } : {})
		};
	}
	const text = requireString(raw, 'text', named, file);
	if (tooManyClozes(text)) {
		throw new DeckFormatError(
			`${named}: cloze text has more than ${MAX_CLOZE_OPENERS} "{{c" markers; is the file damaged?`,
			{ file, entry: id }
		);
	}
	// Parsed as the cards will be: an opener never closed, or c0, makes no card at all.
	if (clozeOrdinals(text).length === 0) {
		throw new DeckFormatError(`${named}: cloze text has no {{c1::…}} deletion`, {
			file,
			entry: id
		});
	}
	return { ...base, type, text };
}

/** Validates parsed JSON as a Recall deck; throws DeckFormatError naming the entry at fault. */
export function validateRecallDeck(raw: unknown, file = 'deck.json'): RecallDeck {
	if (!isObject(raw)) throw new DeckFormatError('the file is not a JSON object', { file });
	if (raw.format !== 'recall-deck') {
		throw new DeckFormatError('"format" must be "recall-deck"', { file });
	}
	const version = raw.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		throw new DeckFormatError('"version" must be a positive integer', { file });
	}
	const id = requireString(raw, 'id', 'deck', file);
	if (!ID_PATTERN.test(id)) {
		throw new DeckFormatError('deck id may only hold lowercase letters, digits and "-"', { file });
	}
	const title = requireString(raw, 'title', 'deck', file);
	const description = optionalString(raw, 'description', 'deck', file) ?? '';
	let source: RecallDeck['source'];
	if (raw.source !== undefined) {
		if (!isObject(raw.source)) throw new DeckFormatError('"source" must be an object', { file });
		source = {
			title: requireString(raw.source, 'title', 'source', file),
			file: requireString(raw.source, 'file', 'source', file)
		};
	}
	if (!Array.isArray(raw.notes)) throw new DeckFormatError('"notes" must be a list', { file });
	const seen = new Set<string>();
	const notes = raw.notes.map((n, i) => {
		try {
			return parseNote(n, i, file, seen);
		} catch (e) {
			if (!(e instanceof DeckFormatError)) throw e;
			throw new DeckFormatError(e.reason, { file, entry: e.entry, noteIndex: i });
		}
	});
	return {
		format: 'recall-deck',
		version,
		id,
		title,
		description,
		...(source ? { source } : {}),
		notes
	};
}

/** Parses the text of a .json deck file. */
export function parseRecallDeckJson(text: string, file = 'deck.json'): RecallDeck {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		throw new DeckFormatError(`not valid JSON (${causeText(e)})`, { file });
	}
	return validateRecallDeck(raw, file);
}

export function deckIndexEntry(deck: RecallDeck): DeckIndexEntry {
	return {
		id: deck.id,
		title: deck.title,
		description: deck.description,
		noteCount: deck.notes.length,
		version: deck.version
	};
}
