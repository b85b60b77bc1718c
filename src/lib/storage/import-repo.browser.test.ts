import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseText } from '$lib/core/import';
import { BASIC, DECK } from '$lib/core/import/testing/anki-fixtures';
import { CardState } from '$lib/core/model';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import {
	NOW,
	PNG,
	basicNotes,
	basicPackage,
	bundleOf,
	scenarioPackage
} from '$lib/workers/import-testing';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { readBackupTables } from './export-repo';
import { StorageFullError, writeImport } from './import-repo';
import { dropDb, freshDb } from './testing';
import { Rng } from '$lib/core/import/testing/mutate';
import type { ImportBundle } from '$lib/core/import';

let sql: SqlJsStatic;
let db: RecallDb;
beforeAll(async () => {
	sql = await loadSqlJs();
});
beforeEach(async () => {
	db = freshDb();
	// Every test starts from a store with something in it: a failed import must leave it as is.
	await syncBuiltinDeck(
		db,
		recallDeck({ id: 'history', title: 'History', notes: [deckNote({ id: 'a' })] }),
		NOW
	);
});
afterEach(async () => {
	vi.restoreAllMocks();
	await dropDb(db);
});

const utf8 = (text: string) => new TextEncoder().encode(text);
const count = async () => [
	await db.notes.count(),
	await db.cards.count(),
	await db.revlog.count(),
	await db.media.count()
];

describe('writing an import', () => {
	it('adds every note, card, review and media file of a package and counts them', async () => {
		const counts = await writeImport(db, bundleOf(sql, scenarioPackage(sql)));
		expect(counts).toEqual({ notes: 5, cards: 6, reviews: 6, media: 1, updated: 0, skipped: 0 });
		expect(await count()).toEqual([1 + 5, 1 + 6, 6, 1]);
		const deck = await db.decks.get(`anki-${DECK.id}`);
		expect([deck?.title, deck?.origin, deck?.presetId]).toEqual([
			'Languages::German',
			'import',
			'default'
		]);
		expect((await db.models.toArray()).map((m) => m.name).sort()).toEqual(['Basic', 'Cloze']);
		const image = await db.media.get('haus.png');
		expect([image?.type, new Uint8Array(await image!.data.arrayBuffer())]).toEqual([
			'image/png',
			PNG
		]);
	});

	it('stores the FSRS memory state rebuilt from each card’s history', async () => {
		await writeImport(db, bundleOf(sql, scenarioPackage(sql)));
		const studied = await db.cards
			.where('deckId')
			.equals(`anki-${DECK.id}`)
			.filter((c) => c.state !== CardState.New)
			.toArray();
		expect(studied.length).toBeGreaterThan(0);
		expect(studied.every((c) => c.stability > 0 && c.difficulty >= 1 && c.difficulty <= 10)).toBe(
			true
		);
		expect(
			(await db.revlog.toArray()).filter((r) => r.rating > 0).every((r) => r.stability > 0)
		).toBe(true);
	});

	it('should_skip_every_note_when_the_same_package_is_imported_again_without_doubling_history', async () => {
		const bundle = bundleOf(sql, scenarioPackage(sql));
		await writeImport(db, bundle);
		const before = await readBackupTables(db);
		const again = await writeImport(db, bundleOf(sql, scenarioPackage(sql)));
		expect(again).toEqual({ notes: 0, cards: 0, reviews: 0, media: 0, updated: 0, skipped: 5 });
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('should_update_a_stored_note_when_the_incoming_one_is_newer_keeping_its_cards_scheduling', async () => {
		await writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(3))));
		const cardId = `anki-${1_700_000_100_000}/0`;
		const studied = {
			...(await db.cards.get(cardId))!,
			state: CardState.Review,
			stability: 9,
			difficulty: 4,
			due: NOW + 5e8,
			reps: 4,
			rev: 7
		};
		await db.cards.put(studied);
		const newer = basicNotes(3, 1_700_000_100_000, 1_700_000_900);
		newer[0]!.fields = ['Front 0', 'Back 0, edited'];
		const counts = await writeImport(db, bundleOf(sql, basicPackage(sql, newer)));
		expect(counts).toEqual({ notes: 0, cards: 0, reviews: 0, media: 0, updated: 1, skipped: 2 });
		const note = await db.notes.get(`anki-${1_700_000_100_000}`);
		expect([note?.fields, note?.mtime]).toEqual([
			{ Front: 'Front 0', Back: 'Back 0, edited' },
			1_700_000_900_000
		]);
		expect(await db.cards.get(cardId)).toEqual(studied);
	});

	it('should_skip_a_stored_note_when_the_incoming_one_is_not_newer', async () => {
		await writeImport(
			db,
			bundleOf(sql, basicPackage(sql, basicNotes(2, 1_700_000_100_000, 1_700_000_900)))
		);
		const older = basicNotes(2, 1_700_000_100_000, 1_700_000_100);
		older[1]!.fields = ['changed', 'in an older copy'];
		const counts = await writeImport(db, bundleOf(sql, basicPackage(sql, older)));
		expect([counts.updated, counts.skipped, counts.notes]).toEqual([0, 2, 0]);
		expect((await db.notes.get(`anki-${1_700_000_100_001}`))?.fields).toEqual({
			Front: 'Front 1',
			Back: 'Back 1'
		});
	});

	it('should_match_notes_by_guid_not_id_so_a_copy_with_new_ids_is_not_duplicated', async () => {
		await writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(2))));
		// The same notes (same GUIDs) from a collection where they got other ids.
		const copy = basicNotes(2).map((n, i) => ({ ...n, id: 1_700_000_200_000 + i }));
		const counts = await writeImport(db, bundleOf(sql, basicPackage(sql, copy)));
		expect([counts.notes, counts.cards, counts.skipped]).toEqual([0, 0, 2]);
		expect(await db.notes.where('guid').equals(`g${1_700_000_100_000}`).count()).toBe(1);
	});

	it('gives a note whose id another note already has (different GUID) an id of its own', async () => {
		await writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(1))));
		const other = basicNotes(1).map((n) => ({
			...n,
			guid: 'someone-else',
			fields: ['Other', 'note']
		}));
		const counts = await writeImport(db, bundleOf(sql, basicPackage(sql, other)));
		expect([counts.notes, counts.cards]).toEqual([1, 1]);
		const notes = await db.notes
			.where('guid')
			.anyOf([`g${1_700_000_100_000}`, 'someone-else'])
			.toArray();
		expect(new Set(notes.map((n) => n.id)).size).toBe(2);
		expect(
			await db.cards
				.where('noteId')
				.anyOf(notes.map((n) => n.id))
				.count()
		).toBe(2);
	});

	it('puts text rows into the stored deck of the same name, in any case', async () => {
		const text = (rows: string) =>
			parseText(utf8(rows), 'words.csv', { front: 0, back: 1 }, { now: NOW, deckTitle: 'history' });
		const counts = await writeImport(db, text('Haus,house\nBaum,tree\n'));
		expect([counts.notes, counts.cards]).toEqual([2, 2]);
		expect(await db.decks.count()).toBe(1);
		expect(await db.cards.where('deckId').equals('history').count()).toBe(3);
		expect(await writeImport(db, text('Haus,house\n'))).toMatchObject({ notes: 0, skipped: 1 });
	});

	it('keeps a stored note type whose fields differ and stores the incoming one beside it', async () => {
		await writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(1))));
		const bundle = bundleOf(sql, basicPackage(sql, basicNotes(1, 1_700_000_300_000)));
		bundle.models = bundle.models.map((m) => ({ ...m, fields: ['Front', 'Back', 'Extra'] }));
		await writeImport(db, bundle);
		const models = await db.models.toArray();
		expect(models.map((m) => m.fields.length).sort()).toEqual([2, 3]);
		const added = await db.notes.get(`anki-${1_700_000_300_000}`);
		expect(added?.modelId).toMatch(new RegExp(`^anki-${BASIC.id}-`));
	});
});

describe('a failed import writes nothing', () => {
	it('rolls back notes and cards already written when the review log cannot be written', async () => {
		const before = await readBackupTables(db);
		vi.spyOn(db.revlog, 'bulkAdd').mockRejectedValueOnce(new Error('disk on fire'));
		await expect(writeImport(db, bundleOf(sql, scenarioPackage(sql)))).rejects.toThrow(
			'disk on fire'
		);
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('rolls back when IndexedDB refuses a row in the middle of the notes', async () => {
		const before = await readBackupTables(db);
		const bundle = bundleOf(sql, basicPackage(sql, basicNotes(5)));
		// A note without a key: IndexedDB throws a DataError on the fourth of five single-row chunks.
		delete (bundle.notes[3] as { id?: string }).id;
		bundle.notes[3]!.guid = 'no-id';
		await expect(writeImport(db, bundle, { chunkSize: 1 })).rejects.toThrow();
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('says “Storage is full” with what to do when the quota is exceeded', async () => {
		const before = await readBackupTables(db);
		vi.spyOn(db.cards, 'bulkAdd').mockRejectedValueOnce(
			new DOMException('quota', 'QuotaExceededError')
		);
		const failure = writeImport(db, bundleOf(sql, scenarioPackage(sql)));
		await expect(failure).rejects.toBeInstanceOf(StorageFullError);
		await expect(failure).rejects.toThrow(
			/^Storage is full: .*nothing was imported\. Free up space/
		);
		expect(await readBackupTables(db)).toEqual(before);
	});

	it('rolls back when cancelled part-way, and rejects with the cancel reason', async () => {
		const before = await readBackupTables(db);
		const controller = new AbortController();
		const reason = new Error('cancelled by the user');
		const progress: number[] = [];
		const write = writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(10))), {
			chunkSize: 2,
			signal: controller.signal,
			onProgress: (done) => {
				progress.push(done);
				if (done >= 4) controller.abort(reason);
			}
		});
		await expect(write).rejects.toBe(reason);
		expect(progress).toEqual([2, 4]);
		expect(await readBackupTables(db)).toEqual(before);
	});
});

describe('a failure at a random point of the write', () => {
	const TABLES = ['decks', 'models', 'notes', 'cards', 'revlog', 'media', 'presets'] as const;
	const METHODS = ['get', 'bulkGet', 'toArray', 'count', 'add', 'bulkAdd', 'bulkPut'] as const;
	type Method = (typeof METHODS)[number];
	type Call = (...args: unknown[]) => Promise<unknown>;

	/**
	 * Counts the calls the write makes to the store's tables and fails call `failAt` (0: none)
	 * with `error`: a rejected read or write at any step, as a disk or a browser might give.
	 */
	function injectFailure(target: RecallDb, failAt: number, error: Error) {
		let calls = 0;
		for (const table of TABLES) {
			for (const method of METHODS) {
				// One shape for every table: the spy only counts calls and passes them on.
				const store = target[table] as unknown as Record<Method, Call>;
				const original = store[method];
				vi.spyOn(store, method).mockImplementation((...args: unknown[]) =>
					++calls === failAt ? Promise.reject(error) : original.apply(store, args)
				);
			}
		}
		return () => calls;
	}

	/** A store with history in it, and an incoming import that adds, updates and skips. */
	async function setUp(target: RecallDb, rng: Rng): Promise<ImportBundle> {
		await syncBuiltinDeck(
			target,
			recallDeck({ id: 'history', title: 'History', notes: [deckNote({ id: 'a' })] }),
			NOW
		);
		await writeImport(target, bundleOf(sql, basicPackage(sql, basicNotes(4))));
		const kind = rng.int(3);
		if (kind === 0) return bundleOf(sql, scenarioPackage(sql));
		if (kind === 1) {
			// Newer copies of two stored notes (updates), two stored as they are, three new.
			const notes = basicNotes(7, 1_700_000_100_000, 1_700_000_900);
			notes[0]!.fields = ['Front 0', 'edited'];
			notes[1]!.fields = ['Front 1', 'edited'];
			notes[2]!.mod = notes[3]!.mod = 1_700_000_500;
			return bundleOf(sql, basicPackage(sql, notes));
		}
		return parseText(
			utf8('Haus,house\nBaum,tree\nWeg,way\n'),
			'words.csv',
			{ front: 0, back: 1 },
			{ now: NOW, deckTitle: 'history' }
		);
	}

	it('leaves the store exactly as before, in 20 seeded cases', async () => {
		const seed = 20250115;
		for (let i = 0; i < 20; i++) {
			const chunkSize = 1 + (i % 4);
			// How many store calls this write makes, counted on an identical store.
			const probe = freshDb();
			let total: number;
			try {
				const incoming = await setUp(probe, new Rng(seed + i));
				const calls = injectFailure(probe, 0, new Error('unused'));
				await writeImport(probe, incoming, { chunkSize });
				total = calls();
			} finally {
				vi.restoreAllMocks();
				await dropDb(probe);
			}
			const rng = new Rng(seed + i);
			const target = freshDb();
			try {
				const incoming = await setUp(target, rng);
				const before = await readBackupTables(target);
				const failAt = 1 + rng.int(total);
				const quota = rng.chance(0.3);
				const error = quota
					? new DOMException('quota', 'QuotaExceededError')
					: new Error(`injected failure at store call ${failAt} of ${total} (case ${i})`);
				const calls = injectFailure(target, failAt, error);
				const write = writeImport(target, incoming, { chunkSize });
				if (quota) await expect(write).rejects.toBeInstanceOf(StorageFullError);
				else await expect(write).rejects.toThrow(error.message);
				expect(calls()).toBeGreaterThanOrEqual(failAt);
				vi.restoreAllMocks();
				expect(await readBackupTables(target)).toEqual(before);
			} finally {
				vi.restoreAllMocks();
				await dropDb(target);
			}
		}
	});
});

it('reports progress in rows written, up to all rows', async () => {
	const seen: [number, number][] = [];
	await writeImport(db, bundleOf(sql, basicPackage(sql, basicNotes(5))), {
		chunkSize: 2,
		onProgress: (done, total) => seen.push([done, total])
	});
	expect(seen.at(-1)).toEqual([10, 10]);
	// Notes 2, 4, 5; cards 7, 9, 10; no review log; media last.
	expect(seen.map(([done]) => done)).toEqual([2, 4, 5, 7, 9, 10, 10]);
});
