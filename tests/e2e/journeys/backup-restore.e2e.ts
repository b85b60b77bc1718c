/**
 * Backups on a phone: "Download backup" saves a valid Recall backup; restoring that file after
 * more study brings the collection back as it was, and "Last backup" is kept (it was reset:
 * issue 14, item 11); a CSV chosen by mistake is refused in words and changes nothing (item 13).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { startJourney, waitForDeckCounts } from '../journey';
import { expectFitsScreen, storeRows } from './settings-helpers';

async function lastBackupText(page: Page): Promise<string> {
	const text = (await page.locator('#backup').textContent()) ?? '';
	return /Last backup: [^.]+\.|No backup downloaded yet\./.exec(text)?.[0] ?? '';
}

/** Studies one card of the first deck with Good. */
async function studyOne(page: Page): Promise<void> {
	await page.goto('/');
	await waitForDeckCounts(page);
	await page
		.getByRole('link', { name: /^Study / })
		.first()
		.click();
	await page.getByRole('button', { name: 'Show answer' }).click();
	await page.getByRole('button', { name: /^Good/ }).click();
	await page.getByRole('button', { name: 'Undo' }).waitFor();
	await expect.poll(async () => (await storeRows(page, 'revlog')).length).toBeGreaterThan(0);
}

async function openBackup(page: Page): Promise<void> {
	await page.goto('/settings');
	await page.getByRole('button', { name: 'Download backup' }).waitFor();
	await expect.poll(() => lastBackupText(page)).not.toBe('');
}

describe('Backup and restore', () => {
	it('downloads a valid backup and restores the collection from it, keeping "Last backup"', async () => {
		const j = await startJourney();
		const { page } = j;
		await studyOne(page);
		await openBackup(page);
		expect(await lastBackupText(page)).toBe('No backup downloaded yet.');

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download backup' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^recall-backup-\d{4}-\d{2}-\d{2}\.json$/);
		const file = await download.path();
		const backup = JSON.parse(await readFile(file, 'utf8')) as {
			format: string;
			version: number;
			decks: unknown[];
			notes: unknown[];
			cards: unknown[];
			revlog: unknown[];
		};
		expect(backup.format).toBe('recall-backup');
		expect(backup.version).toBe(1);
		expect(backup.decks.length).toBeGreaterThan(0);
		expect(backup.notes.length).toBeGreaterThan(0);
		expect(backup.revlog).toHaveLength(1);
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Backup downloaded' }).count())
			.toBe(1);
		const last = await lastBackupText(page);
		expect(last).toMatch(/^Last backup: .+\d.+\.$/);
		const cardsAtBackup = await storeRows<{ id: string; reps: number }>(page, 'cards');

		// More study after the backup: the restore takes it away again.
		await studyOne(page);
		expect(await storeRows(page, 'revlog')).toHaveLength(2);

		await openBackup(page);
		await page.getByLabel('Restore from backup').setInputFiles(file);
		const confirm = page.getByRole('group', { name: /^Replace everything in Recall with/ });
		await confirm.waitFor();
		expect(await confirm.textContent()).toContain('1 review');
		await expectFitsScreen(page);
		await page.getByRole('button', { name: 'Replace everything' }).click();
		await expect
			.poll(() => page.locator('#backup [role="status"]').textContent(), { timeout: 15_000 })
			.toMatch(/^Restored \d+ decks?, \d+ notes?, \d+ cards?, 1 review and 0 media files from /);
		expect(await lastBackupText(page)).toBe(last);
		expect(await storeRows(page, 'revlog')).toHaveLength(1);
		const cardsNow = await storeRows<{ id: string; reps: number }>(page, 'cards');
		expect(cardsNow.map((c) => [c.id, c.reps]).sort()).toEqual(
			cardsAtBackup.map((c) => [c.id, c.reps]).sort()
		);
		// Still there after a reload, and the deck list has the collection back.
		await page.reload();
		await expect.poll(() => lastBackupText(page)).toBe(last);
		await page.goto('/');
		await waitForDeckCounts(page);
		expect(await page.getByRole('link', { name: /^Study / }).count()).toBe(backup.decks.length);
		await j.finish();
	});

	it('refuses a CSV file in words, says what to choose instead, and changes nothing', async () => {
		const j = await startJourney();
		const { page } = j;
		await studyOne(page);
		await openBackup(page);
		const before = {
			decks: await storeRows(page, 'decks'),
			cards: await storeRows(page, 'cards'),
			revlog: await storeRows(page, 'revlog')
		};
		await page.getByLabel('Restore from backup').setInputFiles({
			name: 'my-cards.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from('front,back,tags\nCapital of France,Paris,geo\n')
		});
		const alert = page.locator('#backup [role="alert"]');
		await alert.waitFor();
		const text = (await alert.textContent())?.trim() ?? '';
		expect(text).toBe(
			'Nothing was restored from "my-cards.csv": it is not a Recall backup but looks like a CSV file. To restore, choose the .json file that “Download backup” saved (named like recall-backup-2026-01-15.json); to add the cards in this file, use Import instead.'
		);
		expect(text).not.toMatch(/JSON\.parse|Unexpected token|SyntaxError/);
		expect(await page.getByRole('button', { name: 'Replace everything' }).count()).toBe(0);
		await expectFitsScreen(page);
		expect(await axeViolations(page)).toEqual([]);
		expect({
			decks: await storeRows(page, 'decks'),
			cards: await storeRows(page, 'cards'),
			revlog: await storeRows(page, 'revlog')
		}).toEqual(before);
		// A damaged backup (cut short) is refused in words too.
		await page.getByLabel('Restore from backup').setInputFiles({
			name: 'recall-backup-2026-01-15.json',
			mimeType: 'application/json',
			buffer: Buffer.from('{"format":"recall-backup","version":1,"decks":[')
		});
		await expect
			.poll(() => alert.textContent())
			.toMatch(
				/^Nothing was restored from "recall-backup-2026-01-15.json": the backup is damaged or incomplete/
			);
		expect(await storeRows(page, 'revlog')).toEqual(before.revlog);
		await j.finish();
	});
});
