import type { DeckIndexEntry } from '$lib/core/decks/recall-deck';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		const res = await fetch('/decks/index.json');
		const index = (await res.json()) as { decks: DeckIndexEntry[] };
		return { builtin: index.decks };
	} catch {
		return { builtin: [] as DeckIndexEntry[] };
	}
};
