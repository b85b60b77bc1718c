import type { Card, Deck, Note, NoteModel, RevlogEntry } from '../model';

/** A media file carried by a package, bytes as read (never interpreted or executed here). */
export interface ImportedMedia {
	name: string;
	type: string;
	data: Uint8Array;
}

/**
 * Everything one import produces, in Recall's model, ready to be written in one transaction.
 * Plain data so it can cross from the import worker to the page with postMessage.
 */
export interface ImportBundle {
	decks: Deck[];
	models: NoteModel[];
	notes: Note[];
	cards: Card[];
	revlog: RevlogEntry[];
	media: ImportedMedia[];
	/** Things skipped or guessed, in words for the user ("3 review log entries … skipped"). */
	warnings: string[];
	/**
	 * Ids of studied cards whose `stability`/`difficulty` are placeholders (0): the package had no
	 * FSRS memory state for them, so it must come from replaying their revlog through ts-fsrs.
	 */
	cardsToReplay: string[];
}

export function emptyBundle(): ImportBundle {
	return {
		decks: [],
		models: [],
		notes: [],
		cards: [],
		revlog: [],
		media: [],
		warnings: [],
		cardsToReplay: []
	};
}

export interface ImportErrorPlace {
	/** The file the user picked. */
	file?: string;
	/** 1-based line in a text file. */
	line?: number;
	/** The entry inside a package (zip member, table, media name). */
	entry?: string;
	cause?: unknown;
	/** What the user can do about it, in a sentence ("Export the deck from Anki again …"). */
	advice?: string;
}

/**
 * An import that cannot go on. `message` is shown to the user as is, so it says what is wrong
 * and where ("deck.csv, line 14: unbalanced quote"); `reason` is the same without the place.
 */
export class ImportError extends Error {
	readonly reason: string;
	readonly file?: string;
	readonly line?: number;
	readonly entry?: string;
	readonly advice?: string;

	constructor(reason: string, place: ImportErrorPlace = {}) {
		const where = [
			place.file,
			place.line !== undefined ? `line ${place.line}` : undefined,
			place.entry !== undefined ? `entry ${displayName(place.entry)}` : undefined
		]
			.filter((part) => part !== undefined && part !== '')
			.join(', ');
		super(where ? `${where}: ${reason}` : reason, { cause: place.cause });
		this.name = 'ImportError';
		this.reason = reason;
		this.file = place.file;
		this.line = place.line;
		this.entry = place.entry;
		this.advice = place.advice;
	}
}

/**
 * The last instant of the year 9999. A time later than this in an imported file is damage, not a
 * date: Dates, Intl formatting and study-day arithmetic all fail long before year 275760, the
 * end of what a Date holds, so such values are refused or dropped before they reach the store.
 */
export const TIME_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A time (ms) an imported row may carry: not before 1970, not after the year 9999. */
export function isPlausibleTime(t: number): boolean {
	return Number.isFinite(t) && t >= 0 && t <= TIME_MAX;
}

/**
 * A name from a hostile file is quoted, stripped of control characters and shortened before it
 * goes into a message, so it can neither forge text in the UI nor flood it.
 */
export function displayName(name: string): string {
	// eslint-disable-next-line no-control-regex
	const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
	return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 77)}…` : clean);
}

/**
 * A library's error message for the parenthesis after a reason: the first 120 characters, on
 * one line. SQLite, for one, quotes a damaged table's whole schema in its messages.
 */
export function causeText(cause: unknown): string {
	const text = cause instanceof Error ? cause.message : String(cause);
	// eslint-disable-next-line no-control-regex
	const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
	return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
