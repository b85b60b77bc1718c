/**
 * The page's side of the statistics worker: one worker per request, the review and card parts
 * handed over as each arrives, progress passed on, and cancel = terminate (the worker only reads;
 * its one possible write, recounting tallies that disagree with the log, is a transaction per
 * week that is then aborted, leaving them as they were).
 */
import type { CardStats, ReviewStats } from '../core/stats';
import type { RecallDb } from '../storage/db';
import { loadCardStats, loadReviewStats, type StatsQuery } from '../storage/stats-repo';
import type { StatsReply, StatsRequest } from './stats-protocol';

export interface Receivers {
	cards: (stats: CardStats) => void;
	reviews: (stats: ReviewStats) => void;
}

/** Computes the statistics of `query`, handing each part over as it is ready. */
export type StatsRunner = (
	db: RecallDb,
	query: StatsQuery,
	receive: Receivers
) => { done: Promise<void>; cancel: () => void };

/** On this thread (where there are no workers). */
export const runInThread: StatsRunner = (db, query, receive) => ({
	done: loadReviewStats(db, query).then(async (reviews) => {
		receive.reviews(reviews);
		receive.cards(await loadCardStats(db, query));
	}),
	cancel: () => {}
});

export const runInWorker: StatsRunner = (db, query, receive) => {
	const worker = new Worker(new URL('./stats.worker.ts', import.meta.url), { type: 'module' });
	let settle: ((error?: Error) => void) | undefined;
	const done = new Promise<void>((resolve, reject) => {
		settle = (error) => {
			settle = undefined;
			worker.terminate();
			if (error) reject(error);
			else resolve();
		};
	});
	let parts = 0;
	worker.onmessage = ({ data }: MessageEvent<StatsReply>) => {
		if (data.type === 'progress') return query.onProgress?.(data.share);
		if (data.type === 'error') return settle?.(new Error(data.message));
		if (data.type === 'cards') receive.cards(data.cards);
		else receive.reviews(data.reviews);
		if (++parts === 2) settle?.();
	};
	worker.onerror = (event) => {
		event.preventDefault();
		settle?.(new Error(event.message || 'the statistics worker stopped'));
	};
	const { deckId, now, timeZone } = query;
	worker.postMessage({ dbName: db.name, deckId, now, timeZone } satisfies StatsRequest);
	return { done, cancel: () => settle?.() };
};
