/**
 * Deck titles: a subdeck is a deck titled `Parent::Child`, as in Anki. Every split and join of a
 * title on `::` goes through here, and so does the rule for a title the user may store.
 */

/** Between a parent deck's title and its subdeck's name. */
export const DECK_SEPARATOR = '::';

/** The levels of a title: `A::B::C` → `['A', 'B', 'C']`. */
export function deckPath(title: string): string[] {
	return title.split(DECK_SEPARATOR);
}

/** The title of a path of levels: `['A', 'B']` → `A::B`. */
export function joinDeckPath(parts: readonly string[]): string {
	return parts.join(DECK_SEPARATOR);
}

/** The last level of a title, shown indented under its parent: `A::B` → `B`. */
export function deckName(title: string): string {
	return deckPath(title).at(-1) ?? title;
}

/** 0 for a top-level deck, 1 for `Parent::Child`, … */
export function deckDepth(title: string): number {
	return deckPath(title).length - 1;
}

/** The titles of a deck's parents, outermost first: `A::B::C` → `['A', 'A::B']`. */
export function deckAncestors(title: string): string[] {
	const parts = deckPath(title);
	return parts.slice(1).map((_, i) => joinDeckPath(parts.slice(0, i + 1)));
}

/** The deck itself or one of its subdecks, exactly as stored (case counts). */
export function isWithinDeck(title: string, root: string): boolean {
	return title === root || title.startsWith(root + DECK_SEPARATOR);
}

/** Deck names compare as `deck:` searches them: ignoring case, not accents. */
export function foldDeckTitle(title: string): string {
	return title.normalize('NFC').toLowerCase();
}

export function sameDeckTitle(a: string, b: string): boolean {
	return foldDeckTitle(a) === foldDeckTitle(b);
}

/** The deck or one of its subdecks, compared as {@link sameDeckTitle} compares. */
export function isWithinDeckFolded(title: string, root: string): boolean {
	return (
		sameDeckTitle(title, root) ||
		foldDeckTitle(title).startsWith(foldDeckTitle(root) + DECK_SEPARATOR)
	);
}

/** A deck title the user can correct (the message says how). */
export class DeckError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DeckError';
	}
}

export const MAX_DECK_TITLE = 200;

/**
 * The title as stored: each level trimmed (inner runs of spaces made one), NFC. Throws DeckError
 * when it is empty, has an empty level, is too long, or names another deck of `decks` (compared
 * ignoring case; `exceptId` is the deck being renamed).
 */
export function validDeckTitle(
	input: string,
	decks: readonly { id: string; title: string }[],
	exceptId?: string
): string {
	const parts = deckPath(input.normalize('NFC')).map((p) => p.trim().replace(/\s+/g, ' '));
	if (parts.every((p) => p === '')) throw new DeckError('Give the deck a name.');
	if (parts.some((p) => p === '')) {
		throw new DeckError(`A deck name cannot have an empty part around "${DECK_SEPARATOR}".`);
	}
	const title = joinDeckPath(parts);
	if (title.length > MAX_DECK_TITLE) {
		throw new DeckError(`A deck name can have at most ${MAX_DECK_TITLE} characters.`);
	}
	const taken = decks.find((d) => d.id !== exceptId && sameDeckTitle(d.title, title));
	if (taken) throw new DeckError(`There is already a deck named "${taken.title}".`);
	return title;
}

/**
 * Renaming deck `id` to `input`: the deck and each of its subdecks with its new title
 * (`Old::x` → `New::x`, so subdecks keep their place under it). Throws DeckError when the deck
 * is gone, the title is not valid, or a subdeck's new title names a deck outside the renamed tree.
 */
export function planDeckRename<D extends { id: string; title: string }>(
	decks: readonly D[],
	id: string,
	input: string
): { before: D; after: D }[] {
	const deck = decks.find((d) => d.id === id);
	if (!deck) throw new DeckError('That deck no longer exists.');
	const title = validDeckTitle(input, decks, id);
	const moved: { before: D; after: D }[] = [];
	for (const d of decks) {
		if (!isWithinDeckFolded(d.title, deck.title)) continue;
		const renamed = title + d.title.slice(deck.title.length);
		if (
			d.id !== id &&
			decks.some((o) => !isWithinDeckFolded(o.title, deck.title) && sameDeckTitle(o.title, renamed))
		) {
			throw new DeckError(`Renaming would give two decks the name "${renamed}".`);
		}
		moved.push({ before: d, after: { ...d, title: renamed } });
	}
	return moved;
}
