/**
 * Reads for the statistics page, for the whole collection or one deck, without loading a large
 * table into memory: cards are read in pages, the review log one study day at a time.
 *
 * A year of review log (up to a million rows) costs seconds to read from IndexedDB, so the
 * per-day tallies of past days are kept in `meta` and extended on later visits: rows appended
 * since (higher ids: new answers, imported history) are added, and a count of the past days'
 * rows proves nothing was deleted (an undo across midnight, a deleted deck); if anything
 * disagrees — count, time zone, day-start hour — the tallies are rebuilt from the log, a day per
 * read and not in one long transaction (that would hold up every grade meanwhile).
 */
import type { Card, Preset, RevlogEntry } from '../core/model';
import { startOfStudyDay, studyDayNumber } from '../core/scheduling/day';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import {
	CardStatsBuilder,
	HISTORY_DAYS,
	decodeTally,
	encodeTally,
	pruneTally,
	reviewStats,
	tallyReview,
	type CardStats,
	type DayContext,
	type ReviewStats,
	type ReviewTally
} from '../core/stats';
import type { RecallDb } from './db';

const PAGE = 5000;
const CACHE_VERSION = 1;
const QUEUES = [-2, -1, 0, 1, 2, 3];

export interface StatsQuery {
	/** One deck, or null for the whole collection. */
	deckId: string | null;
	now: number;
	timeZone: string;
	/** Share (0–1) of the review history read, while the day tallies are being rebuilt. */
	onProgress?: (share: number) => void;
}

export interface DeckChoice {
	id: string;
	title: string;
}

export async function listDecks(db: RecallDb): Promise<DeckChoice[]> {
	const decks = await db.decks.toArray();
	return decks
		.map((d) => ({ id: d.id, title: d.title }))
		.sort((a, b) => a.title.localeCompare(b.title));
}

/** Presets by deck, and the day-start hour of the scope (the deck's, or the default preset's). */
async function presets(db: RecallDb, deckId: string | null) {
	const [decks, all] = await Promise.all([db.decks.toArray(), db.presets.toArray()]);
	const byId = new Map(all.map((p) => [p.id, p]));
	const fallback = byId.get(DEFAULT_PRESET.id) ?? DEFAULT_PRESET;
	const byDeck = new Map(decks.map((d) => [d.id, byId.get(d.presetId) ?? fallback]));
	const presetFor = (id: string): Preset => byDeck.get(id) ?? fallback;
	return { presetFor, dayStartHour: presetFor(deckId ?? '').dayStartHour };
}

/** Counts, forecast, intervals and memory of the cards in scope. */
export async function loadCardStats(db: RecallDb, q: StatsQuery): Promise<CardStats> {
	const { presetFor, dayStartHour } = await presets(db, q.deckId);
	const builder = new CardStatsBuilder({
		now: q.now,
		dayStartHour,
		timeZone: q.timeZone,
		presetFor
	});
	const add = (card: Card) => builder.add(card);
	// Page by page, not in one transaction that would hold up grading meanwhile. A card graded in
	// another tab during the scan is counted in its old or new state (in one deck's scan, which
	// follows the queue index, it could be missed or met twice): a blip, gone on the next visit.
	if (q.deckId === null) await eachCard(db, add);
	else await eachDeckCard(db, q.deckId, add);
	return builder.result();
}

/** Every card, a page of the primary key at a time. */
async function eachCard(db: RecallDb, fn: (card: Card) => void): Promise<void> {
	let page = await db.cards.limit(PAGE).toArray();
	while (page.length > 0) {
		page.forEach(fn);
		if (page.length < PAGE) return;
		page = await db.cards.where(':id').above(page.at(-1)!.id).limit(PAGE).toArray();
	}
}

/** A deck's cards, a page of [deckId+queue+due] at a time. */
async function eachDeckCard(db: RecallDb, deckId: string, fn: (card: Card) => void) {
	const index = db.cards.where('[deckId+queue+due]');
	for (const queue of QUEUES) {
		let from = -Infinity;
		let includeFrom = true;
		for (;;) {
			const page = await index
				.between([deckId, queue, from], [deckId, queue, Infinity], includeFrom, true)
				.limit(PAGE)
				.toArray();
			if (page.length < PAGE) {
				page.forEach(fn);
				break;
			}
			// The page may end inside a run of cards due at the same time: take that run whole,
			// then continue above it (due is not unique, so "after the last row" is not a key).
			const last = page.at(-1)!.due;
			page.filter((c) => c.due !== last).forEach(fn);
			(await index.equals([deckId, queue, last]).toArray()).forEach(fn);
			from = last;
			includeFrom = false;
		}
	}
}

interface TallyCache {
	v: number;
	dayStartHour: number;
	timeZone: string;
	/** Start of the study day that was today when cached: the tallies cover the days before it. */
	closedBefore: number;
	/** Rows in scope reviewed before `closedBefore`, at the time (all history, not just a year). */
	closedCount: number;
	/** Highest revlog id then: later rows are new since. */
	maxId: number;
	days: number[][];
}

const cacheKey = (deckId: string | null) => `stats:day-tallies:${deckId ?? '*'}`;

/** Today's summary, streak, heatmap and true retention of the reviews in scope. */
export async function loadReviewStats(db: RecallDb, q: StatsQuery): Promise<ReviewStats> {
	const { dayStartHour } = await presets(db, q.deckId);
	const ctx: DayContext = { dayStartHour, timeZone: q.timeZone };
	const log = new ScopedLog(db, q.deckId, ctx);
	const today = studyDayNumber(q.now, dayStartHour, q.timeZone);
	const firstDay = today - HISTORY_DAYS + 1;
	const todayStart = log.start(today);
	// Where the log stands: the stored tallies are extended up to here, or checked against it.
	const mark = async () => ({
		maxId: ((await db.revlog.orderBy(':id').lastKey()) as number | undefined) ?? 0,
		closedCount: await log.countBefore(todayStart)
	});
	const before = await db.transaction('r', [db.revlog, db.meta], async () => {
		const now = await mark();
		const stored = (await db.meta.get(cacheKey(q.deckId)))?.value as TallyCache | undefined;
		const extended = stored ? await extend(log, stored, now.maxId, today, firstDay) : null;
		return { ...now, extended };
	});
	let past = before.extended;
	let settled = true;
	if (!past) {
		// Day by day, not in one transaction: that would hold up every grade (a write) meanwhile.
		past = await rebuild(log, today, firstDay, q.onProgress);
		// Answers given meanwhile (today's) change nothing read; anything else might have.
		settled = await db.transaction('r', db.revlog, async () => {
			const since = await db.revlog.where(':id').above(before.maxId).toArray();
			const older = since.filter((r) => log.inScope(r) && r.reviewedAt < todayStart);
			return older.length === 0 && (await log.countBefore(todayStart)) === before.closedCount;
		});
	}
	past = pruneTally(past, firstDay);
	const stats = reviewStats(past, await log.day(today).toArray(), today, ctx);
	// Past rows written or deleted while rebuilding may be half counted: show, but do not keep.
	if (settled) {
		await saveCache(db, q.deckId, {
			v: CACHE_VERSION,
			...ctx,
			closedBefore: todayStart,
			closedCount: before.closedCount,
			maxId: before.maxId,
			days: encodeTally(past)
		});
	}
	if (stats.streak.since === firstDay) await extendStreak(log, stats);
	return stats;
}

/** The review log in scope, by study day. */
class ScopedLog {
	constructor(
		readonly db: RecallDb,
		readonly deckId: string | null,
		readonly ctx: DayContext
	) {}

	start(day: number): number {
		return startOfStudyDay(day, this.ctx.dayStartHour, this.ctx.timeZone);
	}

	between(from: number, to: number) {
		const { revlog } = this.db;
		return this.deckId === null
			? revlog.where('reviewedAt').between(from, to, true, false)
			: revlog
					.where('[deckId+reviewedAt]')
					.between([this.deckId, from], [this.deckId, to], true, false);
	}

	day(day: number) {
		return this.between(this.start(day), this.start(day + 1));
	}

	countBefore(t: number): Promise<number> {
		return this.between(-Infinity, t).count();
	}

	inScope(row: RevlogEntry): boolean {
		return this.deckId === null || row.deckId === this.deckId;
	}
}

async function rebuild(
	log: ScopedLog,
	today: number,
	firstDay: number,
	onProgress?: (share: number) => void
): Promise<ReviewTally> {
	const tally: ReviewTally = new Map();
	// A young collection has no year of history: start at its first review.
	const first = await log.between(-Infinity, log.start(today)).first();
	if (!first) return tally;
	const { dayStartHour, timeZone } = log.ctx;
	const from = Math.max(firstDay, studyDayNumber(first.reviewedAt, dayStartHour, timeZone));
	for (let day = from; day < today; day++) {
		// One study day per read: small pages, and each row's day is known without date maths.
		for (const row of await log.day(day).toArray()) tallyReview(tally, row, log.ctx, day);
		onProgress?.((day - from + 1) / (today - from));
	}
	return tally;
}

/** The stored tallies brought up to date, or null when they cannot be (then: rebuild). */
async function extend(
	log: ScopedLog,
	stored: TallyCache,
	maxId: number,
	today: number,
	firstDay: number
): Promise<ReviewTally | null> {
	const { ctx } = log;
	const todayStart = log.start(today);
	const usable =
		stored.v === CACHE_VERSION &&
		stored.dayStartHour === ctx.dayStartHour &&
		stored.timeZone === ctx.timeZone &&
		stored.closedBefore <= todayStart;
	const tally = usable ? decodeTally(stored.days) : null;
	if (!tally) return null;
	const windowStart = log.start(firstDay);
	let appendedBefore = 0;
	// Ids only grow, so the rows written since are the ids above the stored maximum.
	for (let from = stored.maxId; from < maxId; from += PAGE) {
		const to = Math.min(from + PAGE, maxId);
		for (const row of await log.db.revlog.where(':id').between(from, to, false, true).toArray()) {
			if (!log.inScope(row)) continue;
			if (row.reviewedAt < stored.closedBefore) appendedBefore++;
			if (row.reviewedAt >= windowStart && row.reviewedAt < todayStart) {
				tallyReview(tally, row, ctx);
			}
		}
	}
	if ((await log.countBefore(stored.closedBefore)) !== stored.closedCount + appendedBefore) {
		return null;
	}
	// Days that were still open when cached (today then, or later): their older rows now count.
	const reopened = await log.between(stored.closedBefore, todayStart).toArray();
	for (const row of reopened) if (row.id! <= stored.maxId) tallyReview(tally, row, ctx);
	return tally;
}

async function saveCache(db: RecallDb, deckId: string | null, cache: TallyCache) {
	try {
		await db.meta.put({ key: cacheKey(deckId), value: cache });
	} catch (e) {
		// Only a shortcut for the next visit: the numbers shown are right without it.
		console.warn('The statistics cache could not be saved', e);
	}
}

/** A streak as long as the history shown goes on further back: count it on, a day at a time. */
async function extendStreak(log: ScopedLog, stats: ReviewStats): Promise<void> {
	let day = stats.streak.since! - 1;
	// Counting rows is cheap (no values read); manual entries count too, beyond a year.
	while ((await log.day(day).count()) > 0) day--;
	stats.streak.current += stats.streak.since! - 1 - day;
	stats.streak.since = day + 1;
	stats.streak.longest = Math.max(stats.streak.longest, stats.streak.current);
}
