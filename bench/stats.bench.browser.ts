/**
 * Statistics at scale (issue 6): 100,000 cards and 1,000,000 review-log rows in real IndexedDB
 * (Debian's Chromium, vitest browser mode).
 *
 * The store is seeded at schema version 2 (no review tallies), then opened with this build's
 * schema, which runs the v3 upgrade: the tallies are counted from the whole log. Measured:
 *
 * - grade transaction: `saveGrade` (card put + review-log add), 100 grades on the version-2
 *   connection (no tally upkeep), then 100 on the upgraded one (the middleware adjusts the
 *   tallies in the same transaction): the per-grade cost of keeping them;
 * - the v3 upgrade of 1,000,000 reviews (`open()` of the upgraded database);
 * - review statistics (`loadReviewStats`, what the worker runs): first visit after the upgrade,
 *   repeat visits, one deck; the log count that checks the tallies, alone; a full recount of
 *   the year shown (what the safety net would do);
 * - card statistics (`loadCardStats`): the whole collection and one deck;
 * - the page's path (`runInWorker`): when the review part and the card part arrive, and the
 *   longest main-thread task meanwhile (PerformanceObserver "longtask").
 */
import { afterAll, expect, it } from 'vitest';
import { CardState, type Card } from '$lib/core/model';
import { DAY_MS, startOfStudyDay, studyDayNumber } from '$lib/core/scheduling/day';
import { gradeCard } from '$lib/core/scheduling/scheduler';
import { HISTORY_DAYS, utcDays } from '$lib/core/stats';
import { openDb, openDbV2, type RecallDb } from '$lib/storage/db';
import { getPreset } from '$lib/storage/presets';
import { saveGrade } from '$lib/storage/review-repo';
import { rebuildTallies, revlogBetween } from '$lib/storage/review-tallies';
import {
	countCardStats,
	loadCardStats,
	loadReviewStats,
	type StatsQuery
} from '$lib/storage/stats-repo';
import { seedCollection } from '$lib/storage/testing-seed';
import { runInWorker } from '$lib/workers/stats-client';
import { median, quantile, report, round, type BenchRow } from './lib/report';

const CARDS = 100_000;
const REVIEWS = 1_000_000;
const DECKS = Array.from({ length: 10 }, (_, i) => `deck-${i}`);
const GRADES = 100;
const REPEATS = 5;
/** The seeded history ends at 03:00 UTC; the page is opened at 12:00 UTC the same day. */
const SEED_NOW = Date.UTC(2026, 10, 23, 3);
const NOW = Date.UTC(2026, 10, 23, 12);
const TZ = 'Europe/Berlin';
const SECTION = 'Statistics (100k cards, 1M reviews, Chromium)';

const rows: BenchRow[] = [];
let db: RecallDb | undefined;
const dbName = `recall-stats-bench-${Date.now()}`;

afterAll(async () => {
	report(rows);
	if (db) await db.delete();
});

const row = (name: string, value: number, unit: string, note?: string, max?: number): BenchRow => ({
	section: SECTION,
	name,
	value: round(value),
	unit,
	...(max === undefined ? {} : { budget: { max } }),
	...(note ? { note } : {})
});

/** "n runs, min–max": how far the runs of a row spread. */
const spread = (values: readonly number[]) =>
	`${values.length} runs, ${round(Math.min(...values))}–${round(Math.max(...values))} ms`;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
	const t0 = performance.now();
	const result = await work();
	return [performance.now() - t0, result];
}

/** `count` grades (Good) of review cards of `deck`, each transaction timed alone. */
async function grades(target: RecallDb, cards: Card[], at: number): Promise<number[]> {
	const preset = await getPreset(target, 'default');
	const times: number[] = [];
	for (const [i, before] of cards.entries()) {
		const r = gradeCard(before, 3, preset, at + i * 8000, { timeZone: TZ });
		const [ms] = await timed(() => saveGrade(target, before, r.card, r.log, null));
		times.push(ms);
	}
	return times;
}

function reviewCards(target: RecallDb, skip: number): Promise<Card[]> {
	return target.cards
		.where('[deckId+queue+due]')
		.between([DECKS[0], CardState.Review, -Infinity], [DECKS[0], CardState.Review, Infinity])
		.offset(skip)
		.limit(GRADES)
		.toArray();
}

/** Runs the page's worker path and watches the main thread for long tasks meanwhile. */
async function viaWorker(target: RecallDb, query: StatsQuery) {
	const tasks: number[] = [];
	const observer = new PerformanceObserver((list) => {
		for (const e of list.getEntries()) tasks.push(e.duration);
	});
	observer.observe({ type: 'longtask', buffered: false });
	const t0 = performance.now();
	let reviewsAt = NaN;
	let cardsAt = NaN;
	const run = runInWorker(target, query, {
		reviews: () => (reviewsAt = performance.now() - t0),
		cards: () => (cardsAt = performance.now() - t0)
	});
	await run.done;
	observer.disconnect();
	return { reviewsAt, cardsAt, longest: Math.max(0, ...tasks) };
}

it('reads statistics of 100,000 cards and 1,000,000 reviews', async () => {
	// Version 2 of the schema: the data of the previous version, no tallies, no middleware.
	const v2 = openDbV2(dbName);
	const [seedMs] = await timed(() =>
		seedCollection(v2, { cards: CARDS, reviews: REVIEWS, now: SEED_NOW, deckIds: DECKS })
	);
	expect(await v2.revlog.count()).toBe(REVIEWS);
	rows.push(row('seed the store at schema v2 (testing-seed.ts, 10 decks)', seedMs / 1000, 's'));

	const without = await grades(v2, await reviewCards(v2, 0), NOW);
	v2.close();

	db = openDb(dbName);
	const [upgradeMs] = await timed(() => db!.open());
	const tallyRows = await db.reviewTallies.count();
	const everyDeck = await db.reviewTallies.where('deckId').equals('').toArray();
	expect(everyDeck.reduce((n, t) => n + t.n, 0)).toBe(REVIEWS + GRADES);
	rows.push(
		row(
			'v3 + v6 upgrades: tallies counted from 1,000,000 reviews and 100,000 cards',
			upgradeMs / 1000,
			's',
			`${tallyRows.toLocaleString('en')} tally rows (deck or all decks × UTC day)`
		)
	);

	const withTallies = await grades(db, await reviewCards(db, GRADES), NOW + 3_600_000);
	rows.push(
		row(
			'grade transaction without tally upkeep (v2), median',
			median(without),
			'ms',
			`${GRADES} grades, p95 ${round(quantile(without, 0.95))} ms`
		),
		row(
			'grade transaction with tally upkeep (v6: reviews and cards), median',
			median(withTallies),
			'ms',
			`${GRADES} grades, p95 ${round(quantile(withTallies, 0.95))} ms; the difference is what the middlewares add`
		)
	);

	const all: StatsQuery = { deckId: null, now: NOW, timeZone: TZ };
	const [firstMs, first] = await timed(() => loadReviewStats(db!, all));
	expect(first.heatmap.total).toBeGreaterThan(REVIEWS * 0.95);
	const repeat: number[] = [];
	for (let i = 0; i < REPEATS; i++) repeat.push((await timed(() => loadReviewStats(db!, all)))[0]);
	const deck: number[] = [];
	for (let i = 0; i < REPEATS; i++) {
		deck.push((await timed(() => loadReviewStats(db!, { ...all, deckId: DECKS[1]! })))[0]);
	}
	rows.push(
		row(
			'review statistics, first visit after the upgrade (all decks)',
			firstMs,
			'ms',
			"loadReviewStats: tally rows of the year + today's rows + the checking count",
			1000
		),
		row(
			'review statistics, repeat visit (all decks), median',
			median(repeat),
			'ms',
			spread(repeat),
			1000
		),
		row(
			'review statistics, one deck (100k reviews), median',
			median(deck),
			'ms',
			spread(deck),
			1000
		)
	);

	// The parts of a visit, alone.
	const today = studyDayNumber(NOW, 4, TZ);
	const from = startOfStudyDay(today - HISTORY_DAYS + 1, 4, TZ);
	const to = startOfStudyDay(today, 4, TZ);
	const days = utcDays(from, to);
	const [countMs] = await timed(() =>
		revlogBetween(db!, null, days.first * DAY_MS, (days.last + 1) * DAY_MS).count()
	);
	const [readMs, read] = await timed(() =>
		db!.reviewTallies.where('[deckId+day]').between(['', days.first], ['', days.last]).toArray()
	);
	const bytes = read.reduce((n, t) => n + t.slots.byteLength + t.undecided.byteLength, 0);
	const [rebuildMs] = await timed(() => rebuildTallies(db!, null, days.first, days.last));
	rows.push(
		row(
			'  of which: reading the year of tally rows',
			readMs,
			'ms',
			`${read.length} rows, ${round(bytes / 1e6)} MB of slots`
		),
		row('  of which: counting the year of log (the check)', countMs, 'ms'),
		row(
			'safety net: recount the year shown from the log',
			rebuildMs / 1000,
			's',
			'only when the tallies disagree with the count; a week per transaction'
		)
	);

	// Card statistics: from the card tallies (v6) and, for comparison, from every card.
	const tallied: number[] = [];
	const counted: number[] = [];
	const deckTallied: number[] = [];
	for (let i = 0; i < REPEATS; i++) {
		const [ms, cards] = await timed(() => loadCardStats(db!, all));
		expect(cards.counts.total).toBe(CARDS);
		tallied.push(ms);
		deckTallied.push((await timed(() => loadCardStats(db!, { ...all, deckId: DECKS[1]! })))[0]);
		counted.push((await timed(() => countCardStats(db!, all)))[0]);
	}
	const cardRows = await db.cardTallies.count();
	rows.push(
		row(
			'card statistics from the tallies (all decks, 100,000 cards), median',
			median(tallied),
			'ms',
			`loadCardStats: ${cardRows.toLocaleString('en')} tally rows + the checking count; ${spread(tallied)}`
		),
		row(
			'card statistics from the tallies (one deck, 10,000 cards), median',
			median(deckTallied),
			'ms',
			spread(deckTallied)
		),
		row(
			'card statistics from every card (before v6), median',
			median(counted),
			'ms',
			`countCardStats, pages of 5,000 cards; ${spread(counted)}`
		)
	);

	const visits: { reviewsAt: number; cardsAt: number; longest: number }[] = [];
	for (let i = 0; i < REPEATS; i++) visits.push(await viaWorker(db, all));
	const everything = visits.map((v) => Math.max(v.reviewsAt, v.cardsAt));
	rows.push(
		row(
			'page (worker): everything shown after, median',
			median(everything),
			'ms',
			`runInWorker, from the request, worker start included; ${spread(everything)}`,
			300
		),
		row(
			'page (worker): review part shown after, median',
			median(visits.map((v) => v.reviewsAt)),
			'ms',
			spread(visits.map((v) => v.reviewsAt))
		),
		row(
			'page (worker): card part shown after, median',
			median(visits.map((v) => v.cardsAt)),
			'ms',
			spread(visits.map((v) => v.cardsAt))
		),
		row(
			'page (worker): longest main-thread task meanwhile',
			Math.max(...visits.map((v) => v.longest)),
			'ms',
			`worst of ${REPEATS}; 0 = none of 50 ms or more`,
			50
		)
	);
});
