import type { DeckIndexEntry } from '$lib/core/decks/recall-deck';
import { fetchBuiltinIndex } from '$lib/state/builtin-index';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { builtin: await fetchBuiltinIndex(fetch) };
	} catch {
		return { builtin: [] as DeckIndexEntry[] };
	}
};
