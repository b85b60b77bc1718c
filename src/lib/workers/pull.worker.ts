/// <reference lib="webworker" />
/**
 * The pull worker: parses each pulled page and writes it to IndexedDB (storage/sync-pull.ts),
 * then replays the cards a long pull touched (replayDeferred), off the page's thread: a new
 * device downloading a large collection never holds up scrolling or taps, and a grade waits at
 * most for one chunk's transaction. The page keeps the network, the account and the status
 * line; a worker lives for one sync run and is asked one thing at a time.
 */
import type { PullReply } from '../core/sync/protocol';
import { serverRestored } from '../core/sync/pull';
import { openDb, type RecallDb } from '../storage/db';
import { isQuotaError } from '../storage/errors';
import { writePulledPage } from '../storage/sync-pull';
import { DEFERRED_SLICE, replayDeferred } from '../storage/sync-repo';
import type { PullRequest, PullWorkerReply } from './pull-protocol';

declare const self: DedicatedWorkerGlobalScope;

const send = (reply: PullWorkerReply) => self.postMessage(reply);

let db: RecallDb | undefined;
/** The cards this run has marked for the replay at the end. */
const marked = new Set<string>();
/** The cards this run has found on the device. */
const present = new Set<string>();

async function answer(request: PullRequest): Promise<void> {
	db ??= openDb(request.dbName);
	if (request.type === 'replay') {
		// Off the page, a replay slice is written in one request (see replayCards).
		const count = await replayDeferred(
			db,
			(done, total) => send({ type: 'replaying', done, total }),
			DEFERRED_SLICE,
			DEFERRED_SLICE
		);
		send({ type: 'replayed', count });
		return;
	}
	const reply = JSON.parse(request.text) as PullReply;
	if (serverRestored(reply, request.account)) {
		send({ type: 'restart', epoch: reply.epoch, serverTime: reply.serverTime });
		return;
	}
	const { paged, hlc } = await writePulledPage(db, reply, {
		paged: request.paged,
		marked,
		present,
		onChunk: (cursor, head) => send({ type: 'chunk', cursor, head })
	});
	send({ type: 'written', paged, done: reply.done, serverTime: reply.serverTime, hlc });
}

self.addEventListener('message', (event: MessageEvent<PullRequest>) => {
	answer(event.data).catch((e: unknown) =>
		send({
			type: 'error',
			message: e instanceof Error ? e.message : String(e),
			storageFull: isQuotaError(e)
		})
	);
});
