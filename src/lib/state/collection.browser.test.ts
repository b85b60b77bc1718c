import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { Collection } from './collection.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);
const offline = (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch;
let db: RecallDb;

beforeEach(() => {
	db = freshDb();
	localStorage.removeItem('recall.had-reviews');
});
afterEach(async () => {
	localStorage.removeItem('recall.had-reviews');
	await dropDb(db);
});

describe('noticing lost data on start', () => {
	it('tells a fresh install from a collection whose reviews disappeared', async () => {
		const first = new Collection(
			() => db,
			() => NOW
		);
		await first.refresh(offline);
		expect(first.empty).toBe(true);
		expect(first.lost).toBe(false);

		await db.revlog.add({
			cardId: 'c',
			deckId: 'd',
			reviewedAt: NOW,
			rating: 3,
			state: 0,
			due: 0,
			stability: 1,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 1,
			durationMs: 0
		});
		const second = new Collection(
			() => db,
			() => NOW
		);
		await second.refresh(offline);
		expect(second.empty).toBe(false);

		// The browser deletes the database but not localStorage.
		await db.revlog.clear();
		const third = new Collection(
			() => db,
			() => NOW
		);
		await third.refresh(offline);
		expect(third.lost).toBe(true);
	});
});
