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
	}
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
