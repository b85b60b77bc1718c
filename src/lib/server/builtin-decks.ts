/**
 * The built-in decks, compiled at build time from `decks/*.md` with the same parser the importer
 * uses. A malformed deck file throws DeckFormatError (file, line, reason) and fails the build.
 */
import { parseMarkdownDeck } from '$lib/core/decks/markdown-deck';
import { deckIndexEntry, type DeckIndexEntry, type RecallDeck } from '$lib/core/decks/recall-deck';

const files = import.meta.glob('/decks/*.md', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

function compile(): RecallDeck[] {
	const decks = Object.entries(files)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([path, text]) => {
			const file = path.replace(/^\//, '');
			const deck = parseMarkdownDeck(text, file);
			const expected = file.replace(/^decks\//, '').replace(/\.md$/, '');
			if (deck.id !== expected) {
				throw new Error(`${file}: the deck id "${deck.id}" must match the file name "${expected}"`);
			}
			return deck;
		});
	return decks;
}

let cache: RecallDeck[] | undefined;

export function builtinDecks(): RecallDeck[] {
	cache ??= compile();
	return cache;
}

export function builtinDeckIndex(): { decks: DeckIndexEntry[] } {
	return { decks: builtinDecks().map(deckIndexEntry) };
}
