/**
 * What the browser does to many cards at once. Each action is one transaction: it reads the
 * selected cards (and notes) as they are now, computes every change with core functions, writes
 * them, and returns the change set, which undoChanges (changes.ts) reverses.
 */
import { CardState, Queue, type Card, type Note } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import {
	bury,
	flagCard,
	forgetCard,
	setDueDate,
	unbury,
	unsuspend,
	suspend
} from '../core/scheduling';
import { changeTables, emptyChanges, writeChanges, type Change, type ChangeSet } from './changes';
import type { RecallDb } from './db';
import { getPreset } from './presets';

/** A card change, only when the card actually changed (its `rev` moved). */
function cardChange(before: Card, after: Card): Change<Card>[] {
	return after.rev === before.rev ? [] : [{ before, after }];
}

async function withCards(
	db: RecallDb,
	cardIds: readonly string[],
	plan: (cards: Card[]) => ChangeSet | Promise<ChangeSet>
): Promise<ChangeSet> {
	return db.transaction('rw', [...changeTables(db), db.presets], async () => {
		const cards = (await db.cards.bulkGet([...cardIds])).filter((c) => c !== undefined);
		return writeChanges(db, await plan(cards));
	});
}

function cardsOnly(cards: Change<Card>[]): ChangeSet {
	return { ...emptyChanges(), cards };
}

export function suspendCards(db: RecallDb, cardIds: readonly string[]): Promise<ChangeSet> {
	return withCards(db, cardIds, (cards) =>
		cardsOnly(
			cards.filter((c) => c.queue !== Queue.Suspended).flatMap((c) => cardChange(c, suspend(c)))
		)
	);
}

export function unsuspendCards(db: RecallDb, cardIds: readonly string[]): Promise<ChangeSet> {
	return withCards(db, cardIds, (cards) =>
		cardsOnly(cards.flatMap((c) => cardChange(c, unsuspend(c))))
	);
}

/** Flag `flag` (1–7) on the cards, or none (0). */
export function flagCards(
	db: RecallDb,
	cardIds: readonly string[],
	flag: number
): Promise<ChangeSet> {
	return withCards(db, cardIds, (cards) =>
		cardsOnly(
			cards.filter((c) => (c.flag ?? 0) !== flag).flatMap((c) => cardChange(c, flagCard(c, flag)))
		)
	);
}

/** Hidden until `until` (the next study day); suspended cards stay suspended. */
export function buryCards(
	db: RecallDb,
	cardIds: readonly string[],
	until: number
): Promise<ChangeSet> {
	return withCards(db, cardIds, (cards) =>
		cardsOnly(
			cards
				.filter((c) => c.queue !== Queue.Suspended && c.queue !== Queue.Buried)
				.flatMap((c) => cardChange(c, bury(c, until)))
		)
	);
}

export function unburyCards(db: RecallDb, cardIds: readonly string[]): Promise<ChangeSet> {
	return withCards(db, cardIds, (cards) =>
		cardsOnly(cards.flatMap((c) => cardChange(c, unbury(c))))
	);
}

/** Back to new, introduced where the note's position puts it (as the review screen's forget). */
export function forgetCards(
	db: RecallDb,
	cardIds: readonly string[],
	now: number,
	resetCounts = false
): Promise<ChangeSet> {
	return withCards(db, cardIds, async (cards) => {
		const notes = await db.notes.bulkGet([...new Set(cards.map((c) => c.noteId))]);
		const position = new Map(notes.filter((n) => n !== undefined).map((n) => [n.id, n.position]));
		const changes = emptyChanges();
		for (const card of cards.filter((c) => c.state !== CardState.New)) {
			const forgotten = forgetCard(card, now, (position.get(card.noteId) ?? 0) * 100 + card.ord, {
				resetCounts
			});
			changes.cards.push({ before: card, after: forgotten.card });
			changes.revlog.push({ after: forgotten.log });
		}
		return changes;
	});
}

/** Anki's "set due date" (core's setDueDate) for each card, in its deck's study days. */
export function rescheduleCards(
	db: RecallDb,
	cardIds: readonly string[],
	days: number,
	now: number,
	timeZone: string
): Promise<ChangeSet> {
	return withCards(db, cardIds, async (cards) => {
		const changes = emptyChanges();
		const decks = await db.decks.bulkGet([...new Set(cards.map((c) => c.deckId))]);
		const hours = new Map<string, number>();
		for (const deck of decks) {
			if (deck) hours.set(deck.id, (await getPreset(db, deck.presetId)).dayStartHour);
		}
		for (const card of cards) {
			const moved = setDueDate(
				card,
				days,
				now,
				hours.get(card.deckId) ?? DEFAULT_PRESET.dayStartHour,
				timeZone
			);
			changes.cards.push({ before: card, after: moved.card });
			changes.revlog.push({ after: moved.log });
		}
		return changes;
	});
}

export class MissingDeckError extends Error {
	constructor() {
		super('That deck no longer exists: choose another deck to move the cards to.');
		this.name = 'MissingDeckError';
	}
}

/**
 * Moves cards to another deck, like Anki. A note whose cards all end up there moves too (new
 * cloze cards from a later edit go where its cards are), except into a built-in deck. Cards of
 * built-in decks stay put: the update of a built-in deck reads its cards by deck, so moved ones
 * would be made again.
 */
export async function moveCards(
	db: RecallDb,
	cardIds: readonly string[],
	deckId: string
): Promise<{ changes: ChangeSet; keptBuiltin: number }> {
	let keptBuiltin = 0;
	const changes = await withCards(db, cardIds, async (cards) => {
		const target = await db.decks.get(deckId);
		if (!target) throw new MissingDeckError();
		const noteIds = [...new Set(cards.map((c) => c.noteId))];
		const notes = (await db.notes.bulkGet(noteIds)).filter((n) => n !== undefined);
		const builtin = new Set(
			(await db.decks.bulkGet([...new Set(notes.map((n) => n.deckId))]))
				.filter((d) => d?.origin === 'builtin')
				.map((d) => d!.id)
		);
		const noteById = new Map(notes.map((n) => [n.id, n]));
		const changes = emptyChanges();
		const moving = cards.filter((c) => {
			const fromBuiltin = builtin.has(noteById.get(c.noteId)?.deckId ?? c.deckId);
			if (fromBuiltin && c.deckId !== deckId) keptBuiltin++;
			return !fromBuiltin && c.deckId !== deckId;
		});
		for (const card of moving) {
			changes.cards.push({ before: card, after: { ...card, deckId, rev: card.rev + 1 } });
		}
		const moved = new Set(moving.map((c) => c.id));
		const siblings = await db.cards.where('noteId').anyOf(noteIds).toArray();
		// A note never joins a built-in deck: its update would retire notes it does not ship.
		const notesFollow = target.origin !== 'builtin';
		for (const note of notesFollow ? notes : []) {
			if (builtin.has(note.deckId) || note.deckId === deckId) continue;
			const all = siblings.filter((c) => c.noteId === note.id);
			if (all.every((c) => c.deckId === deckId || moved.has(c.id))) {
				changes.notes.push({ before: note, after: { ...note, deckId } });
			}
		}
		return changes;
	});
	return { changes, keptBuiltin };
}

function sameTag(a: string, b: string): boolean {
	return a.toLowerCase() === b.toLowerCase();
}

/** Tags are the note's (as in Anki): every note of the selected cards. */
async function editTags(
	db: RecallDb,
	cardIds: readonly string[],
	now: number,
	edit: (tags: string[]) => string[]
): Promise<ChangeSet> {
	return withCards(db, cardIds, async (cards) => {
		const notes = (await db.notes.bulkGet([...new Set(cards.map((c) => c.noteId))])).filter(
			(n): n is Note => n !== undefined
		);
		const changes = emptyChanges();
		for (const note of notes) {
			const tags = edit(note.tags);
			if (tags.length === note.tags.length && tags.every((t, i) => t === note.tags[i])) continue;
			changes.notes.push({ before: note, after: { ...note, tags, mtime: now } });
		}
		// The scheduler also marks a leech on the card itself: removing the tag clears both.
		const siblings = await db.cards
			.where('noteId')
			.anyOf(changes.notes.map((c) => c.before!.id))
			.toArray();
		for (const card of siblings) {
			if (!card.tags) continue;
			const tags = edit(card.tags);
			if (tags.length !== card.tags.length) {
				changes.cards.push({ before: card, after: { ...card, tags, rev: card.rev + 1 } });
			}
		}
		return changes;
	});
}

/** Tags as typed: split on spaces, without duplicates (ignoring case). */
export function parseTags(text: string): string[] {
	const tags: string[] = [];
	for (const tag of text.split(/\s+/).filter(Boolean)) {
		if (!tags.some((t) => sameTag(t, tag))) tags.push(tag);
	}
	return tags;
}

export function addTags(db: RecallDb, cardIds: readonly string[], tags: string[], now: number) {
	return editTags(db, cardIds, now, (current) => [
		...current,
		...tags.filter((t) => !current.some((c) => sameTag(c, t)))
	]);
}

export function removeTags(db: RecallDb, cardIds: readonly string[], tags: string[], now: number) {
	return editTags(db, cardIds, now, (current) =>
		current.filter((c) => !tags.some((t) => sameTag(c, t)))
	);
}

/**
 * Deletes the notes of the selected cards, with all their cards and review history (a card
 * without its note cannot be shown). Undo puts everything back, history included.
 */
export function deleteNotesOfCards(db: RecallDb, cardIds: readonly string[]): Promise<ChangeSet> {
	return withCards(db, cardIds, async (cards) => {
		const noteIds = [...new Set(cards.map((c) => c.noteId))];
		return deletionChanges(db, noteIds);
	});
}

/** The change set deleting notes with their cards and review-log rows (inside a transaction). */
export async function deletionChanges(db: RecallDb, noteIds: string[]): Promise<ChangeSet> {
	const [notes, cards] = await Promise.all([
		db.notes.bulkGet(noteIds),
		db.cards.where('noteId').anyOf(noteIds).toArray()
	]);
	const logs = await db.revlog
		.where('cardId')
		.anyOf(cards.map((c) => c.id))
		.toArray();
	return {
		decks: [],
		notes: notes.filter((n) => n !== undefined).map((before) => ({ before })),
		cards: cards.map((before) => ({ before })),
		revlog: logs.map((before) => ({ before }))
	};
}
