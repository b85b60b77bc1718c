/**
 * The one place the prerendered deck index (`/decks/index.json`) and the built-in decks
 * (`/decks/<id>.json`) are fetched: by the home page's load (for the first paint) and by the
 * collection (first run, and merging a changed built-in deck). The service worker caches both.
 */
import {
	validateRecallDeck,
	type DeckIndexEntry,
	type RecallDeck
} from '$lib/core/decks/recall-deck';

export const BUILTIN_INDEX_URL = '/decks/index.json';

/** The built-in decks' index entries; throws when it cannot be fetched or read. */
export async function fetchBuiltinIndex(fetchFn: typeof fetch): Promise<DeckIndexEntry[]> {
	const res = await fetchFn(BUILTIN_INDEX_URL);
	if (!res.ok) throw new Error(`The built-in deck list could not be loaded (HTTP ${res.status}).`);
	return ((await res.json()) as { decks: DeckIndexEntry[] }).decks;
}

/** Every built-in deck, validated; throws when one cannot be fetched or is not a valid deck. */
export async function fetchBuiltinDecks(fetchFn: typeof fetch): Promise<RecallDeck[]> {
	const index = await fetchBuiltinIndex(fetchFn);
	return Promise.all(
		index.map(async (entry) => {
			const res = await fetchFn(`/decks/${entry.id}.json`);
			if (!res.ok) throw new Error(`The built-in deck "${entry.title}" could not be loaded.`);
			return validateRecallDeck(await res.json(), `${entry.id}.json`);
		})
	);
}
