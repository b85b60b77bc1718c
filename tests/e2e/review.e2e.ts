import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations } from './axe';
import { launch, phoneContext, watchCsp } from './browser';

const baseURL = inject('baseURL');
const DECK = '/study/trotsky-assassination';

/** A touch swipe on the card, as pointer events (Playwright has no touch-drag API). */
async function swipe(card: Locator, dx: number, dy: number): Promise<void> {
	const box = (await card.boundingBox())!;
	const x = box.x + box.width / 2;
	const y = box.y + box.height / 2;
	const base = { pointerType: 'touch', pointerId: 7, isPrimary: true, bubbles: true };
	await card.dispatchEvent('pointerdown', { ...base, clientX: x, clientY: y });
	await card.dispatchEvent('pointermove', { ...base, clientX: x + dx / 2, clientY: y + dy / 2 });
	await card.dispatchEvent('pointerup', { ...base, clientX: x + dx, clientY: y + dy });
}

async function counts(page: Page): Promise<string> {
	return (await page.locator('.counts').first().getAttribute('aria-label')) ?? '';
}

describe('a review session on a phone', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let csp: string[];

	beforeAll(async () => {
		browser = await launch();
		context = await phoneContext(browser, baseURL);
		page = await context.newPage();
		csp = watchCsp(page);
		await page.goto(DECK);
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('reveals on a tap of the card and grades Good with a swipe to the right', async () => {
		const before = await counts(page);
		await page.locator('.card').tap();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		expect(await page.getByText('From the article:').count()).toBe(1);
		await swipe(page.locator('.card'), 220, 0);
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		await expect.poll(() => counts(page)).not.toBe(before);
	});

	it('grades Again with a swipe to the left, and undoes it', async () => {
		const before = await counts(page);
		await page.locator('.card').tap();
		await swipe(page.locator('.card'), -220, 10);
		await expect.poll(() => counts(page)).not.toBe(before);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => counts(page)).toBe(before);
	});

	it('suspends a card from the menu and can undo it', async () => {
		const front = () => page.locator('.front').textContent();
		const before = await front();
		await page.getByText('More').click();
		await page.getByRole('button', { name: 'Suspend card' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Card suspended.');
		await expect.poll(front).not.toBe(before);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(front).toBe(before);
	});

	it('shows the card’s memory on request', async () => {
		await page.getByRole('button', { name: 'Card info' }).click();
		await page.getByRole('heading', { name: 'This card’s memory' }).waitFor();
		expect(await page.locator('.info').textContent()).toMatch(/Recall now/);
		await page.getByRole('button', { name: 'Card info' }).click();
	});

	it('has no accessibility violations on the study screen, before and after revealing', async () => {
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		expect(await axeViolations(page)).toEqual([]);
	});

	it('offers only Again and Good in two-button mode', async () => {
		await page.goto('/settings');
		await page.getByLabel('Two buttons only (Again / Good)').check();
		await page.goto(DECK);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		expect(await page.getByRole('button', { name: /^Hard/ }).count()).toBe(0);
		expect(await page.getByRole('button', { name: /^Easy/ }).count()).toBe(0);
		expect(await page.getByRole('button', { name: /^Again/ }).count()).toBe(1);
	});

	it('has no accessibility violations in dark mode either (contrast of the dark palette)', async () => {
		await page.emulateMedia({ colorScheme: 'dark' });
		try {
			for (const path of ['/', DECK]) {
				await page.goto(path);
				await page.getByRole('heading', { level: 1 }).waitFor();
				await page.waitForLoadState('networkidle');
				expect(await axeViolations(page), `${path} (dark)`).toEqual([]);
			}
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).waitFor();
			expect(await axeViolations(page), 'answer (dark)').toEqual([]);
		} finally {
			await page.emulateMedia({ colorScheme: 'light' });
		}
	});

	it('has no accessibility violations on the deck list and settings', async () => {
		for (const path of ['/', '/settings']) {
			await page.goto(path);
			await page.getByRole('heading', { level: 1 }).waitFor();
			await page.waitForLoadState('networkidle');
			expect(await axeViolations(page), path).toEqual([]);
		}
	});

	it('ran the whole session under the Content Security Policy without a violation', () => {
		expect(csp).toEqual([]);
	});
});
