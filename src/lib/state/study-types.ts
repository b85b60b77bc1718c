/** The study session's public types, and the pure bookkeeping it does with them. */
import { CardState, type Card, type Grade } from '$lib/core/model';

/**
 * `missing`: the deck is not on this device; `invalid`: the search does not parse (the message
 * says why); `empty`: the search found no card that can be studied.
 */
export type SessionStatus =
	'loading' | 'studying' | 'finished' | 'missing' | 'invalid' | 'empty' | 'error';

/** Where a session's cards come from: a deck id, or a search (at most `limit` cards found). */
export type StudySource = string | { deck: string } | { search: string; limit?: number };

/** Cards a search found (up to its limit) and how many of them were answered so far. */
export interface FoundProgress {
	total: number;
	answered: number;
}

export interface SessionSummary {
	cards: number;
	again: number;
	timeMs: number;
}

export interface SessionCounts {
	new: number;
	learning: number;
	review: number;
}

/** Which of the counts a card is in: the counts bar marks it. */
export function countOf(card: Card): keyof SessionCounts {
	if (card.state === CardState.New) return 'new';
	return card.state === CardState.Review ? 'review' : 'learning';
}

/** The summary with one answer added (+1) or undone (−1). */
export function tallied(
	summary: SessionSummary,
	change: 1 | -1,
	rating: Grade,
	durationMs: number
): SessionSummary {
	return {
		cards: summary.cards + change,
		again: summary.again + (rating === 1 ? change : 0),
		timeMs: summary.timeMs + change * durationMs
	};
}

/** The deck id (or '' for a search) and the search of a source. */
export function splitSource(source: StudySource): {
	deckId: string;
	search: string | null;
	limit?: number;
} {
	if (typeof source === 'string') return { deckId: source, search: null };
	if ('deck' in source) return { deckId: source.deck, search: null };
	return { deckId: '', search: source.search, limit: source.limit };
}
