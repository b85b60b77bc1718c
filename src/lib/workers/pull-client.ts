/**
 * The page's side of the pull: `PullWriter` writes pulled pages and replays the touched cards,
 * in the pull worker where there are workers (the app), on this thread otherwise. Both run the
 * same storage code (storage/sync-pull.ts, replayDeferred).
 */
import type { PullReply } from '../core/sync/protocol';
import { serverRestored } from '../core/sync/pull';
import type { RecallDb } from '../storage/db';
import { writePulledPage } from '../storage/sync-pull';
import { replayDeferred } from '../storage/sync-repo';
import type { PullRequest, PullWorkerReply } from './pull-protocol';

export type PageOutcome =
	| { kind: 'restart'; epoch: string; serverTime: number }
	/** Not written: the first page of a pull of many, handed to the worker (`handOff`). */
	| { kind: 'many' }
	| { kind: 'written'; paged: boolean; done: boolean; serverTime: number; hlc: string | null };

export interface PullWriter {
	/** Writes the pull reply `text` (unless it says the server was restored). */
	page(
		text: string,
		account: { epoch: string; cursor: number },
		paged: boolean,
		onChunk: (cursor: number, head: number) => void
	): Promise<PageOutcome>;
	/** Replays the cards the pull marked; returns how many. */
	replay(progress: (done: number, total: number) => void): Promise<number>;
	close(): void;
}

/** A macrotask turn, so input and rendering run between two pulled chunks. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * On this thread. With `handOff`, the first page of a pull of many pages (one that is not the
 * last) is not written here but answered `many`, for the worker to write.
 */
export function writeInThread(db: RecallDb, { handOff = false } = {}): PullWriter {
	const marked = new Set<string>();
	const present = new Set<string>();
	return {
		async page(text, account, paged, onChunk) {
			const reply = JSON.parse(text) as PullReply;
			if (serverRestored(reply, account)) {
				return { kind: 'restart', epoch: reply.epoch, serverTime: reply.serverTime };
			}
			if (handOff && !paged && !reply.done) return { kind: 'many' };
			const written = await writePulledPage(db, reply, {
				paged,
				marked,
				present,
				onChunk,
				pause: yieldToPage
			});
			return { kind: 'written', ...written, done: reply.done, serverTime: reply.serverTime };
		},
		replay: (progress) => replayDeferred(db, progress),
		close: () => {}
	};
}

/** A write refused for lack of space, as IndexedDB names it (the sync loop says it in words). */
function storageFull(message: string): Error {
	return new DOMException(message, 'QuotaExceededError');
}

/** In the pull worker: one per sync run, asked one thing at a time, terminated by `close`. */
export function writeInWorker(db: RecallDb): PullWriter {
	let worker: Worker | undefined;
	let listener: ((reply: PullWorkerReply) => void) | undefined;
	let fail: ((error: Error) => void) | undefined;
	const start = () => {
		if (worker) return worker;
		worker = new Worker(new URL('./pull.worker.ts', import.meta.url), { type: 'module' });
		worker.onmessage = ({ data }: MessageEvent<PullWorkerReply>) => {
			if (data.type === 'error')
				fail?.(data.storageFull ? storageFull(data.message) : new Error(data.message));
			else listener?.(data);
		};
		worker.onerror = (event) => {
			event.preventDefault();
			fail?.(new Error(event.message || 'the pull worker stopped'));
		};
		return worker;
	};
	/** Sends `request`; `hear` sees every reply until it returns a value, which is the answer. */
	const ask = <T>(request: PullRequest, hear: (reply: PullWorkerReply) => T | undefined) =>
		new Promise<T>((resolve, reject) => {
			listener = (reply) => {
				const answer = hear(reply);
				if (answer !== undefined) resolve(answer);
			};
			fail = reject;
			start().postMessage(request);
		});
	return {
		page: (text, account, paged, onChunk) =>
			ask<PageOutcome>({ type: 'page', dbName: db.name, text, account, paged }, (reply) => {
				if (reply.type === 'chunk') onChunk(reply.cursor, reply.head);
				else if (reply.type === 'restart') {
					return { kind: 'restart', epoch: reply.epoch, serverTime: reply.serverTime };
				} else if (reply.type === 'written') {
					const { paged, done, serverTime, hlc } = reply;
					return { kind: 'written', paged, done, serverTime, hlc };
				}
				return undefined;
			}),
		replay: (progress) =>
			ask<number>({ type: 'replay', dbName: db.name }, (reply) => {
				if (reply.type === 'replaying') progress(reply.done, reply.total);
				else if (reply.type === 'replayed') return reply.count;
				return undefined;
			}),
		close: () => {
			worker?.terminate();
			worker = undefined;
		}
	};
}
