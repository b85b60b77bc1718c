/**
 * The study session's reads and writes besides a grade (storage/review-repo saveGrade): the deck
 * and presets it studies with, what showing a card needs, a search's found cards, and (the
 * study screen's other actions are storage/bulk-actions'). state/review-session and its helpers call these, never a table.
 */
import type { Card, Deck, Note, NoteModel, Preset, RevlogEntry } from '../core/model';
import type { RecallDb } from './db';
import { decksWithin } from './deck-repo';
import { getPreset } from './presets';
import { noteCards, unburyDue } from './review-repo';

/** The deck, or undefined when it is not on this device. */
export function readDeck(db: RecallDb, deckId: string): Promise<Deck | undefined> {
	return db.decks.get(deckId);
}

/**
 * Opens deck `deckId` for study at `now`: the deck and its preset, once the cards buried until
 * before now (in it and its subdecks) are back in their queues; undefined when it is not here.
 */
export async function openDeck(
	db: RecallDb,
	deckId: string,
	now: number
): Promise<{ deck: Deck; preset: Preset } | undefined> {
	const deck = await readDeck(db, deckId);
	if (!deck) return undefined;
	const preset = await getPreset(db, deck.presetId);
	for (const d of await decksWithin(db, deckId)) await unburyDue(db, d.id, now);
	return { deck, preset };
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
