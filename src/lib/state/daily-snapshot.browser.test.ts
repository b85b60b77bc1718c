import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecallDb } from '$lib/storage/db';
import { seedCollection } from '$lib/storage/testing-seed';
import { dropDb, freshDb } from '$lib/storage/testing';
import { runDailySnapshot } from './daily-snapshot';

const NOW = Date.UTC(2026, 11, 7, 12);
const DAY = 86_400_000;
let db: RecallDb;

beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

describe('the daily snapshot from start-up', () => {
	it('takes none of built-in decks never studied, one a day once there is something to keep', async () => {
		await seedCollection(db, { now: NOW, cards: 20, reviews: 0 });
		await db.decks.toCollection().modify({ origin: 'builtin' });
		expect(await runDailySnapshot(db, NOW, 'UTC')).toBe(false);
		expect(await db.snapshots.count()).toBe(0);

		// One review: now there is something a snapshot can give back.
		await db.revlog.add({
			cardId: (await db.cards.toCollection().first())!.id,
			deckId: 'seed',
			reviewedAt: NOW - 60_000,
			rating: 3,
			state: 0,
			due: NOW,
			stability: 1,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 0,
			durationMs: 4000
		});
		expect(await runDailySnapshot(db, NOW, 'UTC')).toBe(true);
		expect(await runDailySnapshot(db, NOW + 3_600_000, 'UTC')).toBe(false);
		expect(await runDailySnapshot(db, NOW + DAY, 'UTC')).toBe(true);
		expect(await db.snapshots.count()).toBe(2);
	});
});
