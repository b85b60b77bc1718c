/// <reference lib="webworker" />
/**
 * The statistics worker: reads and sums the cards and the review log off the main thread.
 * Reading a year of reviews the first time means deserialising up to a million rows (seconds);
 * here that never blocks scrolling or taps. It opens its own connection to the same database,
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
	void Promise.all([
		loadCardStats(db, query).then((cards) => send({ type: 'cards', cards })),
		loadReviewStats(db, { ...query, onProgress }).then((reviews) =>
			send({ type: 'reviews', reviews })
		)
	])
		.catch((e: unknown) =>
			send({ type: 'error', message: e instanceof Error ? e.message : String(e) })
		)
		.finally(() => db.close());
});
