/**
 * The study session's reads and writes besides a grade (storage/review-repo saveGrade): the deck
 * and presets it studies with, what showing a card needs, a search's found cards, and the undo
 * of a manual action. state/review-session and its helpers call these, never a table.
 */
import type { Card, Deck, Note, NoteModel, Preset, RevlogEntry } from '../core/model';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import { noteCards } from './review-repo';

/** The deck, or undefined when it is not on this device. */
export function readDeck(db: RecallDb, deckId: string): Promise<Deck | undefined> {
	return db.decks.get(deckId);
}

/** The preset of the deck `deckId` (the default one when the deck or its preset is gone). */
export async function readDeckPreset(db: RecallDb, deckId: string): Promise<Preset> {
	const deck = await db.decks.get(deckId);
	return getPreset(db, deck?.presetId ?? 'default');
}

/** A card as stored now (undefined: deleted). */
export function readCard(db: RecallDb, cardId: string): Promise<Card | undefined> {
	return db.cards.get(cardId);
}

/** What showing `card` needs: its note, the note's model, and the note's cards as stored now. */
export interface CardContext {
	note: Note | null;
	model: NoteModel | null;
	/** The note's cards (this one included), as stored now. */
	cards: Card[];
}

export async function readCardContext(db: RecallDb, card: Card): Promise<CardContext> {
	const [note, cards] = await Promise.all([db.notes.get(card.noteId), noteCards(db, card.noteId)]);
	const model = note?.modelId ? ((await db.models.get(note.modelId)) ?? null) : null;
	return { note: note ?? null, model, cards };
}

/** The cards a search found, as stored now, and the review-log rows written from `since` on. */
export async function readFoundCards(
	db: RecallDb,
	ids: readonly string[],
	since: number
): Promise<{ cards: Card[]; reviews: RevlogEntry[] }> {
	const [cards, reviews] = await Promise.all([
		db.cards.bulkGet([...ids]),
		db.revlog.where('reviewedAt').aboveOrEqual(since).toArray()
	]);
	return { cards: cards.filter((c) => c !== undefined), reviews };
}

/** Undoes a manual action: the card as it was, and the review-log row it wrote (if any) removed. */
export async function restoreCard(db: RecallDb, before: Card, logId?: number): Promise<void> {
	await db.transaction('rw', [db.cards, db.revlog], async () => {
		await db.cards.put(before);
		if (logId !== undefined) await db.revlog.delete(logId);
	});
}
