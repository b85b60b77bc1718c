/**
 * Local snapshots taken in a worker (snapshot.worker.ts), so the page keeps answering while the
 * collection is read, serialized and gzipped. Where workers are missing it is done on the page.
 */
import type { RecallDb } from '$lib/storage/db';

export interface SnapshotRequest {
	dbName: string;
	reason: string;
	now: number;
	timeZone?: string;
}

export type SnapshotReply = { id: number | null } | { error: string; name?: string };

/** Takes a snapshot of `db` in a worker; resolves to its id (null: nothing to keep). */
export function takeSnapshotOffThread(
	db: RecallDb,
	reason: string,
	now: number,
	timeZone?: string
): Promise<number | null> {
	if (typeof Worker === 'undefined')
		return import('$lib/storage/snapshots').then((m) => m.takeSnapshot(db, reason, now, timeZone));
	const worker = new Worker(new URL('./snapshot.worker.ts', import.meta.url), { type: 'module' });
	return new Promise<number | null>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<SnapshotReply>) => {
			const reply = event.data;
			if ('error' in reply) {
				reject(Object.assign(new Error(reply.error), { name: reply.name ?? 'Error' }));
			} else resolve(reply.id);
		};
		worker.onerror = (event) => {
			event.preventDefault();
			reject(new Error(event.message || 'the snapshot worker stopped unexpectedly'));
		};
		const request: SnapshotRequest = { dbName: db.name, reason, now, timeZone };
		worker.postMessage(request);
	}).finally(() => worker.terminate());
}
