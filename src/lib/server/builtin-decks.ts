/**
 * The built-in decks, compiled at build time from `decks/*.md` with the same parser the importer
 * uses. A malformed deck file throws DeckFormatError (file, line, reason) and fails the build.
 */
import { parseMarkdownDeck } from '$lib/core/decks/markdown-deck';
import { deckIndexEntry, type DeckIndexEntry, type RecallDeck } from '$lib/core/decks/recall-deck';
import { noteRecords } from '$lib/core/decks/records';
import { prepareNoteHtml } from '$lib/core/render/prepare';
import type { NoteHtml } from '$lib/core/render/stored';

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

/**
 * A built-in deck's cards rendered once, here at build time: note id → stored HTML (notes whose
 * cards are all outside the safe subset are left out and rendered when shown). Undefined for an
 * unknown deck.
 */
export function builtinDeckHtml(id: string): Record<string, NoteHtml> | undefined {
	const deck = builtinDecks().find((d) => d.id === id);
	if (!deck) return undefined;
	const out: Record<string, NoteHtml> = {};
	for (const note of noteRecords(deck, 0)) {
		const html = prepareNoteHtml(note);
		if (html) out[note.id] = html;
	}
	return out;
}
