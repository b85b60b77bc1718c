/** Snapshots taken in a worker: the same row as on the page, restorable, once per study day. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import type { RecallDb } from '$lib/storage/db';
import { listSnapshots, maybeDailySnapshot, restoreSnapshot } from '$lib/storage/snapshots';
import { dropDb, freshDb } from '$lib/storage/testing';
import { takeSnapshotOffThread } from './snapshot-client';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12);
let db: RecallDb;

beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({ id: 'deck', notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })] }),
		NOW - DAY
	);
});
afterEach(async () => {
	await dropDb(db);
});

describe('snapshots in a worker', () => {
	it('writes a snapshot the page can list and restore exactly', async () => {
		const cards = await db.cards.toArray();
		const id = await takeSnapshotOffThread(db, 'daily', NOW, 'UTC');
		expect(id).not.toBeNull();
		expect(await listSnapshots(db)).toMatchObject([
			{ id, reason: 'daily', createdAt: NOW, cards: 2, reviews: 0 }
		]);
		await db.cards.clear();
		await restoreSnapshot(db, id!, NOW + 1000, 'UTC');
		expect(await db.cards.toArray()).toEqual(cards);
	});

	it('takes the daily snapshot once per study day', async () => {
		expect(await maybeDailySnapshot(db, NOW, 'UTC', takeSnapshotOffThread)).toBe(true);
		expect(await maybeDailySnapshot(db, NOW + 3_600_000, 'UTC', takeSnapshotOffThread)).toBe(false);
		expect(await maybeDailySnapshot(db, NOW + DAY, 'UTC', takeSnapshotOffThread)).toBe(true);
		expect((await listSnapshots(db)).map((s) => s.reason)).toEqual(['daily', 'daily']);
	});

	it('keeps nothing for an empty collection, and reports a failure in words', async () => {
		const empty = freshDb();
		await empty.open();
		expect(await takeSnapshotOffThread(empty, 'daily', NOW, 'UTC')).toBeNull();
		await dropDb(empty);
		// A database the worker cannot open as this version (a newer one) is refused with a reason.
		const name = `recall-snapshot-newer-${Math.random().toString(36).slice(2)}`;
		await new Promise<void>((resolve, reject) => {
			const req = indexedDB.open(name, 990);
			req.onsuccess = () => {
				req.result.close();
				resolve();
			};
			req.onerror = () => reject(req.error);
		});
		const stub = { name } as RecallDb;
		await expect(takeSnapshotOffThread(stub, 'daily', NOW, 'UTC')).rejects.toThrow();
		indexedDB.deleteDatabase(name);
	});
});
