import { CardState, Queue, type Card, type Deck, type Note, type NoteType } from '../../model';
import { clozeOrdinals } from '../../render/cloze';
import { ImportError, emptyBundle, type ImportBundle } from '../bundle';
import { stableHash } from '../hash';
import { checkFileSize, resolveLimits, tooManyClozes, type ImportLimits } from '../limits';
import type { TextMapping } from './mapping';
import { readTable } from './table';

export interface TextImportOptions {
	/** Import time, ms. */
	now: number;
	/**
	 * Deck for rows that name none in a deck column: the user's choice, which the import page
	 * fills in with the file's `#deck:` header (else the file name). Empty: the `#deck:` header.
	 */
	deckTitle: string;
	/** Override the file's `#html:` header or the guess. */
	html?: boolean;
	limits?: Partial<ImportLimits>;
}

/**
 * Step two of a text import: every row becomes a note with new cards. A row's identity is its
 * GUID column, else a hash of its front, so importing the same file again finds the same notes.
 * A front with cloze markup (or a note type named like Cloze) makes a cloze note; a note type
 * named "… and reversed …" makes a reversed one; anything else is basic.
 */
export function parseText(
	bytes: Uint8Array,
	fileName: string,
	mapping: TextMapping,
	options: TextImportOptions
): ImportBundle {
	const limits = resolveLimits(options.limits);
	checkFileSize(bytes.length, fileName, limits);
	const table = readTable(bytes, fileName, { limits });
	if (!Number.isInteger(mapping.front) || mapping.front < 0 || mapping.front >= table.columns) {
		throw new ImportError(
			`there is no column ${mapping.front + 1} to take the front from (the file has ${table.columns})`,
			{ file: fileName }
		);
	}
	const html = options.html ?? table.html;
	const { headers } = table;
	const bundle = emptyBundle();
	const decks = new Map<string, Deck>();
	const seen = new Map<string, number>();
	const emptyFront: number[] = [];
	const duplicates: number[] = [];
	const clozeFlood: number[] = [];
	const fallbackDeck = options.deckTitle.trim() || headers.deck || 'Imported';

	for (const row of table.rows) {
		const cell = (column: number | undefined) =>
			column === undefined ? '' : (row.cells[column] ?? '').trim();
		const front = cell(mapping.front);
		if (front === '') {
			emptyFront.push(row.line);
			continue;
		}
		if (tooManyClozes(front)) {
			clozeFlood.push(row.line);
			continue;
		}
		const guid = cell(mapping.guid) || stableHash(front);
		if (seen.has(guid)) {
			duplicates.push(row.line);
			continue;
		}
		seen.set(guid, row.line);
		const deck = deckFor(cell(mapping.deck) || fallbackDeck, decks, options.now);
		const type = noteType(cell(mapping.notetype) || headers.notetype || '', front);
		const convert = (text: string) => (html ? text : escapeHtml(text));
		const back = convert(cell(mapping.back));
		const extra = convert(cell(mapping.extra));
		const reversePrompt = type === 'reversed' ? convert(cell(mapping.reversePrompt)) : '';
		const noteId = `text-${guid}`;
		const tags = [...new Set([...cell(mapping.tags).split(/\s+/), ...(headers.tags ?? [])])];
		const note: Note = {
			id: noteId,
			deckId: deck.id,
			guid,
			type,
			// Optional fields are left out when empty, as the editor stores them.
			fields:
				type === 'cloze'
					? { text: convert(front), ...optional('extra', [back, extra]) }
					: {
							front: convert(front),
							back,
							...optional('reversePrompt', [reversePrompt]),
							...optional('extra', [extra])
						},
			tags: tags.filter((tag) => tag !== ''),
			position: bundle.notes.length,
			mtime: options.now
		};
		bundle.notes.push(note);
		for (const ord of cardOrdinals(type, front)) bundle.cards.push(newCard(note, ord));
	}
	bundle.decks = [...decks.values()];
	summarise(
		bundle.warnings,
		emptyFront,
		'has an empty front and was skipped',
		'have an empty front and were skipped'
	);
	summarise(
		bundle.warnings,
		clozeFlood,
		'holds more cloze deletions than a note can have and was skipped',
		'hold more cloze deletions than a note can have and were skipped'
	);
	summarise(
		bundle.warnings,
		duplicates,
		'repeats the front (or GUID) of an earlier row and was skipped',
		'repeat the front (or GUID) of an earlier row and were skipped'
	);
	return bundle;
}

function deckFor(title: string, decks: Map<string, Deck>, now: number): Deck {
	// Anki deck names ignore case, so "German" and "german" are one deck.
	const key = title.normalize('NFC').toLowerCase();
	let deck = decks.get(key);
	if (!deck) {
		deck = {
			id: `text-${stableHash(key)}`,
			title,
			description: '',
			origin: 'import',
			version: 0,
			presetId: 'default',
			createdAt: now
		};
		decks.set(key, deck);
	}
	return deck;
}

function noteType(typeName: string, front: string): NoteType {
	if (/cloze/i.test(typeName) || clozeOrdinals(front).length > 0) return 'cloze';
	if (/reverse/i.test(typeName) && !/optional/i.test(typeName)) return 'reversed';
	return 'basic';
}

function cardOrdinals(type: NoteType, front: string): number[] {
	if (type === 'reversed') return [0, 1];
	if (type !== 'cloze') return [0];
	const numbers = clozeOrdinals(front);
	return numbers.length > 0 ? numbers.map((n) => n - 1) : [0];
}

function newCard(note: Note, ord: number): Card {
	return {
		id: `${note.id}/${ord}`,
		noteId: note.id,
		deckId: note.deckId,
		ord,
		queue: Queue.New,
		state: CardState.New,
		due: note.position,
		stability: 0,
		difficulty: 0,
		scheduledDays: 0,
		learningSteps: 0,
		reps: 0,
		lapses: 0,
		rev: 0
	};
}

/** `{ [name]: the non-empty values joined }`, or nothing when all are empty. */
function optional(name: string, values: string[]): Record<string, string> {
	const kept = values.filter((value) => value !== '');
	return kept.length > 0 ? { [name]: kept.join('\n\n') } : {};
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One warning per kind of skipped row, naming the first few lines. */
function summarise(warnings: string[], lines: number[], one: string, many: string): void {
	if (lines.length === 0) return;
	const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
	warnings.push(
		lines.length === 1
			? `1 row (line ${shown}) ${one}.`
			: `${lines.length} rows (lines ${shown}) ${many}.`
	);
}
