import { CardState, type Card, type Deck, type Note, type NoteModel } from '../../model';
import { emptyBundle, type ImportBundle } from '../bundle';
import type { RawCard, RawCollection, RawDeck, RawNote } from './collection';
import { convertCard } from './map-cards';
import { convertRevlog } from './map-revlog';

export const ankiNoteId = (nid: number) => `anki-${nid}`;
export const ankiDeckId = (did: number) => `anki-${did}`;
export const ankiModelId = (mid: number) => `anki-${mid}`;

/**
 * Maps a read collection onto Recall's model. Only what the notes use comes along: the note
 * types of imported notes and the decks their cards sit in (a card in a filtered deck goes home
 * to its original deck, as it would when the filtered deck is emptied).
 */
export function convertCollection(
	raw: RawCollection,
	place: { file: string; now: number }
): ImportBundle {
	const bundle = emptyBundle();
	bundle.warnings.push(...raw.warnings);
	const notetypes = new Map(raw.notetypes.map((nt) => [nt.id, nt]));
	const rawDecks = new Map(raw.decks.map((deck) => [deck.id, deck]));
	const cardsByNote = groupCards(raw.cards);
	const homeDeck = (card: RawCard) => (card.odid !== 0 ? card.odid : card.did);

	let missingType = 0;
	let cardless = 0;
	let extraFields = 0;
	const usedDecks = new Set<number>();
	const usedTypes = new Set<number>();
	const kept: { note: RawNote; cards: RawCard[]; newDue: number }[] = [];
	for (const note of raw.notes) {
		const cards = cardsByNote.get(note.id) ?? [];
		if (!notetypes.has(note.mid)) missingType++;
		else if (cards.length === 0) cardless++;
		else {
			// New cards are introduced in Anki's order: by their `due` position, then by note age.
			const newDue = Math.min(...cards.map((c) => (c.type === 0 ? c.due : Infinity)));
			kept.push({ note, cards, newDue });
			usedTypes.add(note.mid);
			for (const card of cards) usedDecks.add(homeDeck(card));
		}
	}
	kept.sort((a, b) => a.newDue - b.newDue || a.note.id - b.note.id);

	const { entries, orphans, lastReview } = convertRevlog(
		raw.revlog,
		new Map(
			kept.flatMap(({ note, cards }) =>
				cards.map((card) => [
					card.id,
					{ id: `${ankiNoteId(note.id)}/${card.ord}`, deckId: ankiDeckId(homeDeck(card)) }
				])
			)
		)
	);
	bundle.revlog = entries;

	kept.forEach(({ note, cards }, position) => {
		const type = notetypes.get(note.mid);
		if (!type) return;
		const noteId = ankiNoteId(note.id);
		const values = note.flds.split('\x1f');
		if (values.length > type.fields.length) extraFields++;
		const first = cards[0] as RawCard;
		bundle.notes.push({
			id: noteId,
			deckId: ankiDeckId(homeDeck(first)),
			guid: note.guid || noteId,
			type: 'anki',
			fields: Object.fromEntries(type.fields.map((name, i) => [name, values[i] ?? ''])),
			modelId: ankiModelId(note.mid),
			tags: note.tags.split(/\s+/).filter((tag) => tag !== ''),
			position,
			mtime: note.mod * 1000
		} satisfies Note);
		for (const rawCard of cards) {
			const { card, needsReplay } = convertCard(rawCard, {
				noteId,
				deckId: ankiDeckId(homeDeck(rawCard)),
				crt: raw.crt,
				now: place.now,
				lastReview: lastReview.get(rawCard.id)
			});
			if (card.state === CardState.New) card.due = position;
			bundle.cards.push(card satisfies Card);
			if (needsReplay) bundle.cardsToReplay.push(card.id);
		}
	});

	bundle.models = raw.notetypes
		.filter((nt) => usedTypes.has(nt.id))
		.map((nt): NoteModel => ({
			id: ankiModelId(nt.id),
			name: nt.name,
			kind: nt.kind,
			fields: nt.fields,
			templates: nt.templates,
			css: nt.css
		}));
	bundle.decks = [...usedDecks].map((did) => convertDeck(did, rawDecks.get(did), place));

	const warn = (count: number, text: string) => {
		if (count > 0) bundle.warnings.push(`${count} ${text}`);
	};
	warn(missingType, 'notes use a note type missing from the collection and were skipped.');
	warn(cardless, 'notes have no cards and were skipped.');
	warn(extraFields, 'notes had more fields than their note type; the extra fields were dropped.');
	warn(orphans, 'review log entries belong to cards not in the package and were skipped.');
	return bundle;
}

function groupCards(cards: RawCard[]): Map<number, RawCard[]> {
	const byNote = new Map<number, RawCard[]>();
	for (const card of cards) {
		const list = byNote.get(card.nid);
		if (list) list.push(card);
		else byNote.set(card.nid, [card]);
	}
	for (const list of byNote.values()) list.sort((a, b) => a.ord - b.ord);
	return byNote;
}

function convertDeck(
	did: number,
	raw: RawDeck | undefined,
	place: { file: string; now: number }
): Deck {
	// Anki deck ids are creation times in ms, except the Default deck's 1.
	const createdAt = did > 1e12 && did <= place.now ? did : place.now;
	const fallback = `${place.file.replace(/\.[^.]+$/, '')} (deck ${did})`;
	return {
		id: ankiDeckId(did),
		title: raw?.name || fallback,
		description: raw?.description ?? '',
		origin: 'import',
		version: 0,
		presetId: 'default',
		createdAt
	};
}
