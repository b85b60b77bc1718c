/**
 * The user's decks: create (a subdeck is a deck titled `Parent::Child`, as in Anki), rename
 * (subdecks follow), choose a preset, delete (with subdecks, cards, notes left without cards and
 * their review history). Each is one transaction returning a change set, so it can be undone.
 */
import type { Card, Deck, Note } from '../core/model';
import {
	DeckError,
	isWithinDeckFolded,
	planDeckRename,
	sameDeckTitle,
	validDeckTitle
} from '../core/decks/deck-title';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { changeTables, emptyChanges, writeChanges, type ChangeSet } from './changes';
import type { RecallDb } from './db';
import { randomId, slug } from './ids';
import { ensureDefaultPreset } from './presets';

export { DeckError };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export async function listDecks(db: RecallDb): Promise<Deck[]> {
	const decks = await db.decks.toArray();
	return decks.sort((a, b) => collator.compare(a.title, b.title));
}

/** The deck a first note goes to when the user has made none: created on demand. */
export const DEFAULT_DECK_TITLE = 'My cards';

/**
 * The user's default deck: a deck of their own (not built-in) titled "My cards", made now when
 * there is none. Runs inside the caller's transaction over changeTables(db) and presets; the
 * deck it creates is returned as `created`, for the caller's change set.
 */
export async function defaultDeck(
	db: RecallDb,
	now: number
): Promise<{ deck: Deck; created: boolean }> {
	const decks = await db.decks.toArray();
	// "My cards", or "My cards 2" when a built-in deck had taken the name.
	const numbered = new RegExp(`^${DEFAULT_DECK_TITLE}(?: \\d+)?$`, 'i');
	const found = decks
		.filter((d) => d.origin !== 'builtin' && numbered.test(d.title.normalize('NFC')))
		.sort((a, b) => collator.compare(a.title, b.title))[0];
	if (found) return { deck: found, created: false };
	await ensureDefaultPreset(db);
	// A built-in deck could hold the name: the user's deck then gets a number.
	let title = DEFAULT_DECK_TITLE;
	for (let n = 2; decks.some((d) => sameDeckTitle(d.title, title)); n++) {
		title = `${DEFAULT_DECK_TITLE} ${n}`;
	}
	const deck: Deck = {
		// One id on every device (no random part): a note added on two devices before they sync
		// lands in one "My cards", not two.
		id: slug(title),
		title,
		description: '',
		origin: 'user',
		version: 0,
		presetId: DEFAULT_PRESET.id,
		createdAt: now
	};
	return { deck, created: true };
}

export async function createDeck(
	db: RecallDb,
	input: { title: string; presetId?: string; description?: string },
	now: number
): Promise<{ deck: Deck; changes: ChangeSet }> {
	return db.transaction('rw', [...changeTables(db), db.presets], async () => {
		await ensureDefaultPreset(db);
		const title = validDeckTitle(input.title, await db.decks.toArray());
		const presetId =
			input.presetId && (await db.presets.get(input.presetId)) ? input.presetId : DEFAULT_PRESET.id;
		const deck: Deck = {
			id: `${slug(title)}-${randomId(6)}`,
			title,
			description: input.description?.trim() ?? '',
			origin: 'user',
			version: 0,
			presetId,
			createdAt: now
		};
		const changes = await writeChanges(db, { ...emptyChanges(), decks: [{ after: deck }] });
		return { deck, changes };
	});
}

/** Renames a deck; its subdecks keep their place under it (`Old::x` → `New::x`). */
export async function renameDeck(db: RecallDb, id: string, input: string): Promise<ChangeSet> {
	return db.transaction('rw', changeTables(db), async () => {
		const decks = await db.decks.toArray();
		const changes = emptyChanges();
		changes.decks.push(...planDeckRename(decks, id, input));
		return writeChanges(db, changes);
	});
}

export async function setDeckPreset(
	db: RecallDb,
	id: string,
	presetId: string
): Promise<ChangeSet> {
	return db.transaction('rw', [...changeTables(db), db.presets], async () => {
		const deck = await db.decks.get(id);
		if (!deck) throw new DeckError('That deck no longer exists.');
		if (!(await db.presets.get(presetId))) throw new DeckError('That preset no longer exists.');
		return writeChanges(db, {
			...emptyChanges(),
			decks: [{ before: deck, after: { ...deck, presetId } }]
		});
	});
}

/** The decks a deletion of `id` removes: it and its subdecks. */
export async function decksWithin(db: RecallDb, id: string): Promise<Deck[]> {
	const decks = await db.decks.toArray();
	const deck = decks.find((d) => d.id === id);
	return deck ? decks.filter((d) => isWithinDeckFolded(d.title, deck.title)) : [];
}

/**
 * Deletes a deck and its subdecks with their cards and those cards' review history. Notes left
 * without cards go too; a note with cards elsewhere moves to the deck of one of them.
 */
export async function deleteDeck(db: RecallDb, id: string): Promise<ChangeSet> {
	return db.transaction('rw', changeTables(db), async () => {
		const gone = await decksWithin(db, id);
		if (gone.length === 0) throw new DeckError('That deck no longer exists.');
		const deckIds = gone.map((d) => d.id);
		const deleted = new Set(deckIds);
		const cards = await db.cards.where('deckId').anyOf(deckIds).toArray();
		const cardIds = new Set(cards.map((c) => c.id));
		const byDeck = await db.notes.where('deckId').anyOf(deckIds).toArray();
		const ofCards = await db.notes.bulkGet([...new Set(cards.map((c) => c.noteId))]);
		const notes = new Map<string, Note>();
		for (const n of [...byDeck, ...ofCards]) if (n) notes.set(n.id, n);
		const siblings: Card[] = await db.cards
			.where('noteId')
			.anyOf([...notes.keys()])
			.toArray();
		const logs = await db.revlog
			.where('cardId')
			.anyOf([...cardIds])
			.toArray();
		const changes: ChangeSet = {
			decks: gone.map((before) => ({ before })),
			notes: [],
			cards: cards.map((before) => ({ before })),
			revlog: logs.map((before) => ({ before }))
		};
		for (const note of notes.values()) {
			const left = siblings.filter((c) => c.noteId === note.id && !cardIds.has(c.id));
			if (left.length === 0) changes.notes.push({ before: note });
			else if (deleted.has(note.deckId)) {
				changes.notes.push({ before: note, after: { ...note, deckId: left[0]!.deckId } });
			}
		}
		return writeChanges(db, changes);
	});
}

/** Counts for the confirmation: how much a deletion removes. */
export async function deletionSummary(
	db: RecallDb,
	id: string
): Promise<{ decks: number; cards: number; reviews: number }> {
	return db.transaction('r', [db.decks, db.cards, db.revlog], async () => {
		const gone = await decksWithin(db, id);
		const cards = await db.cards
			.where('deckId')
			.anyOf(gone.map((d) => d.id))
			.primaryKeys();
		const reviews = await db.revlog.where('cardId').anyOf(cards).count();
		return { decks: gone.length, cards: cards.length, reviews };
	});
}
