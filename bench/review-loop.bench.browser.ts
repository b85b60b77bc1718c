/**
 * Review loop at scale (issue 4, issue 10): 100,000 cards and 1,000,000 review-log rows in real
 * IndexedDB (Debian's Chromium, vitest browser mode), the real StudyScreen component driven by a
 * real ReviewSession, as the study route mounts them.
 *
 * - open: from `session.start()` (preset, load-balancing histogram, unbury, queue read) until the
 *   first card's "Show answer" button is in the DOM and laid out;
 * - grade → next card: a click on a grade button, issued at the start of an animation frame,
 *   until the next card's "Show answer" button is in the DOM and laid out (a MutationObserver
 *   sees the change; a forced layout includes style and layout). The frame it is painted in is
 *   counted too: 1 means the next card is on screen in the frame after the click;
 * - heap: V8's used heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) with the
 *   study screen still mounted after the grades. It includes vitest's own runner in the page.
 *
 * Two collection shapes are measured in one store (see docs/PERFORMANCE.md): first as
 * storage/testing-seed.ts writes it (8 % of the cards, ~7,800, sit in (re)learning), then with
 * a typical learning pile (all but 50 of them moved to the review queue, due in 1–30 days).
 */
import { flushSync, mount, unmount } from 'svelte';
import { cdp } from 'vitest/browser';
import { afterAll, expect, it } from 'vitest';
import type { Grade } from '$lib/core/model';
import { CardState, Queue, type Card } from '$lib/core/model';
import StudyScreen from '$lib/components/StudyScreen.svelte';
import { ReviewSession } from '$lib/state/review-session.svelte';
import { nextStudyDayStart, studyDayStart } from '$lib/core/scheduling/day';
import { LOAD_BALANCE_MAX_INTERVAL } from '$lib/core/scheduling/load-balance';
import type { RecallDb } from '$lib/storage/db';
import { getPreset } from '$lib/storage/presets';
import { dueHistogram, LEARNING_READ, loadCandidates } from '$lib/storage/review-repo';
import { dropDb, freshDb } from '$lib/storage/testing';
import { seedCollection } from '$lib/storage/testing-seed';
import { frame, whenDom } from './lib/dom';
import { median, quantile, report, round, type BenchRow } from './lib/report';

const CARDS = 100_000;
const REVIEWS = 1_000_000;
const GRADES = 200;
/** The seeded history ends at 03:00 UTC, before the 04:00 day start: today's limits are unused. */
const SEED_NOW = Date.UTC(2026, 10, 23, 3);
const START = Date.UTC(2026, 10, 23, 8);
/** Simulated answer time per card: due learning cards come back during the session. */
const ANSWER_MS = 8000;
/** A plausible mix: mostly Good, some Again, Hard and Easy. */
const PATTERN: Grade[] = [3, 3, 3, 1, 3, 3, 4, 3, 3, 2];
const SECTION = 'Review loop (100k cards, 1M reviews, Chromium)';

let db: RecallDb | undefined;
const rows: BenchRow[] = [];

afterAll(async () => {
	report(rows);
	if (db) await dropDb(db);
});

function button(target: HTMLElement, name: string | RegExp): HTMLButtonElement | undefined {
	return [...target.querySelectorAll('button')].find((b) => {
		const text = b.textContent?.trim() ?? '';
		return typeof name === 'string' ? text === name : name.test(text);
	});
}

async function heapMB(): Promise<number> {
	const session = cdp();
	await session.send('HeapProfiler.collectGarbage');
	const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	return usage.usedSize / 1e6;
}

interface Scenario {
	openMs: number;
	grades: number[];
	frames: number[];
	heapMB: number;
	learningCards: number;
	/** Main-thread self time by bucket, ms, when profiled. */
	profile?: Map<string, number>;
}

interface CpuProfile {
	nodes: { id: number; callFrame: { functionName: string; url: string } }[];
	samples: number[];
	timeDeltas: number[];
}

const IDB_NATIVES = new Set([
	'get',
	'getAll',
	'getAllKeys',
	'put',
	'add',
	'delete',
	'count',
	'openCursor',
	'openKeyCursor',
	'continue',
	'transaction',
	'objectStore',
	'index',
	'bound',
	'only',
	'lowerBound',
	'upperBound',
	'get result'
]);

/** Which part of the code a profile sample is in, by script URL (or native function name). */
function bucket(frame: { functionName: string; url: string }): string {
	const { functionName: fn, url } = frame;
	if (fn === '(idle)') return 'idle (waiting on IndexedDB or the next frame)';
	if (fn === '(garbage collector)') return 'garbage collection';
	if (fn === '(program)') return 'browser internals (style, layout, IPC)';
	if (!url) return IDB_NATIVES.has(fn) ? 'IndexedDB API' : `native: ${fn || 'anonymous'}`;
	if (/dexie/.test(url)) return 'Dexie';
	if (/dompurify/.test(url)) return 'DOMPurify';
	if (/marked/.test(url)) return 'marked';
	if (/ts-fsrs/.test(url)) return 'ts-fsrs';
	if (/\/node_modules\/(svelte|\.vite\/deps\/svelte)/.test(url)) return 'Svelte runtime';
	if (/\/src\/lib\/core\//.test(url)) return 'app: core';
	if (/\/src\/lib\/storage\//.test(url)) return 'app: storage';
	if (/\/src\/lib\/(state|components)\//.test(url)) return 'app: state and components';
	if (/\/bench\//.test(url)) return 'benchmark harness';
	return 'other (vitest runner)';
}

function summarize(profile: CpuProfile): Map<string, number> {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const totals = new Map<string, number>();
	profile.samples.forEach((id, i) => {
		const node = byId.get(id);
		if (!node) return;
		const key = bucket(node.callFrame);
		totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
	});
	return totals;
}

async function runSession(
	database: RecallDb,
	startAt: number,
	grades: number,
	profile = false
): Promise<Scenario> {
	let now = startAt;
	let learningCards = 0;
	for (const q of [Queue.Learning, Queue.Relearning]) {
		learningCards += await database.cards
			.where('[deckId+queue+due]')
			.between(['seed', q, -Infinity], ['seed', q, Infinity])
			.count();
	}
	const target = document.createElement('div');
	document.body.append(target);
	const session = new ReviewSession(database, 'seed', () => now, 'UTC');
	const component = mount(StudyScreen, { target, props: { session } });
	flushSync();
	const open0 = performance.now();
	const opened = whenDom(target, () => !!button(target, 'Show answer'), 'the first card');
	await session.start();
	const openMs = (await opened) - open0;

	const times: number[] = [];
	const frames: number[] = [];
	if (profile) {
		await cdp().send('Profiler.enable');
		await cdp().send('Profiler.setSamplingInterval', { interval: 200 });
		await cdp().send('Profiler.start');
	}
	for (let i = 0; i < grades && session.status === 'studying'; i++) {
		button(target, 'Show answer')!.click();
		flushSync();
		const rating = PATTERN[i % PATTERN.length]!;
		const label = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' }[rating];
		const gradeButton = button(target, new RegExp(`^${label}`));
		if (!gradeButton) throw new Error(`no ${label} button after Show answer`);
		now += ANSWER_MS;
		const frameStart = await frame();
		const t0 = performance.now();
		const shown = whenDom(
			target,
			() => !!button(target, 'Show answer') || session.status !== 'studying',
			'the next card'
		);
		gradeButton.click();
		const t1 = await shown;
		const painted = await frame();
		times.push(t1 - t0);
		frames.push(Math.max(1, Math.round((painted - frameStart) / (1000 / 60))));
	}
	let buckets: Map<string, number> | undefined;
	if (profile) {
		const result = (await cdp().send('Profiler.stop')) as { profile: CpuProfile };
		buckets = summarize(result.profile);
	}
	const heap = await heapMB();
	await unmount(component);
	target.remove();
	return { openMs, grades: times, frames, heapMB: heap, learningCards, profile: buckets };
}

/** All but `keep` (re)learning cards go to the review queue, due in 1–30 days. */
async function typicalLearningPile(database: RecallDb, keep: number, now: number): Promise<void> {
	await database.transaction('rw', database.cards, async () => {
		const learning: Card[] = [];
		for (const q of [Queue.Learning, Queue.Relearning]) {
			learning.push(
				...(await database.cards
					.where('[deckId+queue+due]')
					.between(['seed', q, -Infinity], ['seed', q, Infinity])
					.toArray())
			);
		}
		const moved = learning.slice(keep).map((c, i): Card => {
			const days = 1 + (i % 30);
			return {
				...c,
				queue: Queue.Review,
				state: CardState.Review,
				learningSteps: 0,
				scheduledDays: days,
				lastReview: now - 86_400_000,
				due: now + days * 86_400_000,
				rev: c.rev + 1
			};
		});
		await database.cards.bulkPut(moved);
	});
}

function scenarioRows(label: string, s: Scenario): BenchRow[] {
	const within1 = s.frames.filter((f) => f <= 1).length;
	const frameNote = `${s.grades.length} grades; next card painted in the frame after the click for ${within1}/${s.frames.length}, worst ${Math.max(...s.frames)} frames`;
	return [
		{
			section: SECTION,
			name: `open study screen (${label})`,
			value: round(s.openMs),
			unit: 'ms',
			budget: { max: 100 },
			note: `session.start() → first card laid out; ${s.learningCards} cards in learning`
		},
		{
			section: SECTION,
			name: `grade → next card, median (${label})`,
			value: round(median(s.grades)),
			unit: 'ms',
			budget: { max: 16 }
		},
		{
			section: SECTION,
			name: `grade → next card, p95 (${label})`,
			value: round(quantile(s.grades, 0.95)),
			unit: 'ms',
			budget: { max: 16 },
			note: frameNote
		}
	];
}

it('grades 200 cards with 100,000 cards and 1,000,000 reviews in the store', async () => {
	const heapBefore = await heapMB();
	db = freshDb();
	const t0 = performance.now();
	await seedCollection(db, {
		cards: CARDS,
		reviews: REVIEWS,
		now: SEED_NOW,
		deckIds: ['seed']
	});
	const seedMs = performance.now() - t0;
	expect(await db.revlog.count()).toBe(REVIEWS);
	rows.push({
		section: SECTION,
		name: 'seed the store (testing-seed.ts)',
		value: round(seedMs / 1000),
		unit: 's',
		note: `${CARDS} cards + notes, ${REVIEWS} review rows; heap before seeding ${round(heapBefore)} MB`
	});

	const seeded = await runSession(db, START, GRADES);
	rows.push(...scenarioRows('as seeded', seeded));

	await typicalLearningPile(db, 50, START + 30 * 60_000);
	const typical = await runSession(db, START + 60 * 60_000, GRADES);
	rows.push(...scenarioRows('50 in learning', typical));
	rows.push({
		section: SECTION,
		name: 'JS heap after the session',
		value: round(typical.heapMB),
		unit: 'MB',
		budget: { max: 40 },
		note: `V8 used heap after GC, study screen mounted, vitest runner included (${round(heapBefore)} MB before seeding); after the first session ${round(seeded.heapMB)} MB`
	});
	expect(typical.grades.length).toBeGreaterThan(0);

	// The two reads that make up most of opening the study screen, timed alone.
	const at = START + 2 * 3_600_000;
	const preset = await getPreset(db, 'default');
	let t = performance.now();
	const histogram = await dueHistogram(
		db,
		at,
		LOAD_BALANCE_MAX_INTERVAL + 10,
		preset.dayStartHour,
		'UTC'
	);
	const histogramMs = performance.now() - t;
	const day = {
		start: studyDayStart(at, preset.dayStartHour, 'UTC'),
		end: nextStudyDayStart(at, preset.dayStartHour, 'UTC')
	};
	t = performance.now();
	const candidates = await loadCandidates(db, 'seed', preset, day);
	const candidatesMs = performance.now() - t;
	const cardsRead =
		candidates.learning.length + candidates.reviews.length + candidates.newCards.length;
	rows.push(
		{
			section: SECTION,
			name: 'open: load-balancing histogram (dueHistogram) alone',
			value: round(histogramMs),
			unit: 'ms',
			note: `${[...histogram.values()].reduce((a, b) => a + b, 0)} cards counted by ${LOAD_BALANCE_MAX_INTERVAL + 10} count() range queries on the due index, one per study day (the whole collection)`
		},
		{
			section: SECTION,
			name: 'queue read (loadCandidates) alone',
			value: round(candidatesMs),
			unit: 'ms',
			note: `${cardsRead} cards read (learning up to ${LEARNING_READ} per queue, the day's reviews up to the limit, new) after the sessions above; since the in-memory queue, the session reads it at the start and when memory cannot tell, not per grade`
		}
	);

	// Where the time goes: a third session, the next study day, under the sampling profiler (its
	// overhead stays out of the figures above).
	const profiled = await runSession(db, START + 24 * 3_600_000, 100, true);
	const buckets = [...(profiled.profile ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
	const n = profiled.grades.length;
	const idle = buckets.find(([k]) => k.startsWith('idle'))?.[1] ?? 0;
	const busy = buckets.reduce((sum, [, ms]) => sum + ms, 0) - idle;
	rows.push({
		section: SECTION,
		name: 'profile: main-thread busy per grade',
		value: round(busy / n),
		unit: 'ms',
		note:
			`${n} grades (next day, 50 in learning; median ${round(median(profiled.grades))} ms under the profiler), per grade: ` +
			buckets
				.filter(([, ms]) => ms / n >= 0.05)
				.map(([k, ms]) => `${k} ${round(ms / n)}`)
				.join(', ')
	});
});
