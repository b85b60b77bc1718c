/**
 * Issue 18, first run: a new learner meets a short introduction above the deck list (what
 * spaced repetition does, what each grade means, the two-button option, and the two ways on),
 * which never blocks the decks, is never shown again once closed, loads nothing for a returning
 * learner, and can be shown again from Settings.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';

const intro = (page: Page) => page.getByRole('region', { name: 'Welcome to Recall' });

/** The production build's chunk holding the introduction (the e2e project serves build/). */
function introChunk(): string {
	const dir = join(process.cwd(), 'build/_app/immutable/chunks');
	const name = readdirSync(dir).find(
		(f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('Welcome to Recall')
	);
	if (!name) throw new Error('no chunk of build/ holds the introduction: run `npx vite build`');
	return name;
}

/** Whether the page fetched the introduction's code (resource timing includes the SW's). */
async function introFetched(page: Page, chunk: string): Promise<boolean> {
	return page.evaluate(
		(c) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(`/${c}`)),
		chunk
	);
}

describe('first run on a phone', () => {
	it('explains the grades once, offers two buttons, and gets out of the way', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		await intro(page).waitFor();
		const chunk = introChunk();
		expect(await introFetched(page, chunk), 'loaded for a new learner').toBe(true);
		const text = (await intro(page).innerText()).replace(/\s+/g, ' ');
		expect(text).toContain('just before you would forget it');
		expect(text).toContain('Again You forgot.');
		expect(text).toContain('Hard You recalled it, with effort. A pass, not a fail');
		expect(text).toContain('Good You recalled it.');
		expect(text).toContain('Easy Too easy');
		// The deck list stays usable under it.
		expect(
			await page.getByRole('link', { name: 'Study Trotsky and the Red Army', exact: true }).count()
		).toBe(1);
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		for (const name of ['Skip', 'Study the Trotsky decks']) {
			expect(
				(await page.getByRole('button', { name }).boundingBox())!.height
			).toBeGreaterThanOrEqual(48);
		}

		// The two-button option, chosen here, is the study screen's.
		await page.getByLabel(/Two buttons only/).tap();
		await page.getByRole('button', { name: 'Study the Trotsky decks' }).tap();
		await expect.poll(() => intro(page).count()).toBe(0);
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('decks-title');
		expect(
			await page.evaluate(() => JSON.parse(localStorage.getItem('recall.preferences') ?? '{}'))
		).toMatchObject({ twoButtons: true });
		await page.getByRole('link', { name: 'Study Trotsky and the Red Army', exact: true }).tap();
		await page.getByRole('button', { name: 'Show answer' }).tap();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		expect(await page.getByRole('button', { name: /^Hard/ }).count()).toBe(0);
		expect(await page.getByRole('button', { name: /^Again/ }).count()).toBe(1);

		// Never again on this device, and its code is not even loaded.
		await page.goto('/');
		await waitForDeckCounts(page);
		await page.waitForTimeout(500);
		expect(await intro(page).count()).toBe(0);
		expect(await introFetched(page, chunk), 'a returning learner loads none of it').toBe(false);
		await j.finish();
	});

	it('is shown again from Settings, closes with Skip, and leads to Import', async () => {
		const j = await startJourney({ colorScheme: 'dark' });
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		await page.getByRole('button', { name: 'Skip' }).tap();
		await expect.poll(() => intro(page).count()).toBe(0);
		await page.reload();
		await waitForDeckCounts(page);
		expect(await intro(page).count()).toBe(0);

		await page.getByRole('button', { name: 'More' }).tap();
		await page.getByRole('link', { name: 'Settings', exact: true }).tap();
		await page.getByRole('link', { name: 'Show the introduction again' }).tap();
		await intro(page).waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('link', { name: 'Import your Anki decks' }).tap();
		await page.waitForURL('**/import');
		await page.locator('input[type=file]').first().waitFor({ state: 'attached' });

		await page.goto('/');
		await waitForDeckCounts(page);
		await page.waitForTimeout(500);
		expect(await intro(page).count()).toBe(0);
		await j.finish();
	});
});
