/**
 * Helpers for the phone backlog and reminder journeys: a collection after a break, seeded the way
 * a user brings one back — a Recall backup (downloaded from this profile) rewritten so that most
 * cards are overdue reviews after 14 study days of a few answers each, restored through Settings.
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForDeckCounts } from '../journey';
import { storeRows } from './settings-helpers';

const DAY = 86_400_000;

interface BackupCard {
	id: string;
	deckId: string;
	[key: string]: unknown;
}

export interface SeededBacklog {
	/** Review cards made overdue. */
	due: number;
	/** Answers per study day over the last 14 days. */
	perDay: number;
}

/**
 * Restores a backup of this profile in which `due` cards are reviews overdue by 1–20 days (varied
 * stability, so their retrievability differs) and each of the last 14 days has `perDay` answers.
 */
export async function seedBacklog(
	page: Page,
	due: number,
	perDay: number,
	ahead = 0
): Promise<SeededBacklog> {
	await page.goto('/');
	await waitForDeckCounts(page);
	await page.goto('/settings');
	await page.getByRole('button', { name: 'Download backup' }).waitFor();
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download backup' }).click()
	]);
	const backup = JSON.parse(await readFile(await download.path(), 'utf8')) as {
		cards: BackupCard[];
		revlog: unknown[];
	};
	expect(backup.cards.length).toBeGreaterThan(due + ahead);
	const now = Date.now();
	backup.cards = backup.cards.map((card, i) => {
		if (i >= due + ahead) return card;
		const interval = 2 + (i % 17);
		// The first `due` are overdue; the next `ahead` fall due 1–5 days from now.
		const overdue = i < due ? 1 + ((i * 7) % 20) : -(1 + (i % 5));
		const lastReview = now - (interval + overdue) * DAY;
		return {
			...card,
			queue: 2,
			state: 2,
			due: lastReview + interval * DAY,
			stability: interval * (0.4 + (i % 9) * 0.35),
			difficulty: 5,
			scheduledDays: interval,
			learningSteps: 0,
			reps: 3,
			lapses: 0,
			lastReview,
			rev: 2
		};
	});
	const revlog = [];
	for (let d = 1; d <= 14; d++) {
		for (let k = 0; k < perDay; k++) {
			const card = backup.cards[(d * perDay + k) % due]!;
			revlog.push({
				cardId: card.id,
				deckId: card.deckId,
				reviewedAt: now - d * DAY - k * 60_000,
				rating: 3,
				state: 2,
				due: now - d * DAY,
				stability: 5,
				difficulty: 5,
				elapsedDays: 3,
				scheduledDays: 5,
				durationMs: 6000
			});
		}
	}
	backup.revlog = revlog;
	await page.getByLabel('Restore from backup').setInputFiles({
		name: 'after-a-break.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(backup))
	});
	await page.getByRole('button', { name: 'Replace everything' }).click();
	await expect
		.poll(() => page.locator('#backup [role="status"]').textContent(), { timeout: 15_000 })
		.toMatch(/^Restored /);
	expect(await storeRows(page, 'revlog')).toHaveLength(14 * perDay);
	// A returning learner has closed the introduction long ago.
	await page.evaluate(() => localStorage.setItem('recall.first-run-closed', '1'));
	return { due, perDay };
}

export interface StoredCard {
	id: string;
	due: number;
	queue: number;
	rev: number;
}

export interface StoredLog {
	cardId: string;
	rating: number;
	scheduledDays: number;
}

/** Review cards due by the end of today (as the deck list counts them, without daily limits). */
export async function dueNow(page: Page, queues: readonly number[] = [2]): Promise<number> {
	const cards = await storeRows<StoredCard>(page, 'cards');
	const end = await page.evaluate(() => {
		const d = new Date();
		if (d.getHours() >= 4) d.setDate(d.getDate() + 1);
		d.setHours(4, 0, 0, 0);
		return d.getTime();
	});
	return cards.filter((c) => queues.includes(c.queue) && c.due < end).length;
}
