import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecallDb } from '$lib/storage/db';
import { recordBackup } from '$lib/storage/export-repo';
import { dropDb, freshDb } from '$lib/storage/testing';
import { BackupActions } from './backup.svelte';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12);
let db: RecallDb;

beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

function actions() {
	return new BackupActions({ db: () => db, clock: () => NOW, download: () => {} });
}

async function reviewAt(t: number) {
	await db.revlog.add({
		cardId: 'c',
		deckId: 'd',
		reviewedAt: t,
		rating: 3,
		state: 0,
		due: 0,
		stability: 1,
		difficulty: 5,
		elapsedDays: 0,
		scheduledDays: 1,
		durationMs: 0
	});
}

describe('the "Download backup" nudge', () => {
	it('stays quiet for a new collection and for one backed up recently', async () => {
		const a = actions();
		await a.load();
		expect(a.nudgeDue(NOW)).toBe(false);
		await reviewAt(NOW - 3 * DAY);
		await a.load();
		expect(a.nudgeDue(NOW)).toBe(false);
		await reviewAt(NOW - 30 * DAY);
		await recordBackup(db, NOW - 13 * DAY);
		await a.load();
		expect(a.nudgeDue(NOW)).toBe(false);
	});

	it('appears when the last backup is older than 14 days, or there never was one after 14 days of use', async () => {
		await reviewAt(NOW - 15 * DAY);
		const a = actions();
		await a.load();
		expect(a.nudgeDue(NOW)).toBe(true);
		await recordBackup(db, NOW - 15 * DAY);
		await a.load();
		expect(a.nudgeDue(NOW)).toBe(true);
		await a.downloadBackup();
		expect(a.nudgeDue(NOW)).toBe(false);
	});

	it("reads the time from the actions' clock when the screen asks without one", async () => {
		await reviewAt(NOW - 20 * DAY);
		const a = actions();
		await a.load();
		expect(a.daysSinceBackup()).toBeNull();
		expect(a.nudgeDue()).toBe(true);
		await recordBackup(db, NOW - 15 * DAY - 1);
		await a.load();
		expect(a.daysSinceBackup()).toBe(15);
		expect(a.nudgeDue()).toBe(true);
	});
});
