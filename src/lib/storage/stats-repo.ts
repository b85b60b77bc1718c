/**
 * Reads for the statistics page, for the whole collection or one deck, without loading a large
 * table into memory: cards are read in pages; the review history is never read row by row but
 * from the review tallies kept at write time (storage/review-tallies.ts) — a few hundred small
 * rows for a year — plus today's rows. A count of the log over the same days checks them.
 */
import type { Card, Preset } from '../core/model';
import { DAY_MS, startOfStudyDay, studyDayNumber } from '../core/scheduling/day';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import {
	CardStatsBuilder,
	HISTORY_DAYS,
	cardStatsFromTallies,
	countedCards,
	assembleTally,
	countedRows,
	reviewStats,
	utcDays,
	type CardStats,
	type DayContext,
	type ReviewStats
} from '../core/stats';
import type { RecallDb } from './db';
import { cardTallyRowsOf, rebuildCardTallies } from './card-tallies';
import { rebuildTallies, revlogBetween, tallyRowsBetween } from './review-tallies';

const PAGE = 5000;
const QUEUES = [-2, -1, 0, 1, 2, 3];

export interface StatsQuery {
	/** One deck, or null for the whole collection. */
	deckId: string | null;
	now: number;
	timeZone: string;
	/** Share (0–1) of the review history recounted, should its tallies need rebuilding. */
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

/**
 * Counts, forecast, intervals and memory of the cards in scope, from the card tallies kept at
 * write time (storage/card-tallies.ts): a row per deck and day instead of every card. A count of
 * the cards in scope checks them; should they disagree, they are counted afresh.
 */
export async function loadCardStats(db: RecallDb, q: StatsQuery): Promise<CardStats> {
	const { presetFor, dayStartHour } = await presets(db, q.deckId);
	const ctx = { now: q.now, dayStartHour, timeZone: q.timeZone, presetFor };
	let read = await readCardTallies(db, q.deckId);
	if (countedCards(read.rows) !== read.cards) {
		console.warn(
			`Card tallies counted ${countedCards(read.rows)} cards where the store has ${read.cards}: recounting.`
		);
		await rebuildCardTallies(db);
		read = await readCardTallies(db, q.deckId);
	}
	return cardStatsFromTallies(read.rows, ctx);
}

/** In one read transaction: the tally rows in scope and how many cards they must add up to. */
function readCardTallies(db: RecallDb, deckId: string | null) {
	return db.transaction('r', [db.cards, db.cardTallies], async () => {
		const rows = await cardTallyRowsOf(db, deckId).toArray();
		const cards =
			deckId === null
				? await db.cards.count()
				: await db.cards.where('deckId').equals(deckId).count();
		return { rows, cards };
	});
}

/**
 * Counts, forecast, intervals and memory of the cards in scope from a pass over every card: the
 * reference the tallies are tested against (and the benchmark's "before").
 */
export async function countCardStats(db: RecallDb, q: StatsQuery): Promise<CardStats> {
	const { presetFor, dayStartHour } = await presets(db, q.deckId);
	const builder = new CardStatsBuilder({
		now: q.now,
		dayStartHour,
		timeZone: q.timeZone,
		presetFor
	});
	const add = (card: Card) => builder.add(card);
	// Page by page, not in one transaction that would hold up grading meanwhile.
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

/** Today's summary, streak, heatmap and true retention of the reviews in scope. */
export async function loadReviewStats(db: RecallDb, q: StatsQuery): Promise<ReviewStats> {
	const { dayStartHour } = await presets(db, q.deckId);
	const ctx: DayContext = { dayStartHour, timeZone: q.timeZone };
	const log = new ScopedLog(db, q.deckId, ctx);
	const today = studyDayNumber(q.now, dayStartHour, q.timeZone);
	const firstDay = today - HISTORY_DAYS + 1;
	const from = log.start(firstDay);
	const to = log.start(today);
	const days = utcDays(from, to);
	let read = await readWindow(log, days.first, days.last, today);
	if (countedRows(read.tallies) !== read.logged) {
		// Never expected (the middleware keeps them in step), but cheap to notice: count afresh.
		console.warn(
			`Review tallies counted ${countedRows(read.tallies)} reviews where the log has ${read.logged}: recounting.`
		);
		await rebuildTallies(db, q.deckId, days.first, days.last, q.onProgress);
		read = await readWindow(log, days.first, days.last, today);
	}
	const past = assembleTally(read.tallies, ctx, from, to);
	const stats = reviewStats(past, read.today, today, ctx);
	if (stats.streak.since === firstDay) await extendStreak(log, stats);
	return stats;
}

/**
 * In one read transaction: the tally rows of UTC days `first`…`last`, how many log rows those
 * days hold (which the rows must add up to), and today's rows (for today's distinct cards).
 */
function readWindow(log: ScopedLog, first: number, last: number, today: number) {
	const { db, deckId } = log;
	return db.transaction('r', [db.revlog, db.reviewTallies], async () => {
		const tallies = await tallyRowsBetween(db, deckId, first, last).toArray();
		const logged = await revlogBetween(db, deckId, first * DAY_MS, (last + 1) * DAY_MS).count();
		return { tallies, logged, today: await log.day(today).toArray() };
	});
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

	day(day: number) {
		return revlogBetween(this.db, this.deckId, this.start(day), this.start(day + 1));
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
