/**
 * Notes the user writes and edits, with their cards: adding a note makes its cards (one per
 * side or cloze number) in the same transaction; an edit that adds a cloze number adds its card,
 * one that removes a number suspends that card (its history is kept, as when a built-in deck
 * drops a note). Each returns a change set, so the browser can undo it.
 */
import { cardStubs, noteOrdinals } from '../core/decks/records';
import {
	Queue,
	type Card,
	type Deck,
	type Note,
	type NoteModel,
	type Preset,
	type RevlogEntry
} from '../core/model';
import { clozeOrdinals } from '../core/render/cloze';
import { withNoteHtml } from '../core/render/prepare';
import { newCard, suspend, unsuspend } from '../core/scheduling/card-actions';
import type { SearchNote } from '../core/search';
import { changeTables, emptyChanges, writeChanges, type ChangeSet } from './changes';
import type { RecallDb } from './db';
import { randomId } from './ids';
import { defaultDeck } from './deck-repo';
import { getPreset } from './presets';

export type UserNoteType = 'basic' | 'reversed' | 'cloze';

export interface NoteInput {
	/** The deck; '' for the user's default deck ("My cards"), created with the note if needed. */
	deckId: string;
	type: UserNoteType;
	fields: Record<string, string>;
	tags: string[];
}

/** A note that cannot be saved as it is; the message says why. */
export class NoteError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NoteError';
	}
}

/** What keeps a note from making cards, or null when it can be saved. */
export function noteProblem(note: Pick<Note, 'type' | 'fields'>): string | null {
	const f = note.fields;
	const filled = (name: string) => (f[name] ?? '').trim() !== '';
	switch (note.type) {
		case 'basic':
			return filled('front') ? null : 'Write the front of the card.';
		case 'reversed':
			return filled('front') && filled('back')
				? null
				: 'Write both sides: each side asks for the other.';
		case 'cloze':
			return clozeOrdinals(f.text ?? '').length > 0
				? null
				: 'Hide at least one part of the text as a cloze, like {{c1::this}}.';
		default:
			return null;
	}
}

/** New notes go after the deck's last new card, so they are introduced in the order written. */
async function nextPosition(db: RecallDb, deckId: string): Promise<number> {
	const [lastNew, count] = await Promise.all([
		db.cards
			.where('[deckId+queue+due]')
			.between([deckId, Queue.New, -Infinity], [deckId, Queue.New, Infinity])
			.last(),
		db.notes.where('deckId').equals(deckId).count()
	]);
	return Math.max(count, lastNew ? Math.floor(lastNew.due / 100) + 1 : 0);
}

export async function createNote(
	db: RecallDb,
	input: NoteInput,
	now: number
): Promise<{ note: Note; cards: Card[]; deck: Deck; changes: ChangeSet }> {
	const problem = noteProblem(input);
	if (problem) throw new NoteError(problem);
	return db.transaction('rw', [...changeTables(db), db.presets], async () => {
		let deck: Deck | undefined;
		let newDeck: Deck | undefined;
		if (input.deckId === '') {
			const found = await defaultDeck(db, now);
			deck = found.deck;
			if (found.created) newDeck = found.deck;
		} else {
			deck = await db.decks.get(input.deckId);
			if (!deck) throw new NoteError('That deck no longer exists.');
		}
		const deckId = deck.id;
		const id = `note-${randomId(12)}`;
		const note: SearchNote = withNoteHtml({
			id,
			deckId,
			guid: id,
			type: input.type,
			fields: { ...input.fields },
			tags: [...input.tags],
			position: newDeck ? 0 : await nextPosition(db, deckId),
			mtime: now,
			createdAt: now
		});
		const cards = cardStubs(note).map(newCard);
		const changes = await writeChanges(db, {
			...emptyChanges(),
			decks: newDeck ? [{ after: newDeck }] : [],
			notes: [{ after: note }],
			cards: cards.map((after) => ({ after }))
		});
		return { note, cards, deck, changes };
	});
}

/**
 * Saves an edit of fields and tags. `mtime` is the note's as the editor loaded it: if it changed
 * since (another tab), nothing is written.
 */
export async function updateNote(
	db: RecallDb,
	noteId: string,
	edit: { fields: Record<string, string>; tags: string[]; mtime: number },
	now: number
): Promise<ChangeSet> {
	return db.transaction('rw', changeTables(db), async () => {
		const note = await db.notes.get(noteId);
		if (!note) throw new NoteError('This note was deleted.');
		if (note.mtime !== edit.mtime) {
			throw new NoteError('This note was changed elsewhere (another tab?); reopen it to edit.');
		}
		// Its cards rendered again, once, here (core/render/prepare.ts): study shows the stored HTML.
		const after: Note = withNoteHtml({
			...note,
			fields: { ...edit.fields },
			tags: [...edit.tags],
			mtime: Math.max(now, note.mtime + 1)
		});
		const problem = noteProblem(after);
		if (problem) throw new NoteError(problem);
		const changes = { ...emptyChanges(), notes: [{ before: note, after }] };
		// Imported Anki notes keep the cards their templates made.
		if (note.type !== 'anki') {
			const cards = await db.cards.where('noteId').equals(noteId).toArray();
			const have = new Map(cards.map((c) => [c.ord, c]));
			const wanted = new Set(noteOrdinals(after));
			for (const stub of cardStubs(after)) {
				if (!have.has(stub.ord)) changes.cards.push({ after: newCard(stub) });
			}
			for (const card of cards) {
				const keep = wanted.has(card.ord);
				if (!keep && card.queue !== Queue.Suspended) {
					changes.cards.push({ before: card, after: suspend(card) });
				} else if (keep && card.queue === Queue.Suspended && !wantedBefore(note, card.ord)) {
					// A cloze number that comes back brings its card back.
					changes.cards.push({ before: card, after: unsuspend(card) });
				}
			}
		}
		return writeChanges(db, changes);
	});
}

function wantedBefore(note: Note, ord: number): boolean {
	return noteOrdinals(note).includes(ord);
}

export interface CardDetails {
	card: Card;
	note: Note;
	deck: Deck | undefined;
	preset: Preset;
	model: NoteModel | null;
	/** Oldest first. */
	history: RevlogEntry[];
}

/** Everything the card info panel and the note editor show, read together. */
export async function cardDetails(db: RecallDb, cardId: string): Promise<CardDetails | null> {
	return db.transaction(
		'r',
		[db.cards, db.notes, db.decks, db.presets, db.models, db.revlog],
		async () => {
			const card = await db.cards.get(cardId);
			const note = card && (await db.notes.get(card.noteId));
			if (!card || !note) return null;
			const deck = await db.decks.get(card.deckId);
			const [preset, model, history] = await Promise.all([
				getPreset(db, deck?.presetId ?? 'default'),
				note.modelId ? db.models.get(note.modelId) : undefined,
				db.revlog.where('cardId').equals(cardId).sortBy('reviewedAt')
			]);
			return { card, note, deck, preset, model: model ?? null, history };
		}
	);
}
