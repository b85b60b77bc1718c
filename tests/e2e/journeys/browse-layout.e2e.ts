/**
 * Browse journeys, layout: on a phone (360×740) the results come first, each card on two lines,
 * nothing wider than the screen, axe-clean in light and dark; on a desktop (1280×800) Browse
 * uses the width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations } from '../axe';
import { PHONE, launch } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { openBrowse, search, found } from './browse-helpers';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

describe('Browse: layout', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`shows results first on a phone, two lines a card, no sideways scroll (${colorScheme})`, async () => {
			const j = await startJourney({ browser, colorScheme });
			const { page } = j;
			await openBrowse(page);
			await expectNoHorizontalOverflow(page);
			const table = page.getByRole('table');
			expect(await table.evaluate((t) => t.scrollWidth - t.clientWidth)).toBeLessThanOrEqual(0);
			// Several cards on the first screen, not one.
			const rows = page.locator('[role=row]').filter({ has: page.locator('[data-front]') });
			const onScreen = await rows.evaluateAll(
				(els, height) => els.filter((el) => el.getBoundingClientRect().bottom <= height).length,
				PHONE.height
			);
			expect(onScreen).toBeGreaterThanOrEqual(4);
			// The question gets the row's width (not ~20 characters), with a second line under it.
			const question = page.locator('[role=row] [data-front]').first();
			expect((await question.boundingBox())!.width).toBeGreaterThan(240);
			expect(await rows.first().locator('.more').textContent()).toMatch(/·/);
			// Custom study and the help come after the results; no bulk buttons until a card is ticked.
			const tableTop = (await table.boundingBox())!.y;
			const custom = page.getByText('Custom study', { exact: true });
			expect((await custom.boundingBox())!.y).toBeGreaterThan(tableTop);
			expect(await page.getByRole('button', { name: 'Suspend', exact: true }).count()).toBe(0);
			expect(await axeViolations(page)).toEqual([]);
			await page
				.getByRole('checkbox', { name: /^Select “/ })
				.first()
				.tap();
			await page.getByRole('region', { name: 'Selected cards' }).waitFor();
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await j.finish();
		});
	}

	it('sorts from the Sort menu on a phone', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		await page.getByLabel('Sort cards').selectOption('front');
		await found(page, '');
		const questions = await page.locator('[role=row] [data-front]').allTextContents();
		const sorted = [...questions].sort((a, b) =>
			a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true })
		);
		expect(questions.slice(0, 5)).toEqual(sorted.slice(0, 5));
		await page.getByRole('button', { name: 'Descending' }).tap();
		await expect
			.poll(() => page.getByRole('button', { name: 'Descending' }).getAttribute('aria-pressed'))
			.toBe('true');
		await j.finish();
	});

	it('uses the width on a desktop, with a column per field', async () => {
		const j = await startJourney({ browser, device: 'desktop' });
		const { page } = j;
		await openBrowse(page);
		const width = (await page.locator('.browse').boundingBox())!.width;
		expect(width).toBeGreaterThan(640);
		for (const column of ['Front', 'Deck', 'Due', 'Interval', 'Recall', 'Tags']) {
			await page.getByRole('columnheader', { name: new RegExp(`^${column}`) }).waitFor();
		}
		await search(page, 'trotsky');
		expect(await found(page, 'trotsky')).toBeGreaterThan(0);
		await expectNoHorizontalOverflow(page);
		// Other pages keep their reading width.
		await page.goto('/add');
		await page.locator('h1').waitFor();
		expect((await page.locator('main').boundingBox())!.width).toBeLessThanOrEqual(641);
		await j.finish();
	});
});
