import { mount, unmount } from 'svelte';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBackup } from '$lib/core/export/backup';
import { importAnki } from '$lib/core/import';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { BackupActions, fileNameFor } from '$lib/state/backup.svelte';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import type { RecallDb } from '$lib/storage/db';
import { lastBackupAt, readBackupTables } from '$lib/storage/export-repo';
import { saveSyncAccount } from '$lib/storage/sync-repo';
import { dropDb, freshDb, testAccount } from '$lib/storage/testing';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import { NOW } from '$lib/workers/import-testing';
import BackupPanel from './BackupPanel.svelte';
import { until } from '$lib/components/testing';

let sql: SqlJsStatic;
let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;
let downloads: { blob: Blob; name: string }[];

beforeAll(async () => {
	sql = await loadSqlJs();
});
beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({
			id: 'history',
			title: 'History / Russia',
			notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })]
		}),
		NOW
	);
	downloads = [];
	target = document.createElement('div');
	document.body.append(target);
	const actions = new BackupActions({
		db: () => db,
		clock: () => NOW,
		timeZone: () => 'UTC',
		download: (blob, name) => downloads.push({ blob, name })
	});
	component = mount(BackupPanel, { target, props: { actions } });
	await until(() => !!button('Export as .apkg'), 'the deck list');
	// The panel's mount goes on reading (last backup, first review, sign-in) after the deck list:
	// read once more here, after it, so no test drops the store under those reads.
	await actions.load();
});
afterEach(async () => {
	if (component) await unmount(component);
	target.remove();
	await dropDb(db);
});

const status = () => target.querySelector('[role="status"]')?.textContent?.trim() ?? '';
const alert = () => target.querySelector('[role="alert"]')?.textContent?.trim() ?? '';
const button = (name: string) =>
	[...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

/** Chooses `blob` as the file to restore from, as the file picker does. */
function chooseRestore(blob: Blob, name: string) {
	const input = [...target.querySelectorAll<HTMLInputElement>('input[type="file"]')][0]!;
	const transfer = new DataTransfer();
	transfer.items.add(new File([blob], name));
	input.files = transfer.files;
	input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('the backup panel', () => {
	it('downloads the whole collection and records when', async () => {
		button('Download backup')!.click();
		await until(() => downloads.length === 1, 'the download');
		expect(downloads[0]?.name).toBe('recall-backup-2025-01-15.json');
		const backup = parseBackup(await downloads[0]!.blob.text(), 'b.json');
		expect(backup.notes.map((n) => n.id)).toEqual(['history/a', 'history/b']);
		expect(await lastBackupAt(db)).toBe(NOW);
		await until(() => status() !== '', 'the status');
		expect(status()).toBe('Backup downloaded as recall-backup-2025-01-15.json.');
		expect(target.textContent).toContain('Last backup:');
	});

	it('restores a backup only after confirmation, replacing everything', async () => {
		button('Download backup')!.click();
		await until(() => downloads.length === 1, 'the download');
		const saved = await readBackupTables(db);
		await syncBuiltinDeck(db, recallDeck({ id: 'later', title: 'Added later' }), NOW);
		chooseRestore(downloads[0]!.blob, 'recall-backup.json');
		await until(() => !!button('Replace everything'), 'the confirmation');
		expect(target.querySelector('#confirm-text')?.textContent?.replace(/\s+/g, ' ')).toBe(
			'Replace everything in Recall with recall-backup.json (1 deck, 2 notes, 0 reviews)? What is in Recall now will be gone.'
		);
		expect(await db.decks.count()).toBe(2);
		button('Replace everything')!.click();
		await until(() => status().startsWith('Restored'), 'the restore');
		expect(status()).toBe(
			'Restored 1 deck, 2 notes, 2 cards, 0 reviews and 0 media files from recall-backup.json.'
		);
		// Exactly the store the backup was made from, and the file's own time as the last backup.
		expect(await readBackupTables(db)).toEqual({
			...saved,
			meta: [{ key: 'lastBackupAt', value: NOW }]
		});
		expect(target.textContent).toContain('Last backup:');
	});

	it('says what a restore does on a device signed in since the page opened', async () => {
		button('Download backup')!.click();
		await until(() => downloads.length === 1, 'the download');
		await saveSyncAccount(db, testAccount());
		chooseRestore(downloads[0]!.blob, 'recall-backup.json');
		await until(() => !!button('Replace everything'), 'the confirmation');
		const text = target.querySelector('#confirm-text')?.textContent?.replace(/\s+/g, ' ');
		expect(text).toContain('on your other devices too at the next sync');
		expect(text).toContain('No review is removed');
		expect(text).not.toContain('will be gone');
	});

	it('refuses a damaged backup with a message and changes nothing', async () => {
		const before = await readBackupTables(db);
		const input = target.querySelector<HTMLInputElement>('input[type="file"]')!;
		const transfer = new DataTransfer();
		transfer.items.add(new File(['{"format":"recall-backup","version":1}'], 'old.json'));
		input.files = transfer.files;
		input.dispatchEvent(new Event('change', { bubbles: true }));
		await until(() => alert() !== '', 'the message');
		expect(alert()).toBe('Nothing was restored from "old.json": the backup has no "decks" list.');
		expect(button('Replace everything')).toBeUndefined();
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('refuses a CSV file in words, saying what to choose instead, and changes nothing', async () => {
		const before = await readBackupTables(db);
		const input = target.querySelector<HTMLInputElement>('input[type="file"]')!;
		const transfer = new DataTransfer();
		transfer.items.add(new File(['front,back\nCapital of France,Paris\n'], 'cards.csv'));
		input.files = transfer.files;
		input.dispatchEvent(new Event('change', { bubbles: true }));
		await until(() => alert() !== '', 'the message');
		expect(alert()).toBe(
			'Nothing was restored from "cards.csv": it is not a Recall backup but looks like a CSV file. To restore, choose the .json file that “Download backup” saved (named like recall-backup-2026-01-15.json); to add the cards in this file, use Import instead.'
		);
		expect(alert()).not.toMatch(/JSON\.parse|Unexpected token/);
		expect(button('Replace everything')).toBeUndefined();
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('exports a deck as an .apkg Anki reads, and as CSV, named after the deck', async () => {
		button('Export as .apkg')!.click();
		await until(() => downloads.length === 1, 'the package');
		expect(downloads[0]?.name).toBe('History - Russia.apkg');
		const bundle = importAnki(new Uint8Array(await downloads[0]!.blob.arrayBuffer()), {
			fileName: 'x.apkg',
			now: NOW,
			sql
		});
		expect(bundle.notes.map((n) => n.guid)).toEqual(['history/a', 'history/b']);
		button('Export as CSV')!.click();
		await until(() => downloads.length === 2, 'the CSV');
		expect(downloads[1]?.name).toBe('History - Russia.csv');
		const csv = new Uint8Array(await downloads[1]!.blob.arrayBuffer());
		// Anki's text-import headers open the file: no BOM before them, no header row after.
		expect(new TextDecoder().decode(csv.slice(0, 17))).toBe('#separator:comma\r');
		const lines = (await downloads[1]!.blob.text()).split('\r\n');
		expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(7);
		expect(lines.slice(7, -1).map((l) => l.split(',')[4])).toEqual(['history/a', 'history/b']);
		button('Export review log (CSV)')!.click();
		await until(() => downloads.length === 3, 'the review log');
		expect([downloads[2]?.name, await downloads[2]!.blob.text()]).toEqual([
			'recall-review-log.csv',
			'card_id,review_time,review_rating,review_duration\r\n'
		]);
	});
});

it('makes safe file names from deck titles', () => {
	expect([
		fileNameFor('A/B:C*?', 'csv'),
		fileNameFor('  ', 'apkg'),
		fileNameFor('Lang::German', 'apkg')
	]).toEqual(['A-B-C-.csv', 'deck.apkg', 'Lang-German.apkg']);
});
