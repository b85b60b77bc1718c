import { CardState, type Card, type Deck, type Note, type NoteModel } from '../../model';
import { emptyBundle, isPlausibleTime, type ImportBundle } from '../bundle';
import type { RawCard, RawCollection, RawDeck, RawNote, RawNotetype } from './collection';
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
	// Ids are unique in a sound collection; in a damaged one the first row of an id wins, so the
	// bundle never holds two notes, cards or note types under one id.
	const notetypes = new Map<number, RawNotetype>();
	for (const nt of raw.notetypes) if (!notetypes.has(nt.id)) notetypes.set(nt.id, nt);
	const rawDecks = new Map(raw.decks.map((deck) => [deck.id, deck]));
	const { byNote: cardsByNote, repeated: repeatedCards } = groupCards(raw.cards);
	const homeDeck = (card: RawCard) => (card.odid !== 0 ? card.odid : card.did);

	let missingType = 0;
	let cardless = 0;
	let extraFields = 0;
	let repeatedNotes = 0;
	const seenNotes = new Set<number>();
	const usedDecks = new Set<number>();
	const usedTypes = new Set<number>();
	const kept: { note: RawNote; cards: RawCard[]; newDue: number }[] = [];
	for (const note of raw.notes) {
		const cards = cardsByNote.get(note.id) ?? [];
		if (seenNotes.has(note.id)) repeatedNotes++;
		else if (!notetypes.has(note.mid)) missingType++;
		else if (cards.length === 0) cardless++;
		else {
			// New cards are introduced in Anki's order: by their `due` position, then by note age.
			// A loop, not Math.min(...cards): a note with 100,000 cards would overflow the stack.
			let newDue = Infinity;
			for (const c of cards) if (c.type === 0 && c.due < newDue) newDue = c.due;
			kept.push({ note, cards, newDue });
			usedTypes.add(note.mid);
			for (const card of cards) usedDecks.add(homeDeck(card));
		}
		seenNotes.add(note.id);
	}
	kept.sort((a, b) => a.newDue - b.newDue || a.note.id - b.note.id);

	const { entries, orphans, undated, lastReview } = convertRevlog(
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
			// A damaged modification time reads as "oldest": it never wins over a stored note.
			mtime: isPlausibleTime(note.mod * 1000) ? note.mod * 1000 : 0
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

	bundle.models = [...notetypes.values()]
		.filter((nt) => usedTypes.has(nt.id))
		.map((nt): NoteModel => ({
			id: ankiModelId(nt.id),
			name: nt.name,
			kind: nt.kind,
			fields: nt.fields,
			templates: nt.templates,
			css: nt.css
		}));
	// A collection package is a whole collection: its empty decks come along too (not the Default
	// deck, filtered decks, or a parent deck, which Recall keeps in its children's titles).
	if (/\.colpkg$/i.test(place.file)) {
		const names = raw.decks.map((d) => d.name);
		for (const deck of raw.decks) {
			const parent = names.some((n) => n.startsWith(`${deck.name}::`));
			if (deck.id !== 1 && !deck.filtered && !parent && deck.name) usedDecks.add(deck.id);
		}
	}
	bundle.decks = [...usedDecks].map((did) => convertDeck(did, rawDecks.get(did), place));

	const warn = (count: number, text: string) => {
		if (count > 0) bundle.warnings.push(`${count} ${text}`);
	};
	warn(missingType, 'notes use a note type missing from the collection and were skipped.');
	warn(cardless, 'notes have no cards and were skipped.');
	warn(extraFields, 'notes had more fields than their note type; the extra fields were dropped.');
	warn(orphans, 'review log entries belong to cards not in the package and were skipped.');
	warn(repeatedNotes, 'notes repeat the id of an earlier note and were skipped.');
	warn(
		repeatedCards,
		'cards repeat the card number of another card of their note and were skipped.'
	);
	warn(undated, 'review log entries have no valid date and were skipped.');
	return bundle;
}

/**
 * Cards by note, in card-number order. A note's cards are one per number (Anki enforces it with
 * an index); a damaged file may repeat one, and a Recall card id is `<note>/<number>`, so only
 * the first (lowest id) is kept.
 */
function groupCards(cards: RawCard[]): { byNote: Map<number, RawCard[]>; repeated: number } {
	const byNote = new Map<number, RawCard[]>();
	const seen = new Set<string>();
	let repeated = 0;
	for (const card of cards) {
		const key = `${card.nid}/${card.ord}`;
		if (seen.has(key)) {
			repeated++;
			continue;
		}
		seen.add(key);
		const list = byNote.get(card.nid);
		if (list) list.push(card);
		else byNote.set(card.nid, [card]);
	}
	for (const list of byNote.values()) list.sort((a, b) => a.ord - b.ord);
	return { byNote, repeated };
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
