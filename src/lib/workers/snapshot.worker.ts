/**
 * Takes a local snapshot off the page's thread: reading the whole collection, serializing it and
 * gzipping it are seconds of work on a large one (100,000 cards and 300,000 reviews: an 11 s
 * snapshot with a 5.9 s task when done on the page), and the daily snapshot starts while the
 * user studies. The worker opens the same database (the review tallies' middleware included).
 */
import { openDb } from '$lib/storage/db';
import { takeSnapshot } from '$lib/storage/snapshots';
import type { SnapshotReply, SnapshotRequest } from './snapshot-client';

self.onmessage = async (event: MessageEvent<SnapshotRequest>) => {
	const { dbName, reason, now, timeZone } = event.data;
	const db = openDb(dbName);
	let reply: SnapshotReply;
	try {
		reply = { id: await takeSnapshot(db, reason, now, timeZone) };
	} catch (e) {
		reply = { error: e instanceof Error ? e.message : String(e), name: (e as Error)?.name };
	} finally {
		db.close();
	}
	self.postMessage(reply);
};
