/**
 * Importing on a phone, against the production build: a CSV through its preview and column
 * mapping, an Anki package with history and media, a file that is not an Anki package, and the
 * imported decks on the home page. Files are written to a temporary folder and picked with
 * `setInputFiles`, as a user picks them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildCollection, legacyPackage } from '../../src/lib/core/import/testing/anki-fixtures';
import { scenario } from '../../src/lib/core/import/testing/anki-scenario';
import { loadSqlJs } from '../../src/lib/core/import/testing/node-sql';
import { axeViolations } from './axe';
import { horizontalOverflow, launch, phoneContext, watchCsp } from './browser';

const baseURL = inject('baseURL');
/** A 1×1 PNG, the package's one media file. */
const PNG = Uint8Array.from(
	atob(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
	),
	(c) => c.charCodeAt(0)
);

describe('importing decks on a phone', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let csp: string[];
	let dir: string;

	beforeAll(async () => {
		browser = await launch();
		context = await phoneContext(browser, baseURL);
		page = await context.newPage();
		csp = watchCsp(page);
		dir = mkdtempSync(join(tmpdir(), 'recall-import-e2e-'));
	});
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/** The page's one status region (hidden while it is empty). */
	const status = () => page.locator('[role="status"]').textContent();

	async function pick(name: string, contents: string | Uint8Array): Promise<void> {
		const path = join(dir, name);
		writeFileSync(path, contents);
		await page.goto('/import');
		await page.locator('input[type="file"]').setInputFiles(path);
	}

	it('previews a CSV, maps its columns and imports it', async () => {
		await pick(
			'Spanish verbs.csv',
			'Word,Meaning,Tags\nhablar,to speak,verb\ncomer,"to eat,\nto have lunch",verb\nvivir,to live,verb\n'
		);
		await page.getByRole('table').waitFor();
		expect(await page.getByRole('cell', { name: 'hablar', exact: true }).count()).toBe(1);
		await page.getByLabel('Front', { exact: true }).selectOption({ label: 'Column 1: Word' });
		await page.getByLabel('Back', { exact: true }).selectOption({ label: 'Column 2: Meaning' });
		await page.getByLabel('Tags', { exact: true }).selectOption({ label: 'Column 3: Tags' });
		await page.getByLabel('Deck for rows without one').fill('Spanish verbs');
		expect(await axeViolations(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await expect
			.poll(status, { timeout: 30_000 })
			.toContain('Imported 3 notes, 3 cards, 0 reviews');
		expect(await page.getByRole('link', { name: 'Go to your decks' }).count()).toBe(1);
	});

	it('imports an Anki package with its review history and media', async () => {
		const sql = await loadSqlJs();
		await pick(
			'German.apkg',
			legacyPackage(buildCollection(sql, scenario(11)), { 'haus.png': PNG })
		);
		await expect
			.poll(status, { timeout: 30_000 })
			.toContain('Imported 5 notes, 6 cards, 6 reviews, 1 media file');
	});

	it('says what is wrong with a zip that is not an Anki package, and imports nothing', async () => {
		await pick('not-a-deck.apkg', zipSync({ 'notes.txt': strToU8('hello') }));
		await expect
			.poll(status, { timeout: 30_000 })
			.toContain('not-a-deck.apkg: this zip is not an Anki package');
		expect(await status()).toMatch(/^Could not import: /);
	});

	it('lists the imported decks on the home page, each with a Study link', async () => {
		await page.goto('/');
		for (const title of ['Spanish verbs', 'Languages::German']) {
			const link = page.getByRole('link', { name: `Study ${title}` });
			await link.waitFor();
			expect(await link.count()).toBe(1);
		}
		expect(csp).toEqual([]);
	});
});
