/**
 * Settings on a phone: the presets are there on a fresh profile (they were missing: issue 14,
 * item 1), changing the new-card limit changes the deck list's counts, changing the desired
 * retention changes the intervals the study screen offers, the retention helper's recommendation
 * can be applied, and nothing is wider than the 360 px screen.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { startJourney } from '../journey';
import { expectFitsScreen, newCounts, openSettings, storedPreset } from './settings-helpers';

/** Saves the Default preset's form after `change`, and waits for the confirmation. */
async function savePreset(page: Page, change: () => Promise<void>): Promise<void> {
	await change();
	await page.getByRole('button', { name: 'Save preset' }).click();
	await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Saved “Default”.');
}

/** The days the Easy button offers on the first new card of a deck (its label ends "…16d"). */
async function easyInterval(page: Page, deckTitle: string): Promise<string> {
	await page.goto('/');
	await page.getByRole('link', { name: `Study ${deckTitle}` }).click();
	await page.getByRole('button', { name: 'Show answer' }).click();
	const easy = page.getByRole('button', { name: /^Easy/ });
	await easy.waitFor();
	const label = (await easy.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
	const interval = label.replace(/^Easy\s*/, '');
	expect(interval).toMatch(/^\d+(\.\d+)?(d|mo|y)$/);
	return interval;
}

const days = (interval: string): number => {
	const value = Number.parseFloat(interval);
	return interval.endsWith('y') ? value * 365 : interval.endsWith('mo') ? value * 30.4 : value;
};

describe('Settings: presets', () => {
	it('shows the presets on a fresh profile, in light and dark, within the screen', async () => {
		for (const colorScheme of ['light', 'dark'] as const) {
			const j = await startJourney({ colorScheme });
			const form = await openSettings(j.page);
			for (const name of [
				'Desired retention (number)',
				'New cards per day',
				'Maximum reviews per day',
				'Learning steps'
			]) {
				await expect.poll(() => form.getByLabel(name, { exact: true }).count()).toBe(1);
			}
			await expect.poll(() => j.page.getByRole('button', { name: 'Optimize' }).count()).toBe(1);
			await expect
				.poll(() => j.page.getByRole('button', { name: 'Estimate workload' }).count())
				.toBe(1);
			expect(await form.getByLabel('Desired retention (number)').inputValue()).toBe('0.9');
			// The restore box and every fieldset fit the 360 px screen.
			await j.page.getByLabel('Restore from backup').scrollIntoViewIfNeeded();
			await expectFitsScreen(j.page);
			expect(await axeViolations(j.page)).toEqual([]);
			await j.finish();
		}
	});

	it('a lower new-card limit lowers the deck list’s new counts; it is stored', async () => {
		const j = await startJourney();
		const before = await newCounts(j.page);
		const titles = Object.keys(before);
		expect(titles.length).toBeGreaterThan(0);
		expect(Math.max(...Object.values(before))).toBeGreaterThan(3);
		const form = await openSettings(j.page);
		await savePreset(j.page, async () => {
			await form.getByLabel('New cards per day').fill('3');
		});
		expect((await storedPreset(j.page))?.newPerDay).toBe(3);
		const after = await newCounts(j.page);
		for (const title of titles) expect(after[title]).toBe(Math.min(3, before[title]!));
		// Back up: the counts follow.
		const again = await openSettings(j.page);
		await savePreset(j.page, async () => {
			await again.getByLabel('New cards per day').fill('7');
		});
		const raised = await newCounts(j.page);
		for (const title of titles) expect(raised[title]).toBe(Math.min(7, before[title]!));
		await j.finish();
	});

	it('a lower desired retention lengthens the intervals the study screen offers', async () => {
		const j = await startJourney();
		const titles = Object.keys(await newCounts(j.page));
		const deck = titles[0]!;
		const atNinety = await easyInterval(j.page, deck);
		const form = await openSettings(j.page);
		await savePreset(j.page, async () => {
			await form.getByLabel('Desired retention (number)').fill('0.8');
		});
		// A retention change moves due dates: the page offers to reschedule; not now.
		await j.page.getByRole('button', { name: 'Not now' }).click();
		expect((await storedPreset(j.page))?.desiredRetention).toBe(0.8);
		const atEighty = await easyInterval(j.page, deck);
		expect(days(atEighty), `Easy ${atNinety} at 90 %, ${atEighty} at 80 %`).toBeGreaterThan(
			days(atNinety)
		);
		// Nothing was graded: the deck still has all its new cards.
		expect((await newCounts(j.page))[deck]).toBeGreaterThan(0);
		await j.finish();
	});

	it('the retention helper estimates the workload and applies a recommended retention', async () => {
		const j = await startJourney();
		await newCounts(j.page); // the built-in decks are in the store
		const form = await openSettings(j.page);
		await j.page.getByRole('button', { name: 'Estimate workload' }).click();
		const table = j.page.getByRole('table', { name: 'Reviews per day by desired retention' });
		await table.waitFor({ timeout: 60_000 });
		await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(2);
		expect(await table.getByRole('rowheader', { name: '90% (current)' }).count()).toBe(1);
		const use = table.getByRole('button', { name: /^Use \d+%$/ }).first();
		const label = (await use.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
		const percent = /^Use (\d+%)$/.exec(label)?.[1] ?? '';
		const chosen = Number.parseInt(percent, 10) / 100;
		expect(chosen).not.toBe(0.9);
		await use.click();
		await expect.poll(async () => (await storedPreset(j.page))?.desiredRetention).toBe(chosen);
		await expect
			.poll(() => form.getByLabel('Desired retention (number)').inputValue())
			.toBe(String(chosen));
		// The estimate stays on screen, with the chosen retention now marked as the current one.
		await expect
			.poll(() => table.getByRole('rowheader', { name: `${percent} (current)` }).count())
			.toBe(1);
		await expectFitsScreen(j.page);
		expect(await axeViolations(j.page)).toEqual([]);
		await j.finish();
	});
});
