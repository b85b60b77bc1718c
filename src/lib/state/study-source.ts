/**
 * Where a study session's cards come from, read into a queue in memory: a deck with its subdecks
 * (the day's candidates, core/scheduling/session-queue) or a search (the cards it found, kept as
 * an Anki filtered deck keeps them, core/scheduling/found-queue).
 */
import type { Preset } from '$lib/core/model';
import { nextStudyDayStart, studyDayStart } from '$lib/core/scheduling/day';
import type { FoundQueue } from '$lib/core/scheduling/found-queue';
import { SessionQueue } from '$lib/core/scheduling/session-queue';
import type { SearchNode } from '$lib/core/search';
import type { RecallDb } from '$lib/storage/db';
import { getPreset } from '$lib/storage/presets';
import { loadTreeCandidates } from '$lib/storage/review-repo';
import { openDeck, readFoundCards } from '$lib/storage/study-repo';
import type { StudyQueue } from './study-read-ahead';

/** A search session's search, and the cards it found (read once, at the start). */
export interface SearchSource {
	query: string;
	/** At most this many cards (undefined: found-queue's FILTERED_LIMIT). */
	limit?: number;
	node?: SearchNode;
	found?: string[];
	/** When the session began: review-log rows from then on are this session's turns. */
	since: number;
}

/** Opens what a session studies at `now`: the deck `deckId`, or the search when there is one. */
export function openSource(db: RecallDb, deckId: string, search: SearchSource | null, now: number) {
	return search ? openSearch(db, search, now) : openDeck(db, deckId, now);
}

/**
 * Opens a search for study at `now`: parses it (a syntax error is the `problem`, in words) and
 * reads the default preset, which decides the study day, the limits and the order.
 */
export async function openSearch(
	db: RecallDb,
	search: SearchSource,
	now: number
): Promise<{ deck: null; preset: Preset } | { problem: string }> {
	// The search code loads only for a search: deck study does not carry it.
	const { parseSearch, SearchSyntaxError } = await import('$lib/core/search');
	try {
		search.node = parseSearch(search.query);
	} catch (e) {
		if (!(e instanceof SearchSyntaxError)) throw e;
		return { problem: e.message };
	}
	search.found = undefined;
	search.since = now;
	return { deck: null, preset: await getPreset(db, 'default') };
}

/** The queue of deck `deckId` (with its subdecks) or of `search`, as stored at `now`. */
export async function readQueue(
	db: RecallDb,
	source: { deckId: string; search: SearchSource | null },
	preset: Preset,
	now: number,
	timeZone: string | undefined
): Promise<StudyQueue> {
	const end = nextStudyDayStart(now, preset.dayStartHour, timeZone);
	if (source.search) return readFound(db, source.search, now, end, timeZone);
	const start = studyDayStart(now, preset.dayStartHour, timeZone);
	const candidates = await loadTreeCandidates(db, source.deckId, { start, end });
	return new SessionQueue(candidates, preset, end, timeZone);
}

/**
 * A search's queue: the search runs once (the cards it found are kept), then the found cards
 * are read as stored now, with the review-log rows written since the session began.
 */
async function readFound(
	db: RecallDb,
	search: SearchSource,
	now: number,
	dayEnd: number,
	timeZone: string | undefined
): Promise<FoundQueue> {
	if (!search.found) {
		// The browser's streamed search: coming from "Study these", its copy of the collection is
		// in memory already, so a search over every card does not read 100,000 again.
		const { streamSearch } = await import('$lib/storage/browse-repo');
		const { pickFound } = await import('$lib/core/scheduling/found-queue');
		const { rows } = await streamSearch(db, search.node!, { now, timeZone: timeZone ?? 'UTC' });
		search.found = pickFound(rows, search.limit);
	}
	const { cards, reviews } = await readFoundCards(db, search.found, search.since);
	const { FoundQueue } = await import('$lib/core/scheduling/found-queue');
	return new FoundQueue(cards, reviews, dayEnd);
}
