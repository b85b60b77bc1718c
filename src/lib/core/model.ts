/**
 * The domain model shared by every layer. Plain data (numbers, strings, arrays) so that the
 * same objects are stored in IndexedDB, passed to workers and serialised to JSON unchanged.
 * Times are milliseconds since the Unix epoch.
 */
import type { NoteHtml } from './render/stored';

/** FSRS memory state of a card, as ts-fsrs numbers it. */
export const CardState = { New: 0, Learning: 1, Review: 2, Relearning: 3 } as const;
export type CardState = (typeof CardState)[keyof typeof CardState];

/**
 * Which queue a card sits in, as Anki's `queue` column: the FSRS state for cards that can be
 * studied, negative for cards held out of study. Indexed with the deck and due time so the
 * review queue is a handful of range queries.
 */
export const Queue = {
	Suspended: -1,
	Buried: -2,
	New: 0,
	Learning: 1,
	Review: 2,
	Relearning: 3
} as const;
export type Queue = (typeof Queue)[keyof typeof Queue];

/** 1 Again, 2 Hard, 3 Good, 4 Easy — ts-fsrs and Anki agree. */
export const Rating = { Again: 1, Hard: 2, Good: 3, Easy: 4 } as const;
export type Grade = (typeof Rating)[keyof typeof Rating];

/**
 * basic / reversed / cloze are Recall's own note types (fields `front`/`back` or `text`/`extra`);
 * `anki` notes keep an imported Anki note type (`modelId`): their fields by name, and cards
 * rendered from the model's templates.
 */
export type NoteType = 'basic' | 'reversed' | 'cloze' | 'anki';

/** An imported Anki note type: field names in order, card templates and styling. */
export interface NoteModel {
	id: string;
	name: string;
	kind: 'standard' | 'cloze';
	fields: string[];
	templates: { name: string; front: string; back: string }[];
	css: string;
}

export type DeckOrigin = 'builtin' | 'import' | 'user';

export interface Deck {
	id: string;
	title: string;
	description: string;
	origin: DeckOrigin;
	/** Version of the built-in deck file last merged (0 for other decks). */
	version: number;
	/** Hash of the served deck content last merged, so an unchanged deck is not re-merged. */
	contentHash?: string;
	presetId: string;
	source?: DeckSource;
	createdAt: number;
}

export interface DeckSource {
	title: string;
	file: string;
}

export interface Note {
	/** Globally unique: `<deckId>/<note id in the deck>` for built-in decks. */
	id: string;
	deckId: string;
	/** Stable identity across imports (Anki GUID, or the deck file's note id). */
	guid: string;
	type: NoteType;
	/** basic / reversed: `front` and `back` (reversed: optional `reversePrompt`, the back → front question); cloze: `text`; all three: optional `extra` (answer side only); anki: by field name. Markdown or HTML. */
	fields: Record<string, string>;
	/** For `anki` notes: the NoteModel id. */
	modelId?: string;
	tags: string[];
	/** Verbatim quotation from the article the note was derived from. */
	source?: string;
	/** Position within its deck: new cards are introduced in this order. */
	position: number;
	/** Last modification, ms. */
	mtime: number;
	/** A note removed from its built-in deck is retired: its cards are suspended, its history kept. */
	retired?: boolean;
	/**
	 * v7: the cards' HTML rendered when the note was written (core/render/stored.ts), keyed by
	 * type and fields, so the study screen needs no Markdown renderer; derived, never required.
	 */
	html?: NoteHtml;
}

export interface Card {
	/** `<noteId>/<ordinal>` */
	id: string;
	noteId: string;
	deckId: string;
	/** Which card of the note: 0 front→back, 1 back→front (reversed), n-1 for cloze cN. */
	ord: number;
	queue: Queue;
	state: CardState;
	/** ms. For new cards the introduction order (the note position), not a time. */
	due: number;
	stability: number;
	difficulty: number;
	scheduledDays: number;
	learningSteps: number;
	reps: number;
	lapses: number;
	lastReview?: number;
	/** When a buried card returns to its queue, ms. */
	buriedUntil?: number;
	/** Bumped by every write, so two tabs never grade the same card from stale state. */
	rev: number;
	tags?: string[];
	/** Anki's card flag: 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple; absent: none. */
	flag?: number;
}

export interface RevlogEntry {
	/** Auto-increment key assigned by the store; absent before the row is written. */
	id?: number;
	cardId: string;
	deckId: string;
	/** When the review happened, ms. */
	reviewedAt: number;
	/** 1–4; 0 marks a manual reschedule or reset that is not a review. */
	rating: Grade | 0;
	/** Card state before this review. */
	state: CardState;
	/** Due time the card had before this review, ms. */
	due: number;
	/** Memory state after the review. */
	stability: number;
	difficulty: number;
	/** Days since the previous review (0 for the first). */
	elapsedDays: number;
	/** Interval given by this review, days (0 for (re)learning steps). */
	scheduledDays: number;
	/** Time spent answering, ms. */
	durationMs: number;
}

/** Where new cards go among the day's reviews. */
export type NewMix = 'mix' | 'after' | 'before';

export interface Preset {
	id: string;
	name: string;
	/** 0.70–0.99 */
	desiredRetention: number;
	/** Steps in minutes. */
	learningSteps: number[];
	relearningSteps: number[];
	newPerDay: number;
	reviewsPerDay: number;
	/** Local hour (0–23) at which a new study day starts. */
	dayStartHour: number;
	maximumInterval: number;
	fuzz: boolean;
	loadBalance: boolean;
	/** Lapses after which a card is tagged leech and suspended (0 = never). */
	leechThreshold: number;
	/** Per weekday, Sunday first: 1 normal, 0.5 reduced, 0 minimum. */
	easyDays: number[];
	/** Review order of the day's due reviews. */
	reviewOrder: 'due' | 'retrievability';
	/**
	 * Where the day's new cards go among its reviews (Anki's "New/review order"): mixed in
	 * (absent: Recall's order before this option), after them, or before them.
	 */
	newMix?: NewMix;
	/** Answering a card buries its note's new cards until the next day (absent: on). */
	buryNew?: boolean;
	/** Answering a card buries its note's reviews due today until the next day (absent: on). */
	buryReviews?: boolean;
	/**
	 * When the studied cards of this preset's decks were last rescheduled from their review
	 * history (the "Reschedule cards" offer after a change). It syncs like any option, and a device
	 * that pulls a later one replays those cards too, so every device shows the same due dates.
	 */
	rescheduledAt?: number;
	/** FSRS-6 parameters (21 weights). */
	weights: number[];
	/** Which FSRS model the weights belong to. */
	fsrsVersion: 6;
}

export interface MediaFile {
	name: string;
	type: string;
	data: Blob;
}
