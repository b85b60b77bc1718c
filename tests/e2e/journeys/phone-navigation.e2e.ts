/**
 * Issue 18, navigation: on a phone the sections people use daily are a bottom tab bar with
 * icons and labels (Decks, Browse, Stats, More), each at least 48 px, the current one marked;
 * More opens Add, Import and Settings. Add is also a prominent action on the deck list and in
 * Browse. A wide screen keeps every section as a link in the top bar.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function currentLabel(page: Page): Promise<string[]> {
	return nav(page)
		.locator('a[aria-current="page"]')
		.evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

describe('navigation on a phone', () => {
	it('is a tab bar of four labelled icons; More reaches Add, Import and Settings', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);

		const bar = nav(page);
		const [decksTab, browseTab, statsTab] = ['Decks', 'Browse', 'Stats'].map((name) =>
			bar.getByRole('link', { name, exact: true })
		) as [Locator, Locator, Locator];
		const tabs = [decksTab, browseTab, statsTab];
		const more = bar.getByRole('button', { name: 'More' });
		for (const tab of [...tabs, more]) {
			expect(await tab.isVisible()).toBe(true);
			const box = (await tab.boundingBox())!;
			expect(box.height, 'tab height').toBeGreaterThanOrEqual(48);
			expect(box.width, 'tab width').toBeGreaterThanOrEqual(48);
			// At the bottom of the screen, under the thumb, with an icon over the label.
			expect(box.y + box.height).toBeGreaterThan(740 - 80);
			expect(await tab.locator('svg').count()).toBe(1);
		}
		expect(await currentLabel(page)).toEqual(['Decks']);
		// Add, Import and Settings wait behind More.
		expect(await bar.getByRole('link', { name: 'Settings' }).isVisible()).toBe(false);
		expect(await more.getAttribute('aria-expanded')).toBe('false');
		expect(await axeViolations(page)).toEqual([]);

		// Add is a prominent action on the deck list.
		const addCards = page.getByRole('main').getByRole('link', { name: 'Add cards' });
		const addBox = (await addCards.boundingBox())!;
		expect(addBox.height).toBeGreaterThanOrEqual(48);
		expect(addBox.y, 'above the fold, beside the heading').toBeLessThan(200);

		await browseTab.click();
		await page.waitForURL('**/browse');
		expect(await currentLabel(page)).toEqual(['Browse']);
		expect(await page.getByRole('main').getByRole('link', { name: 'Add cards' }).count()).toBe(1);

		await statsTab.click();
		await page.waitForURL('**/stats');
		expect(await currentLabel(page)).toEqual(['Stats']);

		for (const [name, path, heading] of [
			['Settings', '/settings', /settings/i],
			['Import', '/import', /import/i],
			['Add', '/add', /add/i]
		] as const) {
			await more.click();
			expect(await more.getAttribute('aria-expanded')).toBe('true');
			const link = bar.getByRole('link', { name, exact: true });
			await link.waitFor();
			const box = (await link.boundingBox())!;
			expect(box.height).toBeGreaterThanOrEqual(48);
			expect(box.y + box.height, 'the menu opens above the tab bar').toBeLessThanOrEqual(740);
			expect(await axeViolations(page)).toEqual([]);
			await link.click();
			await page.waitForURL(`**${path}`);
			await expect.poll(() => page.locator('main h1').first().textContent()).toMatch(heading);
			// The menu closed on navigating, and the page is marked as current inside it.
			expect(await more.getAttribute('aria-expanded')).toBe('false');
			expect(await currentLabel(page)).toEqual([name]);
			await expectNoHorizontalOverflow(page);
		}

		// Escape and a tap outside close the menu.
		await more.click();
		await page.keyboard.press('Escape');
		expect(await more.getAttribute('aria-expanded')).toBe('false');
		await more.click();
		await page.locator('main h1').first().click();
		expect(await more.getAttribute('aria-expanded')).toBe('false');

		await decksTab.click();
		await page.waitForURL((u) => u.pathname === '/');
		await waitForDeckCounts(page);
		expect(await currentLabel(page)).toEqual(['Decks']);
		await j.finish();
	});

	it('keeps every section as a labelled link at the top of a wide screen', async () => {
		const j = await startJourney({ device: 'desktop' });
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		const bar = nav(page);
		expect(await bar.getByRole('button', { name: 'More' }).isVisible()).toBe(false);
		for (const name of ['Decks', 'Browse', 'Stats', 'Add', 'Import', 'Settings']) {
			const link = bar.getByRole('link', { name, exact: true });
			expect(await link.isVisible(), name).toBe(true);
			expect((await link.boundingBox())!.y, `${name} in the top bar`).toBeLessThan(80);
		}
		await bar.getByRole('link', { name: 'Settings', exact: true }).click();
		await page.waitForURL('**/settings');
		expect(await currentLabel(page)).toEqual(['Settings']);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();
	});
});
