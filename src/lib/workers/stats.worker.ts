/// <reference lib="webworker" />
/**
 * The statistics worker: reads and sums the review tallies and the cards off the main thread.
 * Both parts are read from tallies kept at write time (a few hundred rows each, plus today's
 * answers) at the same time, and each is sent as soon as it is ready. It opens its own connection to the same database,
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
	// Both at once: the card part is a few hundred tally rows now (storage/card-tallies.ts), no
	// longer pages of every card that would hold up the small review reads.
	void Promise.all([
		loadReviewStats(db, { ...query, onProgress }).then((reviews) =>
			send({ type: 'reviews', reviews })
		),
		loadCardStats(db, query).then((cards) => send({ type: 'cards', cards }))
	])
		.catch((e: unknown) =>
			send({ type: 'error', message: e instanceof Error ? e.message : String(e) })
		)
		.finally(() => db.close());
});
