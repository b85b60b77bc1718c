/**
 * The client half of `npm run bench -- --only=sync` (Debian's Chromium, real IndexedDB):
 *
 * - a new device pulls 100k cards' worth of reviews (10 per card; 1,000,000 by default,
 *   VITE_BENCH_SYNC_REVIEWS to scale down) through the real sync loop (state/sync.svelte.ts):
 *   pages of 2,000 fetched, written in chunks with their cursors, every touched card replayed
 *   (by the pull worker, the page's part being the fetch; VITE_BENCH_SYNC_THREAD=1 writes on
 *   the page's thread instead, as where there are no workers).
 *   The server is a stand-in `fetch` building each page in the page itself (its cost is in the
 *   figures; the real server's side is bench/sync-server.mjs's). Total time, and the longest
 *   main-thread block (PerformanceObserver long tasks, and the longest gap between 10 ms timer
 *   ticks);
 * - the outbox's added cost per grade: `saveGrade` in that store, signed in (the middleware
 *   queues the review in the grade's transaction) and signed out (it passes through), in
 *   alternating blocks.
 */
import { afterAll, expect, it } from 'vitest';
import type { Card, RevlogEntry } from '$lib/core/model';
import { gradeCard } from '$lib/core/scheduling/scheduler';
import { fromReviewRecord, type PullReply, type ReviewRecord } from '$lib/core/sync/protocol';
import { sync } from '$lib/state/sync.svelte';
import { setDb, type RecallDb } from '$lib/storage/db';
import { getPreset } from '$lib/storage/presets';
import { saveGrade } from '$lib/storage/review-repo';
import { getSyncAccount, saveSyncAccount } from '$lib/storage/sync-repo';
import { setSignedIn } from '$lib/storage/sync-outbox';
import { dropDb, freshDb, testAccount } from '$lib/storage/testing';
import { seedCollection } from '$lib/storage/testing-seed';
import { median, quantile, report, round, type BenchRow } from './lib/report';

const REVIEWS = Number(import.meta.env.VITE_BENCH_SYNC_REVIEWS ?? 1_000_000);
const PER_CARD = 10;
const CARDS = Math.ceil(REVIEWS / PER_CARD);
const NOW = Date.UTC(2026, 10, 23, 3);
const T0 = NOW - 400 * 86_400_000;
const SECTION = `Sync client (${CARDS.toLocaleString('en-US')} cards, ${REVIEWS.toLocaleString('en-US')} reviews pulled, Chromium)`;

let db: RecallDb | undefined;
const rows: BenchRow[] = [];
const realFetch = globalThis.fetch;

afterAll(async () => {
	globalThis.fetch = realFetch;
	report(rows);
	setDb(undefined);
	if (db) await dropDb(db);
});

/** Review `seq` (1-based): card `seq % CARDS`, its k-th review; the log is in time order. */
function record(seq: number) {
	const i = seq - 1;
	const c = i % CARDS;
	const k = Math.floor(i / CARDS);
	const cardId = `seed/s${c}/0`;
	const reviewedAt = T0 + k * 30 * 86_400_000 + c * 100;
	return {
		kind: 'review',
		id: `${cardId}@${reviewedAt.toString(36)}.3`,
		cardId,
		deckId: 'seed',
		reviewedAt,
		rating: 3,
		state: k === 0 ? 0 : 2,
		due: reviewedAt + 30 * 86_400_000,
		stability: 30,
		difficulty: 5,
		elapsedDays: k === 0 ? 0 : 30,
		scheduledDays: 30,
		durationMs: 5000,
		seq
	};
}

/** The server's pull, standing in for it: pages of `limit` after `after`. */
function standInServer(epoch: string) {
	return (input: RequestInfo | URL): Promise<Response> => {
		const url = new URL(input instanceof Request ? input.url : input.toString());
		const json = (body: unknown) =>
			Promise.resolve(
				new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })
			);
		// What the sync asks before it pulls: which media files the server lacks (none here).
		if (url.pathname === '/api/media/missing') return json({ missing: [] });
		// After the pull: the device's study time zone, the account having none yet.
		if (url.pathname === '/api/push') {
			return json({ epoch, accepted: 1, head: REVIEWS, serverTime: Date.now() });
		}
		if (url.pathname !== '/api/pull') {
			return Promise.resolve(
				new Response(JSON.stringify({ error: `no ${url.pathname} here` }), { status: 404 })
			);
		}
		const after = Number(url.searchParams.get('after'));
		const limit = Number(url.searchParams.get('limit'));
		const last = Math.min(REVIEWS, after + limit);
		const records = [];
		for (let s = after + 1; s <= last; s++) records.push(record(s));
		const reply: PullReply = {
			epoch,
			records: records as PullReply['records'],
			cursor: last,
			done: last - after < limit,
			head: REVIEWS,
			serverTime: Date.now()
		};
		return Promise.resolve(
			new Response(JSON.stringify(reply), { headers: { 'Content-Type': 'application/json' } })
		);
	};
}

/**
 * The ceiling for the pull's writes: review-log rows (as the stand-in server sends them) added to
 * a bare IndexedDB store with the log's own key and three indexes, in transactions of 2,000, no
 * Dexie and no middleware. Rows/s, and how long the page's thread is held per 1,000 rows
 * (Chromium serializes each row as `add` is called).
 */
async function indexedDbCeiling(): Promise<BenchRow[]> {
	const name = `recall-bench-ceiling-${Math.random().toString(36).slice(2)}`;
	const open = indexedDB.open(name, 1);
	open.onupgradeneeded = () => {
		const store = open.result.createObjectStore('revlog', { keyPath: 'id', autoIncrement: true });
		store.createIndex('cardId', 'cardId');
		store.createIndex('reviewedAt', 'reviewedAt');
		store.createIndex('deckReviewedAt', ['deckId', 'reviewedAt']);
	};
	const idb = await new Promise<IDBDatabase>((resolve, reject) => {
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	const total = Math.min(REVIEWS, 40_000);
	const batch = 2_000;
	let blocked = 0;
	const started = performance.now();
	for (let from = 1; from <= total; from += batch) {
		const entries: RevlogEntry[] = [];
		for (let s = from; s < from + batch && s <= total; s++) {
			entries.push(fromReviewRecord(record(s) as ReviewRecord));
		}
		await new Promise<void>((resolve, reject) => {
			const tx = idb.transaction('revlog', 'readwrite');
			const store = tx.objectStore('revlog');
			const t = performance.now();
			for (const entry of entries) store.add(entry);
			blocked += performance.now() - t;
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
	}
	const seconds = (performance.now() - started) / 1000;
	idb.close();
	indexedDB.deleteDatabase(name);
	return [
		{
			section: SECTION,
			name: 'IndexedDB alone: review-log rows/s with the log’s 3 indexes',
			value: round(total / seconds, 0),
			unit: 'rows/s',
			note: `${total} rows in transactions of ${batch}, no Dexie, no middleware: the ceiling for the pull's log writes (${REVIEWS} rows ≥ ${round(REVIEWS / (total / seconds))} s)`
		},
		{
			section: SECTION,
			name: 'IndexedDB alone: page thread held per 1,000 rows added',
			value: round((blocked / total) * 1000, 1),
			unit: 'ms',
			note: 'the synchronous part of store.add (each row serialized on the page’s thread)'
		}
	];
}

it(`pulls ${REVIEWS} reviews into IndexedDB and replays their cards`, async () => {
	rows.push(...(await indexedDbCeiling()));
	db = freshDb();
	const s0 = performance.now();
	await seedCollection(db, { cards: CARDS, reviews: 0, now: NOW, deckIds: ['seed'] });
	const seedMs = performance.now() - s0;
	setDb(db);
	// Signed in, the collection pushed: the seeded cards stand for what the new device holds
	// already (no first push of them).
	await saveSyncAccount(db, testAccount({ server: 'http://sync.bench.invalid', name: 'bench' }));
	globalThis.fetch = standInServer('e1') as typeof fetch;
	// VITE_BENCH_SYNC_THREAD=1: the same pull written on the page's thread (as with no workers).
	if (import.meta.env.VITE_BENCH_SYNC_THREAD)
		(globalThis as { Worker?: unknown }).Worker = undefined;
	await sync.refresh();

	const tasks: number[] = [];
	const observer = new PerformanceObserver((list) => {
		for (const e of list.getEntries()) tasks.push(e.duration);
	});
	observer.observe({ type: 'longtask' });
	let lastTick = performance.now();
	let maxGap = 0;
	const ticker = setInterval(() => {
		const t = performance.now();
		maxGap = Math.max(maxGap, t - lastTick);
		lastTick = t;
	}, 10);
	const progress: string[] = [];
	const watch = setInterval(() => {
		if (sync.progress && progress.at(-1) !== sync.progress) progress.push(sync.progress);
	}, 250);
	const t0 = performance.now();
	await sync.sync();
	const totalMs = performance.now() - t0;
	clearInterval(ticker);
	clearInterval(watch);
	observer.disconnect();

	expect(sync.error).toBeNull();
	expect(await db.revlog.count()).toBe(REVIEWS);
	expect((await getSyncAccount(db))!.cursor).toBe(REVIEWS);
	const sample = (await db.cards.get('seed/s0/0'))!;
	expect(sample.reps).toBe(PER_CARD);
	expect(progress.length).toBeGreaterThan(0);
	const longest = Math.max(0, ...tasks);
	rows.push(
		{
			section: SECTION,
			name: 'new device: pull, write and replay, total',
			value: round(totalMs / 1000),
			unit: 's',
			budget: { max: 120 },
			note: `${REVIEWS} reviews in pages of 2,000 written in chunks of 250, ${CARDS} cards each replayed once when the pull ends; seeding the cards took ${round(seedMs / 1000)} s (not counted)`
		},
		{
			section: SECTION,
			name: 'new device: longest main-thread task during the pull',
			value: round(longest),
			unit: 'ms',
			budget: { max: 50 },
			note: `${tasks.length} long tasks (> 50 ms) in all; longest gap between 10 ms timer ticks ${round(maxGap)} ms; the stand-in server builds each page in the page too`
		}
	);

	// The outbox's cost per grade: the same grades signed in (queued) and signed out (not).
	const preset = await getPreset(db, 'default');
	const cards = await db.cards.limit(400).toArray();
	const timed = { in: [] as number[], out: [] as number[] };
	let at = NOW + 86_400_000;
	// (What the sync left queued: not the grades'.)
	const queuedBefore = (await db.syncOutbox.toArray()).filter(
		(r) => r.record.kind === 'review'
	).length;
	for (let block = 0; block < 20; block++) {
		const signedIn = block % 2 === 0;
		setSignedIn(signedIn);
		for (const before of cards.slice(block * 20, block * 20 + 20) as Card[]) {
			const { card, log } = gradeCard(before, 3, preset, (at += 8000));
			const s = performance.now();
			await saveGrade(db, before, card, log, null);
			(signedIn ? timed.in : timed.out).push(performance.now() - s);
		}
	}
	setSignedIn(true);
	// One review queued per grade signed in (a seeded card that was suspended also queues its
	// un-suspension, a card field: not counted here).
	const reviews = async () =>
		(await db!.syncOutbox.toArray()).filter((r) => r.record.kind === 'review').length;
	expect((await reviews()) - queuedBefore).toBe(timed.in.length);
	rows.push(
		{
			section: SECTION,
			name: 'grade saved, signed in (outbox queued), median',
			value: round(median(timed.in), 2),
			unit: 'ms',
			note: `p95 ${round(quantile(timed.in, 0.95), 2)} ms; ${timed.in.length} grades in a store of ${REVIEWS} reviews`
		},
		{
			section: SECTION,
			name: 'outbox added cost per grade (median signed in − signed out)',
			value: round(median(timed.in) - median(timed.out), 2),
			unit: 'ms',
			budget: { max: 1 },
			note: `signed out median ${round(median(timed.out), 2)} ms, p95 ${round(quantile(timed.out, 0.95), 2)} ms; alternating blocks of 20`
		}
	);
});
