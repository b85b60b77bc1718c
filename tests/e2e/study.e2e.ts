import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow, launch, PHONE, phoneContext, waitForServiceWorker } from './browser';

const baseURL = inject('baseURL');

async function firstDeckTitle(page: Page): Promise<string> {
	const link = page.getByRole('link', { name: /^Study / }).first();
	const name = (await link.textContent()) ?? '';
	return name.replace(/^Study\s*/, '').trim();
}

async function reviewCounts(page: Page): Promise<string> {
	return (await page.locator('.counts').first().getAttribute('aria-label')) ?? '';
}

/** How many review-log rows IndexedDB holds. */
function storedReviews(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error ?? new Error('open failed'));
				open.onsuccess = () => {
					const db = open.result;
					const req = db.transaction('revlog').objectStore('revlog').count();
					req.onsuccess = () => {
						db.close();
						resolve(req.result);
					};
					req.onerror = () => reject(req.error ?? new Error('count failed'));
				};
			})
	);
}

describe('studying a built-in deck on a phone', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;

	beforeAll(async () => {
		browser = await launch();
		context = await phoneContext(browser, baseURL);
		page = await context.newPage();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lists the built-in decks with their counts', async () => {
		await page.goto('/');
		const links = page.getByRole('link', { name: /^Study / });
		await expect.poll(() => links.count()).toBeGreaterThanOrEqual(2);
		// A first run loads the built-in decks first: give a busy machine time.
		await expect
			.poll(() => page.locator('.counts .new').first().textContent(), { timeout: 15_000 })
			.toMatch(/^\d+ new$/);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	});

	it('shows a card, reveals it and grades with the buttons', async () => {
		const title = await firstDeckTitle(page);
		await page.getByRole('link', { name: `Study ${title}` }).click();
		await page.waitForURL(/\/study\//);
		const show = page.getByRole('button', { name: 'Show answer' });
		await show.waitFor();
		const box = await show.boundingBox();
		expect(box?.height).toBeGreaterThanOrEqual(48);
		// In the thumb zone: the lower half of the screen.
		expect((box?.y ?? 0) + (box?.height ?? 0)).toBeGreaterThan(PHONE.height / 2);
		const before = await reviewCounts(page);
		await show.click();
		const good = page.getByRole('button', { name: /^Good/ });
		await good.waitFor();
		expect(await good.textContent()).toMatch(/Good\s+\d+(m|h|d)/);
		for (const name of ['Again', 'Hard', 'Easy']) {
			expect(await page.getByRole('button', { name: new RegExp(`^${name}`) }).count()).toBe(1);
		}
		await good.click();
		await show.waitFor();
		await expect.poll(() => reviewCounts(page)).not.toBe(before);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	});

	it('grades with the keyboard: Space reveals, 1–4 grade', async () => {
		const before = await reviewCounts(page);
		await page.keyboard.press('Space');
		await page.getByRole('button', { name: /^Again/ }).waitFor();
		await page.keyboard.press('3');
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		await expect.poll(() => reviewCounts(page)).not.toBe(before);
		await page.keyboard.press('Enter');
		await page.getByRole('button', { name: /^Easy/ }).waitFor();
		await page.keyboard.press('1');
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
	});

	it('keeps progress across a reload', async () => {
		const before = await reviewCounts(page);
		// The next card is shown while the answer's transaction commits: reload once the three
		// answers above are in IndexedDB (the time that takes is printed).
		const started = Date.now();
		await expect.poll(() => storedReviews(page), { timeout: 10_000, interval: 20 }).toBe(3);
		console.log(`the last answer was stored ${Date.now() - started} ms after the next card showed`);
		await page.reload();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		await expect.poll(() => reviewCounts(page)).toBe(before);
	});

	it('undoes the last grade', async () => {
		const before = await reviewCounts(page);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).click();
		await expect.poll(() => reviewCounts(page)).not.toBe(before);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => reviewCounts(page)).toBe(before);
		await expect.poll(() => page.getByRole('status').textContent()).toContain('Undone');
	});

	it('keeps studying offline after the first visit', async () => {
		await waitForServiceWorker(page);
		await context.setOffline(true);
		await page.reload();
		const show = page.getByRole('button', { name: 'Show answer' });
		await show.waitFor();
		const before = await reviewCounts(page);
		await show.click();
		await page.getByRole('button', { name: /^Good/ }).click();
		await expect.poll(() => reviewCounts(page)).not.toBe(before);
		await page.goto('/');
		await expect
			.poll(() => page.getByRole('link', { name: /^Study / }).count())
			.toBeGreaterThanOrEqual(2);
		await context.setOffline(false);
	});
});
