import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './axe';
import { horizontalOverflow, launch, phoneContext, watchCsp } from './browser';

const baseURL = inject('baseURL');
const DECK = `Red Army ${Date.now().toString(36)}`;
/** A 1×1 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

const deckSearch = `deck:"${DECK}"`;

async function search(page: Page, query: string): Promise<void> {
	await page.locator('#browse-query').fill(query);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
}

describe('a collection the user owns, on a phone', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let csp: string[];

	beforeAll(async () => {
		browser = await launch();
		context = await phoneContext(browser, baseURL);
		page = await context.newPage();
		csp = watchCsp(page);
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('creates a deck', async () => {
		await page.goto('/add');
		await page.getByLabel('Deck name').fill(DECK);
		await page.getByRole('button', { name: 'Create deck' }).click();
		await page.getByText(`Created the deck “${DECK}”.`).waitFor();
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	});

	it('adds a cloze note with a picture, previewed live', async () => {
		await page.getByLabel('Deck', { exact: true }).selectOption({ label: DECK });
		await page.getByRole('radio', { name: 'Cloze', exact: true }).check();
		const text = page.locator('#field-text');
		await text.fill('The Red Army was founded in 1918 by Trotsky.');
		await text.evaluate((el: HTMLTextAreaElement) => {
			const at = el.value.indexOf('1918');
			el.setSelectionRange(at, at + 4);
		});
		await page.getByRole('button', { name: 'Cloze […]' }).click();
		expect(await text.inputValue()).toBe('The Red Army was founded in {{c1::1918}} by Trotsky.');
		// The picture goes where the caret is: at the end.
		await text.evaluate((el: HTMLTextAreaElement) =>
			el.setSelectionRange(el.value.length, el.value.length)
		);
		await page
			.locator('input[type=file]:not([capture])')
			.first()
			.setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: PNG });
		const picture = page.locator('.preview img').first();
		await picture.waitFor();
		await expect.poll(() => picture.getAttribute('src')).toMatch(/^blob:/);
		expect(await page.locator('.preview .front').first().textContent()).toContain(
			'founded in [...]'
		);
		await page.getByLabel('Tags (separated by spaces)').fill('e2e army');
		await page.getByRole('button', { name: 'Add note' }).click();
		await page.getByText(`Added a note with 1 card to “${DECK}”.`).waitFor();
		expect(await text.inputValue()).toBe('');
		expect(await axeViolations(page)).toEqual([]);
	});

	it('studies it from the deck list', async () => {
		await page.goto('/');
		await page.getByRole('link', { name: `Study ${DECK}` }).click();
		await page.waitForURL(/\/study\//);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Easy/ }).click();
		await page.getByText('Nothing is due right now').waitFor();
	});

	it('finds it by search, shows its history and edits it with a live preview', async () => {
		await page.goto(`/browse?q=${encodeURIComponent(deckSearch)}`);
		const row = page.getByRole('button', { name: /founded in \[\.\.\.\] by Trotsky/ });
		await row.waitFor();
		expect(await page.getByText('1 card', { exact: true }).count()).toBe(1);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await row.click();
		const dialog = page.getByRole('dialog');
		await dialog.getByRole('cell', { name: 'Easy' }).waitFor();
		// The picture comes from the media store, as a blob: URL.
		await expect.poll(() => dialog.locator('img').first().getAttribute('src')).toMatch(/^blob:/);
		await dialog.getByRole('button', { name: 'Edit note' }).click();
		const text = dialog.locator('#field-text');
		await text.fill((await text.inputValue()).replace('by Trotsky', 'by Leon Trotsky'));
		await dialog
			.locator('.preview')
			.getByText(/by Leon Trotsky/)
			.first()
			.waitFor();
		await dialog.getByRole('button', { name: 'Save note' }).click();
		await page.getByRole('status').getByText('Note saved.').waitFor();
		await dialog.getByRole('button', { name: 'Close' }).click();
		await page.getByRole('button', { name: /by Leon Trotsky/ }).waitFor();
	});

	it('finds it with Anki-style terms, and not with their negation', async () => {
		for (const query of [
			'tag:e2e leon',
			`${deckSearch} is:review rated:1`,
			'tag:E2E prop:s>1 -is:suspended',
			// Scoped to the new deck: the built-in decks, loaded today, also mention Leon Trotsky.
			`${deckSearch} "leon trotsky" (tag:nothing OR added:1)`
		]) {
			await search(page, query);
			await page.getByText('1 card', { exact: true }).waitFor();
		}
		await search(page, `${deckSearch} -tag:army`);
		await page.getByText(`No cards match “${deckSearch} -tag:army”.`, { exact: true }).waitFor();
		await search(page, 'tag:(');
		await page.getByRole('alert').getByText('tag: needs a name').waitFor();
	});

	it('suspends it from the list and undoes', async () => {
		await search(page, deckSearch);
		await page.getByText('1 card', { exact: true }).waitFor();
		await page.getByRole('checkbox', { name: /^Select “The Red Army/ }).click();
		await page.getByText('1 selected').waitFor();
		await page.getByRole('button', { name: 'Suspend', exact: true }).click();
		await page.getByText('Suspended 1 card.').waitFor();
		await page.getByRole('button', { name: 'Undo suspend' }).click();
		await page.getByText('Undone: suspend.').waitFor();
		expect(await axeViolations(page)).toEqual([]);
	});

	it('studies the search ("Study these")', async () => {
		await page.getByRole('link', { name: 'Study these' }).click();
		await page.waitForURL(/\/browse\/study\?q=/);
		// The deck study screen, in focus mode: its own top bar with the way back to the search.
		await page.getByRole('link', { name: '‹ Search' }).waitFor();
		expect(await page.getByRole('navigation').count()).toBe(0);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).click();
		await page.getByRole('heading', { name: 'Done' }).waitFor();
		expect(await page.getByText('You answered 1 of the 1 cards found.').count()).toBe(1);
	});

	it('ran under the Content Security Policy without a violation', () => {
		expect(csp).toEqual([]);
	});
});
