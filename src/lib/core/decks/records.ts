/**
 * From a Recall deck (JSON or Markdown) to the store's records, and the merge plan used when a
 * new app version ships a changed built-in deck: notes are matched by their stable id, so an
 * edited note keeps its cards and their review history.
 */
import type { Card, Deck, DeckOrigin, Note } from '../model';
import { clozeOrdinals } from '../render/cloze';
import type { RecallDeck, RecallDeckNote } from './recall-deck';

export interface CardStub {
	id: string;
	noteId: string;
	deckId: string;
	ord: number;
	position: number;
}

/** Card ordinals a note produces: 0 for basic, 0 and 1 for reversed, n-1 for each cloze cn. */
export function noteOrdinals(note: Pick<Note, 'type' | 'fields'>): number[] {
	if (note.type === 'reversed') return [0, 1];
	if (note.type === 'cloze') return clozeOrdinals(note.fields.text ?? '').map((n) => n - 1);
	return [0];
}

export function cardId(noteId: string, ord: number): string {
	return `${noteId}/${ord}`;
}

/**
 * A deck note's fields in the store: `front`/`back` (+ `reversePrompt` on a reversed note) or
 * `text`, and `extra` on any type. A field left out of the deck is left out here, so a note
 * without the new fields compares equal to the one stored before they existed.
 */
export function noteFields(note: RecallDeckNote): Record<string, string> {
	const fields: Record<string, string> =
		note.type === 'cloze' ? { text: note.text } : { front: note.front, back: note.back };
	if (note.type === 'reversed' && note.reversePrompt) fields.reversePrompt = note.reversePrompt;
	if (note.extra) fields.extra = note.extra;
	return fields;
}

export function deckRecord(deck: RecallDeck, origin: DeckOrigin, now: number, hash?: string): Deck {
	return {
		id: deck.id,
		title: deck.title,
		description: deck.description,
		origin,
		version: deck.version,
		...(hash ? { contentHash: hash } : {}),
		presetId: 'default',
		...(deck.source ? { source: deck.source } : {}),
		createdAt: now
	};
}

export function noteRecords(deck: RecallDeck, now: number): Note[] {
	return deck.notes.map((n, position) => ({
		id: `${deck.id}/${n.id}`,
		deckId: deck.id,
		guid: `${deck.id}/${n.id}`,
		type: n.type,
		fields: noteFields(n),
		tags: n.tags ?? [],
		...(n.source ? { source: n.source } : {}),
		position,
		mtime: now
	}));
}

export function cardStubs(note: Note): CardStub[] {
	return noteOrdinals(note).map((ord) => ({
		id: cardId(note.id, ord),
		noteId: note.id,
		deckId: note.deckId,
		ord,
		// New cards are introduced note by note, siblings next to each other.
		position: note.position * 100 + ord
	}));
}

function sameContent(a: Note, b: Note): boolean {
	return (
		// Position is left out: removing one note shifts the others, which is not an edit.
		a.type === b.type &&
		a.source === b.source &&
		!a.retired &&
		JSON.stringify(a.fields) === JSON.stringify(b.fields) &&
		JSON.stringify(a.tags) === JSON.stringify(b.tags)
	);
}

export interface MergePlan {
	/** Notes to write: new ones and edited ones (edited keep their id, so their cards stay). */
	putNotes: Note[];
	/** Cards that did not exist yet (new notes, or a cloze number added to a note). */
	addCards: CardStub[];
	/** Cards to suspend because their note or cloze number left the deck; history is kept. */
	retireCardIds: string[];
	/** Cards of notes that came back to the deck: they return to their queue. */
	restoreCardIds: string[];
	counts: { added: number; updated: number; retired: number; unchanged: number };
}

/**
 * Plans the merge of an incoming version of a deck into the stored one. Pure: the storage layer
 * applies the plan in one transaction.
 */
export function planDeckMerge(
	existingNotes: Note[],
	existingCards: Pick<Card, 'id' | 'noteId' | 'queue'>[],
	incoming: Note[],
	now: number
): MergePlan {
	const oldById = new Map(existingNotes.map((n) => [n.id, n]));
	const cardsByNote = new Map<string, Pick<Card, 'id' | 'noteId' | 'queue'>[]>();
	for (const c of existingCards) {
		const list = cardsByNote.get(c.noteId) ?? [];
		list.push(c);
		cardsByNote.set(c.noteId, list);
	}
	const plan: MergePlan = {
		putNotes: [],
		addCards: [],
		retireCardIds: [],
		restoreCardIds: [],
		counts: { added: 0, updated: 0, retired: 0, unchanged: 0 }
	};
	const incomingIds = new Set(incoming.map((n) => n.id));
	for (const note of incoming) {
		const old = oldById.get(note.id);
		const have = new Map((cardsByNote.get(note.id) ?? []).map((c) => [c.id, c]));
		const stubs = cardStubs(note);
		const wanted = new Set(stubs.map((s) => s.id));
		if (!old) {
			plan.counts.added++;
			plan.putNotes.push(note);
		} else if (sameContent(old, note)) {
			plan.counts.unchanged++;
		} else {
			plan.counts.updated++;
			plan.putNotes.push({ ...note, mtime: now });
			if (old.retired) plan.restoreCardIds.push(...[...have.keys()].filter((id) => wanted.has(id)));
		}
		plan.addCards.push(...stubs.filter((s) => !have.has(s.id)));
		plan.retireCardIds.push(...[...have.keys()].filter((id) => !wanted.has(id)));
	}
	for (const old of existingNotes) {
		if (incomingIds.has(old.id) || old.retired) continue;
		plan.counts.retired++;
		plan.putNotes.push({ ...old, retired: true, mtime: now });
		plan.retireCardIds.push(...(cardsByNote.get(old.id) ?? []).map((c) => c.id));
	}
	return plan;
}
