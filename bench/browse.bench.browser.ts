/**
 * Browse at scale (issue 8): 100,000 cards with their notes and 100,000 review-log rows in real
 * IndexedDB (Debian's Chromium, vitest browser mode), the real BrowseScreen component driven by
 * a real BrowseState, as the /browse route mounts them (without the route's built-in deck check).
 *
 * - open: `browse.search('')` (what the route runs on arrival) until the first row's button is in
 *   the DOM and laid out (a MutationObserver sees it; a forced layout includes style and layout);
 * - a search: from the call until the first matching row is in the DOM ("first rows"), and until
 *   the search is done and the count is shown ("complete"). Plain words and `prop:` are measured
 *   twice: cold (nothing read yet: words from the stored search texts, `prop:` every card) and
 *   warm (the session's in-memory copy, filled by the first search that reads every card);
 * - sort by front: a click on the column header until every row is sorted and shown;
 * - scrolling: the table scrolled by 50 rows every animation frame for 10,000 rows, frame times
 *   from requestAnimationFrame, also at 4× CPU slowdown, and by 3 rows a frame (a fast fling) at
 *   4× CPU; then how long until every row on screen has its content;
 * - long tasks: the longest main-thread task (PerformanceObserver "longtask", ≥ 50 ms) during
 *   each part, and over all parts;
 * - before: the previous way, `searchCards` for the empty search (one transaction reading every
 *   card and note) and sorting the rows, timed once on the same store.
 */
import { flushSync, mount, unmount } from 'svelte';
import { cdp, page } from 'vitest/browser';
import { afterAll, expect, it } from 'vitest';
import '../src/app.css';
import BrowseScreen from '$lib/components/browse/BrowseScreen.svelte';
import { parseSearch, sortRows } from '$lib/core/search';
import { BrowseState } from '$lib/state/browse.svelte';
import { browseCache, dropBrowseCache } from '$lib/storage/browse-cache';
import { searchCards } from '$lib/storage/browse-repo';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { seedCollection } from '$lib/storage/testing-seed';
import { frame, whenDom } from './lib/dom';
import { median, quantile, report, round, type BenchRow } from './lib/report';

const CARDS = 100_000;
const REVIEWS = 100_000;
const DECKS = 10;
const SEED_NOW = Date.UTC(2026, 10, 23, 3);
const NOW = Date.UTC(2026, 10, 23, 8);
const SECTION = 'Browse (100k cards, Chromium)';
const ROW_HEIGHT = 48;

let db: RecallDb | undefined;
const rows: BenchRow[] = [];

afterAll(async () => {
	report(rows);
	if (db) {
		dropBrowseCache(db);
		await dropDb(db);
	}
});

/** Main-thread tasks of 50 ms or more, as Chromium reports them. */
const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
	for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });

/** The longest task that started in [from, to), 0 if none reached 50 ms. */
const longestSince = (from: number, to = Infinity) =>
	Math.max(0, ...longTasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration));

async function heapMB(): Promise<number> {
	const session = cdp();
	await session.send('HeapProfiler.collectGarbage');
	const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	return usage.usedSize / 1e6;
}

function add(name: string, value: number | null, unit: string, note?: string, max?: number) {
	rows.push({
		section: SECTION,
		name,
		value: value === null ? null : round(value, 1),
		unit,
		...(max !== undefined ? { budget: { max } } : {}),
		...(note ? { note } : {})
	});
}

it('opens, searches, sorts and scrolls 100,000 cards', async () => {
	await page.viewport(1280, 900);
	db = freshDb();
	const database = db;
	const deckIds = Array.from({ length: DECKS }, (_, i) => `d${i}`);
	const seed0 = performance.now();
	await seedCollection(database, { cards: CARDS, reviews: REVIEWS, now: SEED_NOW, deckIds });
	const seedS = (performance.now() - seed0) / 1000;

	const target = document.createElement('div');
	document.body.append(target);
	const browse = new BrowseState(
		() => database,
		() => NOW,
		'UTC'
	);
	const component = mount(BrowseScreen, { target, props: { browse } });
	flushSync();
	const rowButtons = () => target.querySelectorAll('[role=row] [role=cell] button');
	const firstRow = () => rowButtons().length > 0;
	const summary = () => target.querySelector('.summary p')?.textContent?.trim() ?? '';

	/** Times a search from the call: first row in the DOM, then done. */
	async function timeSearch(text: string) {
		const t0 = performance.now();
		const done = browse.search(text);
		flushSync();
		const first = whenDom(target, firstRow, `the first row of "${text}"`);
		await done;
		const end = await whenDom(target, () => browse.status === 'ready', `"${text}" done`);
		const firstAt = await first;
		return {
			first: firstAt - t0,
			complete: end - t0,
			longest: longestSince(t0),
			found: browse.count
		};
	}

	// 1. Opening: the empty search, sorted by due.
	const open0 = performance.now();
	const opening = browse.search('');
	flushSync();
	const opened = await whenDom(target, firstRow, 'the first rows');
	await opening;
	const openMs = opened - open0;
	expect(browse.count).toBe(CARDS);
	add(
		'open /browse (empty search, 100k cards) → first rows',
		openMs,
		'ms',
		`browse.search('') until the first row is in the DOM and laid out; ${summary()}; ` +
			`card ids from the due index, rows read for the first screen only. Seeding took ${round(seedS, 0)} s.`,
		300
	);
	add(
		'longest main-thread task while opening',
		longestSince(open0),
		'ms',
		'PerformanceObserver longtask (0 = none ≥ 50 ms)',
		50
	);

	// 2. Scrolling 10,000 rows of the window, 50 rows a frame (a scrollbar dragged end to end);
	//    and 600 rows at 3 a frame (a fast fling on a phone: ≈ 9,000 px/s).
	async function scroll(what: string, perFrame = 50) {
		const viewport = target.querySelector<HTMLElement>('[role=table]')!;
		viewport.scrollTop = 0;
		await frame();
		const s0 = performance.now();
		const times: number[] = [];
		let last = await frame();
		for (let i = 0; i < 200; i++) {
			viewport.scrollTop += perFrame * ROW_HEIGHT;
			const t = await frame();
			times.push(t - last);
			last = t;
		}
		const stopped = performance.now();
		const filled = await whenDom(
			target,
			() => target.querySelectorAll('.pending').length === 0 && firstRow(),
			'rows after scrolling'
		);
		const over = times.filter((t) => t > 16.7 * 1.2).length;
		add(
			`scroll ${(200 * perFrame).toLocaleString('en')} rows (${what}): frames over 16.7 ms`,
			over,
			'frames',
			`200 frames, ${perFrame} rows each (scrollTop set per animation frame). Frame time median ` +
				`${round(median(times))} ms, p95 ${round(quantile(times, 0.95))} ms, max ${round(Math.max(...times))} ms; ` +
				`rows on screen filled ${round(filled - stopped)} ms after the last scroll; longest task ${round(longestSince(s0))} ms.`,
			10
		);
	}
	await scroll('window on the due index');
	// The same at 4× CPU slowdown (Chromium's throttling, as a mid-range phone).
	await cdp().send('Emulation.setCPUThrottlingRate', { rate: 4 });
	try {
		await scroll('window on the due index, 4× CPU');
		await scroll('window on the due index, 4× CPU', 3);
	} finally {
		await cdp().send('Emulation.setCPUThrottlingRate', { rate: 1 });
	}

	// 3. Searches that read everything: cold, then from the session's copy.
	const word = await timeSearch('s12');
	add(
		'plain word (s12, 1,111 matches), cold: first rows',
		word.first,
		'ms',
		`${word.found} found in every deck; the notes' stored search texts (schema v6) matched 10,000 at a time, then only the matching notes and their cards read`,
		300
	);
	add(
		'plain word, cold: complete',
		word.complete,
		'ms',
		`longest task ${round(word.longest)} ms`,
		500
	);
	const prop = await timeSearch('prop:r<0.9');
	add(
		'prop:r<0.9 after the word search: complete',
		prop.complete,
		'ms',
		`${prop.found} found; reads every note and card (the first search to: a cold word search reads only its matches, so the session copy starts here); ` +
			`first rows after ${round(prop.first)} ms; longest task ${round(prop.longest)} ms`,
		1000
	);
	const wordAgain = await timeSearch('s12');
	add(
		'plain word again, warm: complete',
		wordAgain.complete,
		'ms',
		`from memory; first rows after ${round(wordAgain.first)} ms; longest task ${round(wordAgain.longest)} ms`,
		1000
	);

	// 4. Indexed searches.
	const deck = await timeSearch('deck:"Seeded deck d3"');
	add(
		'deck: (10k cards, deckId index): complete',
		deck.complete,
		'ms',
		`${deck.found} found; first rows ${round(deck.first)} ms; longest task ${round(deck.longest)} ms`,
		1000
	);
	const due = await timeSearch('is:due');
	add(
		'is:due ([deckId+queue+due] ranges): complete',
		due.complete,
		'ms',
		`${due.found} found; first rows ${round(due.first)} ms; longest task ${round(due.longest)} ms`,
		1000
	);
	const rated = await timeSearch('rated:7');
	add(
		'rated:7 (revlog by time): complete',
		rated.complete,
		'ms',
		`${rated.found} found; longest task ${round(rated.longest)} ms`
	);

	// 5. Sort every card by front (no index): the empty search streamed, sorted in steps.
	await timeSearch('');
	const sort0 = performance.now();
	[...target.querySelectorAll('button')]
		.find((b) => b.textContent?.trim().startsWith('Front'))!
		.click();
	flushSync();
	const sorted = await whenDom(target, () => browse.status === 'ready', 'sorted by front');
	const sortLongest = longestSince(sort0);
	const expectedFirst = sortRows([browse.rowAt(0)!, browse.rowAt(1)!], {
		column: 'front',
		descending: false
	})[0];
	expect(browse.rowAt(0)).toEqual(expectedFirst);
	add(
		'sort 100k by front (warm): complete',
		sorted - sort0,
		'ms',
		`every row from memory, then a merge sort in 8 ms steps; longest task ${round(sortLongest)} ms`,
		2000
	);
	await scroll('100k rows in memory');

	// 6. Cold: the session copy dropped, prop: and the plain word read the store again.
	const cache = browseCache(database);
	cache.clear();
	await timeSearch('');
	const propCold = await timeSearch('prop:r<0.9');
	const readAgain = cache.complete;
	add(
		'prop:r<0.9, cold: complete',
		propCold.complete,
		'ms',
		`${propCold.found} found; first rows ${round(propCold.first)} ms; longest task ${round(propCold.longest)} ms; ` +
			`every note and card read again: ${readAgain}`
	);
	cache.clear();
	const wordCold = await timeSearch('s12');
	add(
		'plain word, cold again (store warmed by the runs above): complete',
		wordCold.complete,
		'ms',
		`first rows ${round(wordCold.first)} ms; longest task ${round(wordCold.longest)} ms`
	);
	expect(readAgain).toBe(true);

	add(
		'longest main-thread task over all of the above',
		longestSince(open0),
		'ms',
		`${longTasks.filter((t) => t.start >= open0).length} tasks of 50 ms or more`,
		50
	);
	add(
		'heap with 100k rows and the session copy',
		await heapMB(),
		'MB',
		'V8 used heap after a forced GC, vitest runner included'
	);

	await unmount(component);
	target.remove();

	// 7. Before: the previous one-transaction read of every card and note, then the sort.
	dropBrowseCache(database);
	const before0 = performance.now();
	const all = await searchCards(database, parseSearch(''), { now: NOW, timeZone: 'UTC' });
	sortRows(all.rows, { column: 'due', descending: false });
	const beforeMs = performance.now() - before0;
	add(
		'before: searchCards("") + sort (the previous open)',
		beforeMs,
		'ms',
		`longest task ${round(longestSince(before0))} ms`
	);
}, 1_800_000);
