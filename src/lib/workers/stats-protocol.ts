/** Messages between the statistics page and its worker (structured-clone friendly plain data). */
import type { CardStats, ReviewStats } from '../core/stats';

export interface StatsRequest {
	/** The worker opens its own connection to this database. */
	dbName: string;
	deckId: string | null;
	now: number;
	timeZone: string;
}

export type StatsReply =
	| { type: 'cards'; cards: CardStats }
	| { type: 'reviews'; reviews: ReviewStats }
	| { type: 'progress'; share: number }
	| { type: 'error'; message: string };
