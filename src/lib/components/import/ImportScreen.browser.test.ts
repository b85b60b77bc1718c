import { flushSync, mount, unmount } from 'svelte';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImportJob, importSummary } from '$lib/state/import-job.svelte';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import { NOW, csvFile, fileOf, scenarioPackage } from '$lib/workers/import-testing';
import ImportScreen from './ImportScreen.svelte';

let sql: SqlJsStatic;
let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;
let job: ImportJob;

beforeAll(async () => {
	sql = await loadSqlJs();
});
beforeEach(() => {
	db = freshDb();
	target = document.createElement('div');
	document.body.append(target);
	job = new ImportJob({ db: () => db, clock: () => NOW, timeZone: () => 'UTC' });
	component = mount(ImportScreen, { target, props: { job } });
});
afterEach(async () => {
	if (component) await unmount(component);
	target.remove();
	await dropDb(db);
});

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 500; i++) {
		flushSync();
		if (check()) return;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`timed out waiting for ${what}; status: "${status()}"`);
}

const status = () => target.querySelector('[role="status"]')?.textContent?.trim() ?? '';
const button = (name: string) =>
	[...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

function pick(file: File) {
	const input = target.querySelector<HTMLInputElement>('input[type="file"]')!;
	const transfer = new DataTransfer();
	transfer.items.add(file);
	input.files = transfer.files;
	input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('the import screen', () => {
	it('has a labelled file input and an empty status region before anything happens', () => {
		const input = target.querySelector('input[type="file"]');
		expect(target.querySelector(`label[for="${input?.id}"]`)?.textContent).toBe(
			'Choose a file to import'
		);
		expect(status()).toBe('');
	});

	it('previews a CSV, lets the columns be mapped, then imports and states the counts', async () => {
		pick(
			csvFile(
				[
					['Haus', 'house', 'noun'],
					['Baum', 'tree', 'noun'],
					['<img src=x onerror=alert(1)>', 'x', '']
				],
				'German words.csv'
			)
		);
		await until(() => !!target.querySelector('table'), 'the preview');
		const cells = [...target.querySelectorAll('tbody tr:first-child td')].map(
			(td) => td.textContent
		);
		expect(cells).toEqual(['Haus', 'house', 'noun']);
		// File contents are text: the markup in a cell is shown, not run.
		expect(target.querySelector('table img')).toBeNull();
		expect(target.querySelector('tbody')?.textContent).toContain('<img src=x onerror=alert(1)>');
		const selects = [...target.querySelectorAll('select')];
		expect(selects.map((s) => target.querySelector(`label[for="${s.id}"]`)?.textContent)).toEqual([
			'Front',
			'Back',
			'Tags',
			'Deck',
			'GUID'
		]);
		selects[2]!.value = '2';
		selects[2]!.dispatchEvent(new Event('change', { bubbles: true }));
		button('Import')!.click();
		await until(() => job.phase === 'done', 'the import');
		expect(status()).toBe('Imported 3 notes, 3 cards, 0 reviews.');
		const deck = (await db.decks.toArray())[0];
		expect(deck?.title).toBe('German words');
		expect(
			(await db.notes.orderBy('id').toArray())
				.sort((a, b) => a.position - b.position)
				.map((n) => n.tags)
		).toEqual([['noun'], ['noun'], []]);
	});

	it('imports an .apkg at once and states notes, cards, reviews and media files', async () => {
		pick(fileOf(scenarioPackage(sql), 'German.apkg'));
		await until(() => job.phase === 'done', 'the import');
		expect(status()).toBe('Imported 5 notes, 6 cards, 6 reviews, 1 media file.');
		expect(target.querySelector('a[href="/"]')?.textContent).toBe('Go to your decks');
		pick(fileOf(scenarioPackage(sql), 'German.apkg'));
		await until(() => job.phase === 'done' && status().includes('skipped'), 'the second import');
		expect(status()).toBe('Imported 0 notes, 0 cards, 0 reviews; 5 skipped (already in Recall).');
	});

	it('states what is wrong with a bad file, where, and what to do, in the status region', async () => {
		pick(new File(['front,back\n"open,quote\n'], 'broken.csv'));
		// The preview already reads the rows, so the file is refused before any mapping.
		await until(() => job.phase === 'failed', 'the failure');
		expect(status()).toBe(
			'Could not import: broken.csv, line 2: unbalanced quote: a quoted field is never closed. Nothing was imported. Correct the file there (in a spreadsheet or a text editor), save it as UTF-8 text and import it again.'
		);
		expect(await db.notes.count()).toBe(0);
	});

	it('takes no "Before an import" snapshot for a file that is refused, one for a file written', async () => {
		const importSnapshots = () => db.snapshots.filter((s) => s.reason === 'import').count();
		// A collection worth a snapshot (an empty one is not snapshotted).
		pick(fileOf(scenarioPackage(sql), 'German.apkg'));
		await until(() => job.phase === 'done', 'the first import');
		expect(await importSnapshots()).toBe(0);
		for (let i = 0; i < 3; i++) {
			job.reset();
			pick(new File([Uint8Array.from({ length: 512 }, (_, k) => k % 251)], 'Broken.apkg'));
			await until(() => job.phase === 'failed', 'the failure');
		}
		expect(status()).toMatch(/^Could not import: Broken\.apkg: this file is not an Anki package/);
		expect(await importSnapshots()).toBe(0);
		job.reset();
		pick(csvFile([['Baum', 'tree']], 'More.csv'));
		await until(() => job.phase === 'preview', 'the preview');
		await job.confirmColumns();
		await until(() => job.phase === 'done', 'the second import');
		expect(await importSnapshots()).toBe(1);
	});

	it('cancels from the progress bar: nothing is imported and the status says so', async () => {
		pick(fileOf(scenarioPackage(sql), 'German.apkg'));
		flushSync();
		expect(target.querySelector('progress')).not.toBeNull();
		button('Cancel')!.click();
		await until(() => job.phase === 'cancelled', 'the cancellation');
		expect(status()).toBe('Import cancelled: nothing was imported.');
		expect(await db.notes.count()).toBe(0);
	});
});

it('can write on the page from the bundle the worker posts back, with the same outcome', async () => {
	const onPage = new ImportJob({
		db: () => db,
		clock: () => NOW,
		timeZone: () => 'UTC',
		writeInWorker: false
	});
	await onPage.choose(fileOf(scenarioPackage(sql), 'German.apkg'));
	expect([onPage.phase, onPage.message]).toEqual([
		'done',
		'Imported 5 notes, 6 cards, 6 reviews, 1 media file.'
	]);
	expect(await db.revlog.count()).toBe(6);
});

describe('the import summary', () => {
	it.each([
		[
			{ notes: 196, cards: 196, reviews: 237, media: 3, updated: 0, skipped: 0 },
			'Imported 196 notes, 196 cards, 237 reviews, 3 media files.'
		],
		[
			{ notes: 1, cards: 2, reviews: 1, media: 0, updated: 0, skipped: 0 },
			'Imported 1 note, 2 cards, 1 review.'
		],
		[
			{ notes: 0, cards: 1, reviews: 0, media: 0, updated: 2, skipped: 5 },
			'Imported 0 notes, 1 card, 0 reviews; 2 notes updated, 5 skipped (already in Recall).'
		]
	])('states %o as %j', (counts, text) => {
		expect(importSummary(counts)).toBe(text);
	});
});
