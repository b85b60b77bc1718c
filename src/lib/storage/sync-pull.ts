/**
 * One pulled page written to the store, in chunks of `PULL_CHUNK` records, each chunk with its
 * cursor in one transaction (applyPulledPage). The same code runs on the page (where there are
 * no workers) and in the pull worker (workers/pull.worker.ts), which is where the app runs it:
 * Chromium serializes every row on the thread that adds it, so there the page's thread never
 * carries a pull's writes.
 */
import { compareHlc } from '../core/sync/hlc';
import { pullChunks } from '../core/sync/pull';
import type { PullReply } from '../core/sync/protocol';
import type { RecallDb } from './db';
import { applyPulledPage } from './sync-repo';

/**
 * Pulled records written per transaction. A grade waits for the chunk being written, and on the
 * page's thread a chunk is a block of some 13 ms at 250 (Chromium serializes each row, some
 * 50 µs a review-log row here); bigger transactions amortize their commits (250 to 2,000 a
 * chunk: 8.5 to 6.4 s for a pull of 20,000 reviews, docs/PERFORMANCE.md).
 */
export const PULL_CHUNK = 250;

export interface WritePageOptions {
	/** Whether this run is a pull of more than one page (a new device catching up). */
	paged: boolean;
	/** The cards this run has marked for the replay at the end (each mark written once). */
	marked: Set<string>;
	/** The cards this run has found on this device (each looked up once; applyPulledPage). */
	present: Set<string>;
	/** After each chunk: its cursor and the server's head. */
	onChunk?: (cursor: number, head: number) => void;
	/** Between two chunks (a turn for the page, where it runs on the page). */
	pause?: () => Promise<void>;
}

/**
 * Writes `reply`'s records. Returns whether the run is now a paged one (a page that is not the
 * last makes it one: each card is then replayed once, at the end, by replayDeferred) and the
 * latest clock stamp among the records (for the page's clock, when written elsewhere).
 */
export async function writePulledPage(
	db: RecallDb,
	reply: PullReply,
	{ paged, marked, present, onChunk, pause }: WritePageOptions
): Promise<{ paged: boolean; hlc: string | null }> {
	const nowPaged = paged || !reply.done;
	let hlc: string | null = null;
	for (const r of reply.records) {
		if (r.kind === 'field' && (hlc === null || compareHlc(r.hlc, hlc) > 0)) hlc = r.hlc;
	}
	for (const chunk of pullChunks(reply.records, reply.cursor, PULL_CHUNK)) {
		await applyPulledPage(db, chunk.records, chunk.cursor, {
			deferReplay: nowPaged && marked,
			present: nowPaged ? present : undefined
		});
		if (nowPaged) onChunk?.(chunk.cursor, reply.head);
		await pause?.();
	}
	return { paged: nowPaged, hlc };
}
