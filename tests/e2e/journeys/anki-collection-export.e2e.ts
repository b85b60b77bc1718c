/**
 * Issue 17, item 11: the whole collection leaves Recall as one Anki package. On a phone against
 * the production build, a profile imports an Anki package (two decks, a cloze, reviews, an image
 * and a sound) and a deck of its own, then Settings › Backup exports "All decks" as an .apkg and
 * the collection as a .colpkg; each download has its name, and a fresh profile importing it
 * through /import gets every row back: notes, cards, reviews, decks, note types, media.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SqlJsStatic } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCollection, latestPackage } from '../../../src/lib/core/import/testing/anki-fixtures';
import { scenario } from '../../../src/lib/core/import/testing/anki-scenario';
import { loadSqlJs } from '../../../src/lib/core/import/testing/node-sql';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';
import { storeRows } from './import-helpers';

const PNG = Uint8Array.from(
	atob(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
	),
	(c) => c.charCodeAt(0)
);
const MP3 = new Uint8Array([73, 68, 51, 4, 0, 0, 0, 0, 0, 0]);
const TABLES = ['decks', 'notes', 'cards', 'revlog', 'models', 'media'] as const;

/** How many rows each table holds, and the deck titles, as stored. */
async function storeSummary(page: Page) {
	const counts = {} as Record<(typeof TABLES)[number], number>;
	for (const table of TABLES) counts[table] = (await storeRows(page, table)).length;
	const titles = (await storeRows<{ title: string }>(page, 'decks')).map((d) => d.title).sort();
	const media = (await storeRows<{ name: string }>(page, 'media')).map((m) => m.name).sort();
	return { counts, titles, media };
}

async function importFile(page: Page, path: string): Promise<string> {
	await page.goto('/');
	await waitForDeckCounts(page);
	await page.goto('/import');
	const picker = page.getByLabel('Choose a file to import');
	await picker.waitFor({ state: 'attached' });
	await picker.setInputFiles(path);
	const status = page.locator('[role="status"]').filter({ hasText: /^Imported|^Could not/ });
	await status.first().waitFor({ timeout: 30_000 });
	return (await status.first().textContent()) ?? '';
}

describe('exporting every deck at once', () => {
	let sql: SqlJsStatic;
	let dir: string;
	beforeAll(async () => {
		sql = await loadSqlJs();
		dir = mkdtempSync(join(tmpdir(), 'recall-colpkg-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('downloads All decks as .apkg and the collection as .colpkg, and both re-import whole', async () => {
		const spec = scenario(18);
		spec.notes![0]!.fields = ['Haus <img src="haus.png">', 'house [sound:haus.mp3]'];
		const source = join(dir, 'German.apkg');
		writeFileSync(
			source,
			latestPackage(sql, buildCollection(sql, spec), { 'haus.png': PNG, 'haus.mp3': MP3 })
		);

		const j = await startJourney();
		const { page } = j;
		const first = await importFile(page, source);
		expect(first).toMatch(/^Imported 5 notes, 6 cards, \d+ reviews, 2 media files\./);
		// And a deck of Recall's own, with a note added on the phone.
		await page.goto('/add');
		await page.getByRole('button', { name: 'New deck' }).tap();
		await page.getByLabel('Name of the new deck').fill('Own words');
		await page.getByRole('button', { name: 'Create', exact: true }).tap();
		await page.getByLabel('Front', { exact: true }).fill('Baum');
		await page.getByLabel('Back', { exact: true }).fill('tree');
		await page.getByRole('button', { name: 'Add note' }).tap();
		await page.locator('form .added[role="status"]').waitFor();
		const before = await storeSummary(page);
		// The profile's built-in decks come along too.
		expect(before.titles).toEqual(expect.arrayContaining(['Languages::German', 'Own words']));
		expect(before.counts).toMatchObject({ models: 2, media: 2 });
		const builtIn = before.counts.notes - 6;

		await page.goto('/settings');
		const all = page.getByRole('group', { name: 'All decks', exact: true });
		await all.scrollIntoViewIfNeeded();
		await page.screenshot({ path: '/tmp/anki-settings-export-light.png' });
		const files: Record<string, string> = {};
		for (const [button, pattern, status] of [
			['Export all as .apkg', /^recall-all-decks-\d{4}-\d{2}-\d{2}\.apkg$/, 'all decks'],
			[
				'Export collection (.colpkg)',
				/^recall-collection-\d{4}-\d{2}-\d{2}\.colpkg$/,
				'the collection'
			]
		] as const) {
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				all.getByRole('button', { name: button }).tap()
			]);
			const name = download.suggestedFilename();
			expect(name).toMatch(pattern);
			files[name.split('.').at(-1)!] = join(dir, name);
			await download.saveAs(join(dir, name));
			await expect
				.poll(() =>
					page
						.getByRole('status')
						.filter({ hasText: `Exported ${status}` })
						.count()
				)
				.toBe(1);
			expect(await page.getByRole('status').filter({ hasText: 'Exported' }).textContent()).toBe(
				`Exported ${status} (${before.counts.decks} decks) as ${name}.`
			);
		}
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();

		for (const kind of ['colpkg', 'apkg']) {
			const k = await startJourney();
			const status = await importFile(k.page, files[kind]!);
			// A fresh profile holds the built-in decks already: those notes are found by GUID, never
			// duplicated; everything else is added.
			expect(status, kind).toBe(
				`Imported 6 notes, 7 cards, ${before.counts.revlog} reviews, 2 media files; ${builtIn} skipped (already in Recall).`
			);
			const after = await storeSummary(k.page);
			// Recall's own deck comes back with Recall's note types beside the Anki deck's.
			expect(after.titles, kind).toEqual(before.titles);
			expect(after.media, kind).toEqual(['haus.mp3', 'haus.png']);
			expect(after.counts, kind).toEqual({ ...before.counts, models: before.counts.models + 1 });
			await k.finish();
		}
	});

	it('shows the All decks exports in dark mode, readable and axe-clean', async () => {
		const j = await startJourney({ colorScheme: 'dark' });
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		await page.goto('/settings');
		const all = page.getByRole('group', { name: 'All decks', exact: true });
		await all.scrollIntoViewIfNeeded();
		for (const name of ['Export all as .apkg', 'Export collection (.colpkg)']) {
			const box = (await all.getByRole('button', { name }).boundingBox())!;
			expect(box.height, name).toBeGreaterThanOrEqual(48);
		}
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: '/tmp/anki-settings-export-dark.png' });
		await j.finish();
	});

	it('says what a package without notes holds, and imports nothing from it', async () => {
		const empty = join(dir, 'Empty.apkg');
		writeFileSync(
			empty,
			latestPackage(sql, buildCollection(sql, { schema: 18, notes: [], cards: [] }))
		);
		const j = await startJourney();
		const before = await (async () => {
			await j.page.goto('/');
			await waitForDeckCounts(j.page);
			return storeSummary(j.page);
		})();
		const status = await importFile(j.page, empty);
		expect(status).toBe(
			'Could not import: Empty.apkg: this package holds no notes, only 1 deck ("Languages::German") and 1 note type ("Basic"), which Recall imports with the notes that use them. Nothing was imported. In Anki, export the deck that holds the cards (File › Export…, “Anki Deck Package”, with that deck chosen) and import the new file.'
		);
		expect(await storeSummary(j.page)).toEqual(before);
		await expectNoHorizontalOverflow(j.page);
		await j.finish();
	});
});
