import { Dexie } from 'dexie';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBackup } from '$lib/core/export/backup';
import { importAnki } from '$lib/core/import';
import { DECK } from '$lib/core/import/testing/anki-fixtures';
import { CardState, type Card } from '$lib/core/model';
import { studyDayNumber } from '$lib/core/scheduling/day';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { gradeCard } from '$lib/core/scheduling/scheduler';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import { NOW, PRESET, bundleOf, scenarioPackage } from '$lib/workers/import-testing';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import {
	createBackup,
	exportDeckApkg,
	exportDeckCsv,
	exportRevlogCsv,
	LAST_BACKUP_KEY,
	lastBackupAt,
	readBackupTables,
	readBackupTablesPaged,
	recordBackup,
	restoreBackup
} from './export-repo';
import { writeImport } from './import-repo';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

let sql: SqlJsStatic;
const open: RecallDb[] = [];
const store = () => {
	const db = freshDb();
	open.push(db);
	return db;
};
let db: RecallDb;
const ANKI_DECK = `anki-${DECK.id}`;

beforeAll(async () => {
	sql = await loadSqlJs();
});

/** A store with a bit of everything: a built-in deck studied once, an Anki import, a preset, meta. */
beforeEach(async () => {
	db = store();
	await syncBuiltinDeck(
		db,
		recallDeck({
			id: 'history',
			title: 'History',
			notes: [deckNote({ id: 'a' }), deckNote({ id: 'b', type: 'cloze', text: '{{c1::x}}' })]
		}),
		NOW
	);
	const card = (await db.cards.get('history/a/0'))!;
	const graded = gradeCard(card, 3, PRESET, NOW + 1000, { timeZone: 'UTC' });
	await saveGrade(db, card, graded.card, graded.log, null);
	await writeImport(db, bundleOf(sql, scenarioPackage(sql)));
	await db.presets.put(createDefaultPreset({ id: 'slow', name: 'Slow', desiredRetention: 0.8 }));
	await db.meta.put({ key: 'builtin', value: { history: 1 } });
});
afterEach(async () => {
	vi.restoreAllMocks();
	for (const d of open.splice(0)) await dropDb(d);
});

describe('the whole-collection backup', () => {
	it('restores to an identical store: every table, review-log ids and media bytes', async () => {
		const original = await readBackupTables(db);
		expect([original.revlog.length, original.media.length, original.presets.length]).toEqual([
			7, 1, 2
		]);
		const text = await (await createBackup(db, NOW)).text();
		const target = store();
		await syncBuiltinDeck(target, recallDeck({ id: 'other', title: 'To be replaced' }), NOW);
		const counts = await restoreBackup(target, parseBackup(text, 'recall-backup.json'));
		expect(counts).toEqual({ decks: 2, notes: 7, cards: 8, reviews: 7, media: 1 });
		// The file records itself as the last backup: the one change a restore from it makes.
		expect(await readBackupTables(target)).toEqual({
			...original,
			meta: [...original.meta, { key: LAST_BACKUP_KEY, value: NOW }]
		});
	});

	it('keeps "Last backup" through a restore: the later of this device’s and the file’s', async () => {
		const text = await (await createBackup(db, NOW)).text();
		const target = store();
		await recordBackup(target, NOW + 5_000);
		await restoreBackup(target, parseBackup(text, 'recall-backup.json'));
		expect(await lastBackupAt(target)).toBe(NOW + 5_000);
		// A device that never downloaded one takes the file's time.
		const fresh = store();
		await restoreBackup(fresh, parseBackup(text, 'recall-backup.json'));
		expect(await lastBackupAt(fresh)).toBe(NOW);
		// A backup without the key (a snapshot taken before any download) resets nothing.
		const snapshotLike = parseBackup(text, 'snapshot');
		snapshotLike.meta = snapshotLike.meta.filter((m) => m.key !== LAST_BACKUP_KEY);
		await restoreBackup(fresh, snapshotLike);
		expect(await lastBackupAt(fresh)).toBe(NOW);
	});

	it('leaves the store as it was when a restore fails part-way', async () => {
		const text = await (await createBackup(db, NOW)).text();
		const target = store();
		await syncBuiltinDeck(target, recallDeck({ id: 'mine', title: 'Mine' }), NOW);
		const before = await readBackupTables(target);
		vi.spyOn(target.meta, 'bulkAdd').mockRejectedValueOnce(new Error('interrupted'));
		await expect(restoreBackup(target, parseBackup(text, 'b.json'))).rejects.toThrow('interrupted');
		expect(await readBackupTables(target)).toEqual(before);
	});

	it('reads the same tables a page at a time (snapshots), letting writes through between pages', async () => {
		const whole = await readBackupTables(db);
		// Pages of 2 rows: every table spans several transactions.
		expect(await readBackupTablesPaged(db, 2)).toEqual(whole);
		// A write issued while the review log is being read goes through between two pages, so the
		// read, reaching meta later, sees it; one read transaction would hold it until the end.
		let write: Promise<unknown> | undefined;
		const onRead = (row: unknown) => {
			// Outside the read's transaction, as a grade from the page would be.
			write ??= Dexie.ignoreTransaction(() => db.meta.put({ key: 'during', value: 1 }));
			return row;
		};
		db.revlog.hook('reading', onRead);
		const tables = await readBackupTablesPaged(db, 1);
		db.revlog.hook('reading').unsubscribe(onRead);
		await write;
		expect(tables.meta.map((m) => m.key)).toContain('during');
	});

	it('remembers when the last backup was downloaded', async () => {
		expect(await lastBackupAt(db)).toBeUndefined();
		await recordBackup(db, NOW + 5);
		expect(await lastBackupAt(db)).toBe(NOW + 5);
	});
});

describe('exporting a deck', () => {
	const dueDay = (c: Card) =>
		c.state === CardState.Review ? { ...c, due: studyDayNumber(c.due, 4, 'UTC') } : c;

	it('as an .apkg that imports into an empty store identically, history included', async () => {
		const apkg = await exportDeckApkg(db, ANKI_DECK, { sql, now: NOW, timeZone: 'UTC' });
		const target = store();
		const counts = await writeImport(target, bundleOf(sql, apkg, 'German.apkg'));
		expect(counts).toEqual({ notes: 5, cards: 6, reviews: 6, media: 0, updated: 0, skipped: 0 });
		const [from, to] = [await readBackupTables(db), await readBackupTables(target)];
		const of = (t: typeof from) => ({
			notes: t.notes.filter((n) => n.deckId === ANKI_DECK),
			cards: t.cards.filter((c) => c.deckId === ANKI_DECK).map(dueDay),
			revlog: t.revlog.filter((r) => r.deckId === ANKI_DECK).map(({ id: _, ...r }) => r),
			models: t.models
		});
		expect(of(to)).toEqual(of(from));
	});

	it('as an .apkg that changes nothing when imported back into the same store', async () => {
		const apkg = await exportDeckApkg(db, 'history', { sql, now: NOW, timeZone: 'UTC' });
		const bundle = importAnki(apkg, { fileName: 'History.apkg', now: NOW, sql });
		expect(bundle.revlog).toHaveLength(1);
		const before = await readBackupTables(db);
		// Recall's own notes come back as Anki notes: matched by GUID, they are skipped.
		expect(await writeImport(db, bundle)).toEqual({
			notes: 0,
			cards: 0,
			reviews: 0,
			media: 0,
			updated: 0,
			skipped: 2
		});
		const after = await readBackupTables(db);
		expect(after.notes).toEqual(before.notes);
		expect(after.cards).toEqual(before.cards);
		expect(after.revlog).toEqual(before.revlog);
	});

	it('as CSV with Anki’s # headers and one row per note', async () => {
		const csv = await exportDeckCsv(db, 'history');
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('#separator:comma');
		expect(lines[2]).toBe('#columns:Front,Back,Tags,Deck,GUID,Note type,Extra,Reverse prompt');
		expect(lines.slice(7, -1).map((l) => l.split(',').slice(3, 6))).toEqual([
			['History', 'history/a', 'Basic'],
			['History', 'history/b', 'Cloze']
		]);
	});

	it('and the review log as CSV in the FSRS tools’ format', async () => {
		const lines = (await exportRevlogCsv(db)).split('\r\n');
		expect(lines[0]).toBe('\ufeffcard_id,review_time,review_rating,review_duration');
		// 6 graded rows from Anki (one manual reschedule left out) and the one review of "history".
		expect(lines.slice(1, -1)).toHaveLength(6);
		expect(lines).toContain(`history/a/0,${new Date(NOW + 1000).toISOString()},3,0`);
	});
});
