/**
 * The daily local snapshot, a few seconds after start and at most once per study day. Only the
 * check is loaded with the app; the snapshot chain (worker client, serializer, gzip) is loaded
 * with `import()` when a snapshot is actually taken.
 */
import { getDb, type RecallDb } from '$lib/storage/db';
import { dailySnapshotNeeded, holdsUserData } from '$lib/storage/snapshot-due';
import { deviceTimeZone, systemClock, type Clock } from './clock';

/**
 * Takes today's snapshot if it is due and there is something to keep; resolves to whether one
 * was taken. A collection of built-in decks without reviews is not worth one.
 */
export async function runDailySnapshot(
	db: RecallDb,
	now: number,
	timeZone?: string
): Promise<boolean> {
	if (!(await holdsUserData(db))) return false;
	if (!(await dailySnapshotNeeded(db, now, timeZone))) return false;
	// In a worker: on a large collection it is seconds of reading and gzipping.
	const { takeSnapshotOffThread } = await import('$lib/workers/snapshot-client');
	return (await takeSnapshotOffThread(db, 'daily', now, timeZone)) !== null;
}

/** Once per study day, a few seconds after start (not on the path to the first card). */
export function scheduleDailySnapshot(
	db: () => RecallDb = getDb,
	clock: Clock = systemClock,
	delayMs = 5000
): void {
	setTimeout(() => {
		void runDailySnapshot(db(), clock(), deviceTimeZone()).catch(() => {
			// A full disk or a closed database: the next start tries again.
		});
	}, delayMs);
}
