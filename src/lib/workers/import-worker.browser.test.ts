import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { importAnki } from '$lib/core/import';
import {
	ImportCancelled,
	ImportFailure,
	ImportTimedOut,
	PARSE_TIME_BASE_MS,
	createImportWorker,
	parseTimeLimit,
	runImportWorker,
	type WorkerResult
} from './import-client';
import type { ImportStage, OpenRequest, WorkerMessage } from './import-protocol';
import { recallDeck } from '$lib/core/testing/factories';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import { readBackupTables } from '$lib/storage/export-repo';
import { dropDb, freshDb } from '$lib/storage/testing';
import { loadSqlJs } from './sql-wasm';
import {
	NOW,
	PNG,
	PRESET,
	basicNotes,
	basicPackage,
	csvFile,
	fileOf,
	scenarioPackage
} from './import-testing';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const request = (file: File, extra: Partial<OpenRequest> = {}): OpenRequest => ({
	file,
	fileName: file.name,
	now: NOW,
	timeZone: 'UTC',
	preset: PRESET,
	...extra
});

function run(req: OpenRequest) {
	const stages: ImportStage[] = [];
	const work = runImportWorker(req, (stage) => {
		if (stages.at(-1) !== stage) stages.push(stage);
	});
	return { ...work, stages };
}

const bundleOf = (result: WorkerResult) => {
	if (result.kind !== 'bundle') throw new Error(`expected a bundle, got a ${result.kind}`);
	return result.bundle;
};

describe('the import worker writing the import itself', () => {
	it('writes a package in one transaction and reports the counts and progress', async () => {
		const db = freshDb();
		try {
			const work = run(
				request(fileOf(scenarioPackage(sql), 'German.apkg'), { write: { dbName: db.name } })
			);
			const result = await work.result;
			expect(result).toMatchObject({
				kind: 'written',
				format: 'anki',
				counts: { notes: 5, cards: 6, reviews: 6, media: 1, updated: 0, skipped: 0 }
			});
			expect(work.stages).toEqual(['reading', 'parsing', 'history', 'writing']);
			expect([await db.notes.count(), await db.revlog.count(), await db.media.count()]).toEqual([
				5, 6, 1
			]);
			// The new notes' search texts are packed for the first word search, none left stale.
			const packs = await db.noteSearchPacks.toArray();
			expect(packs.map((p) => p.t === null)).toEqual([false]);
			expect((JSON.parse(packs[0]!.t!) as unknown[]).length).toBe(5);
		} finally {
			await dropDb(db);
		}
	});

	it('leaves the store as it was when cancelled while writing: the open transaction is aborted', async () => {
		const db = freshDb();
		try {
			await syncBuiltinDeck(db, recallDeck({ id: 'kept', title: 'Kept' }), NOW);
			const before = await readBackupTables(db);
			const file = fileOf(basicPackage(sql, basicNotes(5000)), 'big.apkg');
			// Fifty-row writes: the first progress report comes long before the last of 200 writes.
			const work = runImportWorker(
				request(file, { write: { dbName: db.name, chunkSize: 50 } }),
				(stage) => {
					if (stage === 'writing') work.cancel();
				}
			);
			await expect(work.result).rejects.toBeInstanceOf(ImportCancelled);
			expect(await readBackupTables(db)).toEqual(before);
		} finally {
			await dropDb(db);
		}
	});
});

describe('the import worker', () => {
	it('imports a generated .apkg: the same bundle as parsing it here, history replayed, media transferred', async () => {
		const bytes = scenarioPackage(sql);
		const work = run(request(fileOf(bytes, 'German.apkg'), { chunkSize: 2 }));
		const bundle = bundleOf(await work.result);
		const direct = importAnki(bytes, { fileName: 'German.apkg', now: NOW, sql });
		expect(bundle.notes).toEqual(direct.notes);
		expect(bundle.cards.map((c) => c.id)).toEqual(direct.cards.map((c) => c.id));
		expect(bundle.revlog.map((r) => [r.cardId, r.reviewedAt, r.rating])).toEqual(
			direct.revlog.map((r) => [r.cardId, r.reviewedAt, r.rating])
		);
		expect(bundle.revlog.filter((r) => r.rating > 0).every((r) => r.stability > 0)).toBe(true);
		expect(bundle.cardsToReplay).toEqual([]);
		expect(bundle.media).toEqual([{ name: 'haus.png', type: 'image/png', data: PNG }]);
		expect([bundle.decks.length, bundle.models.length]).toEqual([1, 2]);
		expect(work.stages).toEqual(['reading', 'parsing', 'history', 'transfer']);
	});

	it('stops at a preview for a CSV, then imports it with the mapping the user chose', async () => {
		const file = csvFile([
			['Tags', 'Question', 'Answer'],
			['x', 'Haus', 'house'],
			['y', 'Baum', 'tree']
		]);
		const preview = await run(request(file)).result;
		expect(preview).toEqual({
			kind: 'preview',
			format: 'text',
			preview: {
				columns: 3,
				header: ['Tags', 'Question', 'Answer'],
				rows: [
					['x', 'Haus', 'house'],
					['y', 'Baum', 'tree']
				],
				detected: { delimiter: ',', html: false, mapping: { tags: 0, front: 1, back: 2 } },
				fileHeaders: {}
			}
		});
		const result = await run(request(file, { mapping: { front: 2, back: 1 }, deckTitle: 'Words' }))
			.result;
		const bundle = bundleOf(result);
		expect(bundle.notes.map((n) => n.fields)).toEqual([
			{ front: 'house', back: 'Haus' },
			{ front: 'tree', back: 'Baum' }
		]);
		expect(bundle.decks.map((d) => d.title)).toEqual(['Words']);
	});

	it('imports a Markdown deck and a Recall JSON deck', async () => {
		const md = '---\nid: verbs\ntitle: Verbs\n---\n\n## gehen\nfront: gehen\nback: to go\n';
		const fromMd = bundleOf(await run(request(new File([md], 'verbs.md'))).result);
		expect([fromMd.decks[0]?.title, fromMd.notes[0]?.fields]).toEqual([
			'Verbs',
			{ front: 'gehen', back: 'to go' }
		]);
		const json = JSON.stringify({
			format: 'recall-deck',
			version: 1,
			id: 'v',
			title: 'V',
			description: '',
			notes: [{ id: 'a', type: 'cloze', text: '{{c1::x}} {{c2::y}}' }]
		});
		const fromJson = bundleOf(await run(request(new File([json], 'v.json'))).result);
		expect(fromJson.cards.map((c) => c.id)).toEqual(['v/a/0', 'v/a/1']);
	});

	it.each([
		['an empty file', new File([], 'empty.apkg'), 'empty.apkg: the file is empty'],
		[
			'a zip that is not an Anki package',
			new File([zipSync({ 'notes.txt': strToU8('hi') })], 'deck.apkg'),
			'deck.apkg: this zip is not an Anki package'
		],
		[
			'a CSV with an unclosed quote',
			new File(['a,b\n"c,d\n'], 'bad.csv'),
			'bad.csv, line 2: unbalanced quote'
		],
		[
			'a Markdown deck without front matter',
			new File(['## a\nfront: x\n'], 'deck.md'),
			'deck.md, line 1:'
		]
	])('reports %s with the file and place in the message', async (_, file, message) => {
		const mapping = file.name.endsWith('.csv') ? { mapping: { front: 0, back: 1 } } : {};
		const failure = run(request(file, mapping)).result;
		await expect(failure).rejects.toBeInstanceOf(ImportFailure);
		await expect(failure).rejects.toThrow(message);
	});

	it('refuses a file over the size limit before reading it, saying so', async () => {
		const file = fileOf(basicPackage(sql, basicNotes(3)), 'big.apkg');
		const work = run(request(file, { limits: { maxFileBytes: 100 } }));
		await expect(work.result).rejects.toThrow(
			/^big\.apkg: the file is .* larger than the 100 bytes Recall can import$/
		);
		expect(work.stages).toEqual(['reading']);
	});

	it('cancels by stopping the worker: the result is a cancellation, not a bundle', async () => {
		let terminated = false;
		const work = runImportWorker(
			request(fileOf(basicPackage(sql, basicNotes(50)), 'deck.apkg')),
			undefined,
			() => {
				const worker = createImportWorker();
				const terminate = worker.terminate.bind(worker);
				worker.terminate = () => {
					terminated = true;
					terminate();
				};
				return worker;
			}
		);
		work.cancel();
		expect(terminated).toBe(true);
		await expect(work.result).rejects.toBeInstanceOf(ImportCancelled);
		await expect(work.result).rejects.toThrow('Import cancelled: nothing was imported.');
	});
});

describe('the time limit on parsing', () => {
	/** The real worker, with a record of whether it was terminated. */
	const watchedWorker = () => {
		const watch = { terminated: false };
		const create = () => {
			const worker = createImportWorker();
			const terminate = worker.terminate.bind(worker);
			worker.terminate = () => {
				watch.terminated = true;
				terminate();
			};
			return worker;
		};
		return { watch, create };
	};

	it('stops the real worker when the parse runs past the limit, says so, and writes nothing', async () => {
		const db = freshDb();
		try {
			await syncBuiltinDeck(db, recallDeck({ id: 'kept', title: 'Kept' }), NOW);
			const before = await readBackupTables(db);
			const file = fileOf(basicPackage(sql, basicNotes(5000)), 'slow.apkg');
			const { watch, create } = watchedWorker();
			const stages: ImportStage[] = [];
			// 20 ms: starting the worker and loading sql.js alone take longer, so the limit always
			// falls inside the parse; it would be minutes in use.
			const work = runImportWorker(
				request(file, { write: { dbName: db.name } }),
				(stage) => stages.push(stage),
				create,
				{ timeLimitMs: 20 }
			);
			await expect(work.result).rejects.toBeInstanceOf(ImportTimedOut);
			await expect(work.result).rejects.toThrow(
				/^slow\.apkg: the import took too long and was stopped; nothing was imported\.$/
			);
			expect(watch.terminated).toBe(true);
			expect(stages).not.toContain('writing');
			// A worker that was still running would have written by now.
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(await readBackupTables(db)).toEqual(before);
		} finally {
			await dropDb(db);
		}
	});

	/**
	 * A stand-in worker that answers on a script, so the order of the limit and the messages is
	 * exact: timers with earlier deadlines run first.
	 */
	function scriptedWorker(script: [number, WorkerMessage][]) {
		const fake = {
			terminated: false,
			onmessage: null as ((event: MessageEvent<WorkerMessage>) => void) | null,
			onerror: null,
			postMessage() {
				for (const [ms, data] of script) {
					setTimeout(() => {
						if (!fake.terminated) fake.onmessage?.({ data } as MessageEvent<WorkerMessage>);
					}, ms);
				}
			},
			terminate() {
				fake.terminated = true;
			}
		};
		return fake;
	}
	const counts = { notes: 1, cards: 1, reviews: 0, media: 0, updated: 0, skipped: 0 };

	it('stops counting once the write has begun: a long write is never cut off', async () => {
		const fake = scriptedWorker([
			[5, { type: 'progress', stage: 'writing', done: 0, total: 2 }],
			[120, { type: 'written', format: 'anki', counts, warnings: [] }]
		]);
		const work = runImportWorker(
			request(new File(['x'], 'deck.apkg')),
			undefined,
			() => fake as unknown as Worker,
			{ timeLimitMs: 40 }
		);
		expect(await work.result).toEqual({ kind: 'written', format: 'anki', counts, warnings: [] });
	});

	it('times out a worker that is still parsing, and terminates it', async () => {
		const fake = scriptedWorker([
			[5, { type: 'progress', stage: 'parsing', done: 0, total: 1 }],
			[120, { type: 'written', format: 'anki', counts, warnings: [] }]
		]);
		const work = runImportWorker(
			request(new File(['x'], 'deck.apkg')),
			undefined,
			() => fake as unknown as Worker,
			{ timeLimitMs: 40 }
		);
		await expect(work.result).rejects.toThrow(
			'deck.apkg: the import took too long and was stopped; nothing was imported.'
		);
		expect(fake.terminated).toBe(true);
	});

	it('gives two minutes plus a second per megabyte by default', () => {
		expect(PARSE_TIME_BASE_MS).toBe(120_000);
		expect(parseTimeLimit(0)).toBe(120_000);
		expect(parseTimeLimit(1)).toBe(121_000);
		expect(parseTimeLimit(512 * 1024 * 1024)).toBe(632_000);
	});
});
