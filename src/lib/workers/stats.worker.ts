/// <reference lib="webworker" />
/**
 * The statistics worker: reads and sums the review tallies and the cards off the main thread.
 * The review part (a few hundred tally rows, today's answers) comes first and is sent at once;
 * then the cards, read in pages (100,000 cards take a few hundred milliseconds to read and sum),
 * which never block scrolling or taps here. It opens its own connection to the same database,
 * answers one request and closes it, so the page can delete or upgrade the database afterwards.
 */
import { openDb } from '../storage/db';
import { loadCardStats, loadReviewStats } from '../storage/stats-repo';
import type { StatsReply, StatsRequest } from './stats-protocol';

declare const self: DedicatedWorkerGlobalScope;

const send = (reply: StatsReply) => self.postMessage(reply);

self.addEventListener('message', (event: MessageEvent<StatsRequest>) => {
	const { dbName, ...query } = event.data;
	const db = openDb(dbName);
	const onProgress = (share: number) => send({ type: 'progress', share });
	// One after the other: the card pages would otherwise hold up the small review reads.
	void loadReviewStats(db, { ...query, onProgress })
		.then(async (reviews) => {
			send({ type: 'reviews', reviews });
			send({ type: 'cards', cards: await loadCardStats(db, query) });
		})
		.catch((e: unknown) =>
			send({ type: 'error', message: e instanceof Error ? e.message : String(e) })
		)
		.finally(() => db.close());
});
