/**
 * Import throughput in Chromium, the whole way a user's import goes: the real worker (parsing,
 * history replay), the bundle crossing to the page, and the one IndexedDB transaction. Two
 * files: a 50,000-note CSV and a generated 20,000-note .apkg with 200,000 reviews. Targets:
 * ≥ 20,000 notes/s, and no main-thread task of 50 ms or more while an import runs (the page
 * stays responsive). Long tasks are watched with a PerformanceObserver from the moment the
 * file is chosen until the import has been written; generating the fixture is not timed.
 */
import { it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import {
	BASIC,
	DECK,
	buildCollection,
	legacyPackage
} from '$lib/core/import/testing/anki-fixtures';
import { ImportJob } from '$lib/state/import-job.svelte';
import { openDb } from '$lib/storage/db';
import { runImportWorker } from '$lib/workers/import-client';
import type { ImportStage } from '$lib/workers/import-protocol';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import { fileOf } from '$lib/workers/import-testing';
import { report, round, type BenchRow } from './lib/report';

const CSV_NOTES = 50_000;
const APKG_NOTES = 20_000;
const REVIEWS_PER_CARD = 10;
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12);

function csv(): File {
	const lines = ['Front,Back,Tags'];
	for (let i = 0; i < CSV_NOTES; i++) {
		lines.push(
			`Question number ${i} about topic ${i % 97}?,"Answer ${i}, with a comma",tag${i % 50}`
		);
	}
	return new File([lines.join('\n')], 'bench.csv', { type: 'text/csv' });
}

/** 20,000 studied Basic notes, each card with ten reviews spread over about a year. */
function apkg(sql: SqlJsStatic): File {
	const notes = [];
	const cards = [];
	const revlog = [];
	const start = NOW - 400 * DAY;
	// Revlog ids are review times and must be unique across cards.
	const used = new Set<number>();
	for (let i = 0; i < APKG_NOTES; i++) {
		const nid = 1_600_000_000_000 + i;
		notes.push({ id: nid, mid: BASIC.id, fields: [`Front ${i}`, `Back ${i}`], guid: `bench-${i}` });
		cards.push({
			id: nid + 1,
			nid,
			did: DECK.id,
			type: 2,
			queue: 2,
			due: 600,
			ivl: 60,
			reps: REVIEWS_PER_CARD
		});
		let t = start + (i % 1000) * 60_000;
		let ivl = 1;
		for (let r = 0; r < REVIEWS_PER_CARD; r++) {
			const ease = r > 0 && (i + r) % 9 === 0 ? 1 : 3;
			let id = t;
			while (used.has(id)) id++;
			used.add(id);
			revlog.push({
				id,
				cid: nid + 1,
				ease,
				ivl: r === 0 ? -600 : ivl,
				type: r === 0 ? 0 : 1,
				time: 4000
			});
			ivl = ease === 1 ? 1 : Math.round(ivl * 2.2);
			t += ivl * DAY + (r % 3) * 1000;
		}
	}
	const collection = buildCollection(sql, { notes, cards, revlog });
	return fileOf(legacyPackage(collection), 'bench.apkg');
}

/** Runs the import as the page does (ImportJob, worker writing), timing each stage. */
async function measure(label: string, file: File, columns: boolean): Promise<BenchRow[]> {
	const db = openDb(`recall-bench-${Math.random().toString(36).slice(2)}`);
	await db.open();
	const stageStarts = new Map<ImportStage, number>();
	const job = new ImportJob({
		db: () => db,
		clock: () => NOW,
		timeZone: () => 'UTC',
		run: (request, onProgress, create) =>
			runImportWorker(
				request,
				(stage, done, total) => {
					if (!stageStarts.has(stage)) stageStarts.set(stage, performance.now());
					onProgress?.(stage, done, total);
				},
				create
			)
	});
	// The fixture was built in the task before this one: only what follows is watched.
	await new Promise((resolve) => setTimeout(resolve, 0));
	const longTasks: number[] = [];
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) longTasks.push(entry.duration);
	});
	observer.observe({ type: 'longtask' });
	const started = performance.now();
	await job.choose(file);
	if (columns) await job.confirmColumns();
	const finished = performance.now();
	// Long-task entries are delivered after the task ends: give the observer a turn.
	await new Promise((resolve) => setTimeout(resolve, 200));
	observer.disconnect();
	if (job.phase !== 'done') throw new Error(`${label}: ${job.message}`);
	const stored = await db.notes.count();
	db.close();
	await db.delete();
	const seconds = (finished - started) / 1000;
	const writing = stageStarts.get('writing') ?? finished;
	const parsed = (writing - started) / 1000;
	const longest = longTasks.length > 0 ? Math.max(...longTasks) : 0;
	const section = 'Import';
	return [
		{
			section,
			name: `${label}: notes/s, end to end`,
			value: round(stored / seconds, 0),
			unit: 'notes/s',
			budget: { min: 20_000 },
			note: `${round(seconds, 2)} s in all (${job.message})`
		},
		{
			section,
			name: `${label}: notes/s before the IndexedDB write`,
			value: round(stored / parsed, 0),
			unit: 'notes/s',
			note: `reading, parsing and history replay in the worker: ${round(parsed, 2)} s; writing: ${round(seconds - parsed, 2)} s`
		},
		{
			section,
			name: `${label}: longest main-thread task`,
			value: round(longest, 0),
			unit: 'ms',
			budget: { max: 49 },
			note: `${longTasks.length} tasks of 50 ms or more while importing`
		}
	];
}

/** What this browser's IndexedDB can do at best: 50,000 bare rows in one transaction. */
async function indexedDbFloor(): Promise<BenchRow> {
	const name = `recall-bench-floor-${Math.random().toString(36).slice(2)}`;
	const open = indexedDB.open(name, 1);
	open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'id' });
	const idb = await new Promise<IDBDatabase>((resolve, reject) => {
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	const started = performance.now();
	await new Promise<void>((resolve, reject) => {
		const tx = idb.transaction('rows', 'readwrite');
		const store = tx.objectStore('rows');
		for (let i = 0; i < 50_000; i++) store.add({ id: `row-${i}`, n: i, text: `Question ${i}` });
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error);
	});
	const seconds = (performance.now() - started) / 1000;
	idb.close();
	indexedDB.deleteDatabase(name);
	return {
		section: 'Import',
		name: 'IndexedDB alone: bare rows/s, one transaction, no indexes',
		value: round(50_000 / seconds, 0),
		unit: 'rows/s',
		note: 'the ceiling for any import here: a note is 2 rows (note, card), a review 1'
	};
}

it('imports a 50,000-note CSV and a 20,000-note .apkg with 200,000 reviews', async () => {
	const sql = await loadSqlJs();
	const rows = [
		...(await measure('CSV, 50,000 notes', csv(), true)),
		...(await measure('.apkg, 20,000 notes + 200,000 reviews', apkg(sql), false)),
		await indexedDbFloor()
	];
	report(rows);
});
