import { describe, expect, it } from 'vitest';
import { CardState, type RevlogEntry } from '../model';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfStudyDay, studyDayNumber } from '../scheduling/day';
import {
	ALL_DECKS,
	TallyBuilders,
	assembleTally,
	contributionOf,
	countedRows,
	sameTally,
	tallyRows,
	utcDays,
	type StoredTally
} from './buckets';
import { lastIntervalDays, tallyReview, type DayContext, type ReviewTally } from './tally';
import { seededRandom as random } from '../random';

let seq = 0;
function row(o: Partial<RevlogEntry> & { reviewedAt: number }): RevlogEntry {
	seq++;
	return {
		id: seq,
		cardId: `c${seq}`,
		deckId: 'deck',
		rating: 3,
		state: CardState.Review,
		due: o.reviewedAt,
		stability: 5,
		difficulty: 5,
		elapsedDays: 0,
		scheduledDays: 3,
		durationMs: 5000,
		...o
	};
}

/**
 * Rows around `center` whose intervals sit near the young/mature border, due dates at any
 * quarter hour, times at any minute: the cases where assembly could go wrong.
 */
function borderRows(center: number, count: number, seed: number): RevlogEntry[] {
	const rnd = random(seed);
	return Array.from({ length: count }, () => {
		const reviewedAt = center + Math.floor((rnd() - 0.5) * 40 * DAY_MS);
		const state = rnd() < 0.75 ? CardState.Review : CardState.Learning;
		const elapsed = Math.floor(rnd() * 30);
		// The card was due `interval` days after the previous review, give or take some hours.
		const interval = 15 + Math.floor(rnd() * 12);
		const due = reviewedAt - elapsed * DAY_MS + interval * DAY_MS + (rnd() - 0.5) * 30 * HOUR_MS;
		return row({
			reviewedAt,
			rating: [0, 1, 2, 3, 3, 4][Math.floor(rnd() * 6)] as RevlogEntry['rating'],
			state,
			due: Math.round(due),
			elapsedDays: state === CardState.Review ? elapsed : 0,
			durationMs: Math.floor(rnd() * 20_000),
			deckId: rnd() < 0.5 ? 'a' : 'b'
		});
	});
}

/** The all-decks rows of a count from scratch (what the statistics page reads for all decks). */
const everyDeck = (rows: RevlogEntry[]) => tallyRows(rows).filter((t) => t.deckId === ALL_DECKS);

/** What the statistics counted before: every row in [from, to) through tallyReview. */
function directTally(rows: RevlogEntry[], ctx: DayContext, from: number, to: number): ReviewTally {
	const tally: ReviewTally = new Map();
	for (const r of rows) if (r.reviewedAt >= from && r.reviewedAt < to) tallyReview(tally, r, ctx);
	return tally;
}

const ZONES: [string, number][] = [
	['Europe/Berlin', 4],
	['Europe/Berlin', 0],
	['Asia/Kolkata', 4],
	['Asia/Kathmandu', 3],
	['America/New_York', 4],
	['Australia/Lord_Howe', 2],
	['Pacific/Chatham', 4],
	['UTC', 0],
	['America/St_Johns', 23]
];

describe('tallies per UTC quarter hour, assembled into study days', () => {
	// Spring and autumn DST changes in Berlin (and New York a few weeks apart).
	for (const center of [Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 1)]) {
		for (const [timeZone, dayStartHour] of ZONES) {
			it(`counts exactly what the review log gives in ${timeZone}, day start ${dayStartHour}:00, around ${new Date(center).toISOString().slice(0, 10)}`, () => {
				const rows = borderRows(center, 3000, center + dayStartHour);
				const ctx = { timeZone, dayStartHour };
				const today = studyDayNumber(center + 15 * DAY_MS, dayStartHour, timeZone);
				const from = startOfStudyDay(today - 30, dayStartHour, timeZone);
				const to = startOfStudyDay(today, dayStartHour, timeZone);
				expect(assembleTally(everyDeck(rows), ctx, from, to)).toEqual(
					directTally(rows, ctx, from, to)
				);
			});
		}
	}

	it('puts 03:59 in the study day before and 04:01 in the day itself', () => {
		const ctx = { timeZone: 'Europe/Berlin', dayStartHour: 4 };
		// 2024-05-15 in Berlin is UTC+2: 04:00 local is 02:00 UTC.
		const start = Date.UTC(2024, 4, 15, 2);
		const rows = [
			row({ reviewedAt: start - MINUTE_MS, rating: 1 }),
			row({ reviewedAt: start + MINUTE_MS, rating: 3 }),
			row({ reviewedAt: start + MINUTE_MS, rating: 4 })
		];
		const day = studyDayNumber(start, 4, ctx.timeZone);
		const tally = assembleTally(everyDeck(rows), ctx, start - DAY_MS, start + DAY_MS);
		expect(tally.get(day - 1)).toMatchObject({ reviews: 1, again: 1, youngFailed: 1 });
		expect(tally.get(day)).toMatchObject({ reviews: 2, again: 0, youngPassed: 2 });
	});

	it('splits a +5:30 and a +5:45 day at their own quarter hour', () => {
		// 04:00 in Kolkata is 22:30 UTC the day before; in Kathmandu 22:15.
		const at = Date.UTC(2024, 4, 14, 22, 20);
		const rows = [row({ reviewedAt: at, rating: 3 })];
		const stored = everyDeck(rows);
		const kolkata = { timeZone: 'Asia/Kolkata', dayStartHour: 4 };
		const kathmandu = { timeZone: 'Asia/Kathmandu', dayStartHour: 4 };
		const wide = [at - DAY_MS, at + DAY_MS] as const;
		expect([...assembleTally(stored, kolkata, ...wide).keys()]).toEqual([
			studyDayNumber(at, 4, 'Asia/Kolkata')
		]);
		expect([...assembleTally(stored, kathmandu, ...wide).keys()]).toEqual([
			studyDayNumber(at, 4, 'Asia/Kathmandu')
		]);
		expect(studyDayNumber(at, 4, 'Asia/Kolkata')).toBe(studyDayNumber(at, 4, 'Asia/Kathmandu') - 1);
	});

	it('decides young or mature at the border exactly as lastIntervalDays, keeping only those apart', () => {
		const ctx = { timeZone: 'Europe/Berlin', dayStartHour: 4 };
		const reviewedAt = Date.UTC(2024, 4, 15, 8);
		const rows = [19, 20, 21, 22, 40, 3].map((interval) =>
			row({ reviewedAt, elapsedDays: interval, due: reviewedAt - 30 * MINUTE_MS })
		);
		const cells = rows.map((r) => contributionOf(r)!.cell);
		// 40 and 3 days are decided at once; the ones next to 21 wait for the zone.
		expect(cells.slice(4)).toEqual([5, 3]);
		expect(cells.slice(0, 4).every((c) => c === 'undecided')).toBe(true);
		const tally = assembleTally(everyDeck(rows), ctx, reviewedAt - DAY_MS, reviewedAt + DAY_MS);
		const mature = rows.filter((r) => lastIntervalDays(r, ctx) >= 21).length;
		expect(mature).toBe(3);
		expect([...tally.values()][0]).toMatchObject({ maturePassed: mature, youngPassed: 3 });
	});

	it('counts the hour the clocks go back between a review and its due date', () => {
		// Reviewed at 00:05 on 20 October (UTC+2), due 20 days and 30 minutes later by the clock
		// of UTC, which is 23:35 on 8 November (UTC+1): 19 study days, so an interval of 20 days.
		const ctx = { timeZone: 'Europe/Berlin', dayStartHour: 0 };
		const reviewedAt = Date.UTC(2024, 9, 19, 22, 5);
		const due = reviewedAt + 20 * DAY_MS + 30 * MINUTE_MS;
		const r = row({ reviewedAt, due, elapsedDays: 1 });
		expect(lastIntervalDays(r, ctx)).toBe(20);
		const tally = assembleTally(everyDeck([r]), ctx, reviewedAt - HOUR_MS, reviewedAt + HOUR_MS);
		expect([...tally.values()]).toMatchObject([{ youngPassed: 1, maturePassed: 0 }]);
	});

	it('leaves out what lies outside the window asked for', () => {
		const ctx = { timeZone: 'UTC', dayStartHour: 0 };
		const t = Date.UTC(2024, 0, 10, 12);
		const stored = everyDeck([row({ reviewedAt: t }), row({ reviewedAt: t + DAY_MS })]);
		expect([...assembleTally(stored, ctx, t - HOUR_MS, t + HOUR_MS).values()]).toMatchObject([
			{ reviews: 1 }
		]);
		expect(utcDays(t, t + DAY_MS)).toEqual({ first: 19732, last: 19733 });
	});
});

describe('keeping tally rows up to date', () => {
	const rows = borderRows(Date.UTC(2024, 9, 27), 2000, 7);

	it('adding and taking rows away gives what a count from scratch gives', () => {
		const builders = new TallyBuilders();
		for (const r of rows) builders.add(r);
		const removed = rows.filter((_, i) => i % 3 === 0);
		for (const r of removed) builders.add(r, -1);
		const kept = [...builders.values()].filter((b) => !b.empty).map((b) => b.toRow());
		const fresh = tallyRows(rows.filter((_, i) => i % 3 !== 0));
		const byKey = (list: StoredTally[]) =>
			new Map(list.map((t) => [`${t.deckId}|${t.day}`, t] as const));
		expect([...byKey(kept).keys()].sort()).toEqual([...byKey(fresh).keys()].sort());
		for (const [key, t] of byKey(fresh)) expect(sameTally(byKey(kept).get(key)!, t)).toBe(true);
		expect(countedRows(kept.filter((t) => t.deckId === ALL_DECKS))).toBe(
			rows.length - removed.length
		);
	});

	it('resumes from a stored row', () => {
		const [first, ...more] = tallyRows(rows.slice(0, 100));
		const builders = new TallyBuilders();
		const b = builders.row(first!.deckId, first!.day, first);
		expect(sameTally(b.toRow(), first!)).toBe(true);
		expect(more.length).toBeGreaterThan(0);
	});

	it('taking every row away leaves nothing', () => {
		const builders = new TallyBuilders();
		for (const r of rows) builders.add(r);
		for (const r of rows) builders.add(r, -1);
		expect([...builders.values()].every((b) => b.empty)).toBe(true);
	});

	it('counts rows that are not answers, or whose time is not a date, in n only', () => {
		const t = Date.UTC(2024, 0, 1);
		const manual = tallyRows([row({ reviewedAt: t, rating: 0 })]);
		expect(manual.map((m) => [m.deckId, m.n, m.slots.length, m.undecided.length])).toEqual([
			['deck', 1, 0, 0],
			[ALL_DECKS, 1, 0, 0]
		]);
		expect(tallyRows([row({ reviewedAt: Infinity })])).toMatchObject([
			{ day: Infinity, n: 1 },
			{ day: Infinity, n: 1 }
		]);
		expect(contributionOf(row({ reviewedAt: NaN }))).toBeNull();
	});

	it('counts a row without a deck of its own in the all-decks row only', () => {
		const t = Date.UTC(2024, 0, 1);
		const rows = tallyRows([row({ reviewedAt: t, deckId: undefined as never })]);
		expect(rows.map((r) => r.deckId)).toEqual([ALL_DECKS]);
	});

	it('keeps whole numbers in 32 bits and anything else in 64', () => {
		const t = Date.UTC(2024, 0, 1);
		expect(tallyRows([row({ reviewedAt: t })])[0]!.slots).toBeInstanceOf(Uint32Array);
		const long = tallyRows([row({ reviewedAt: t, durationMs: 2.5 })])[0]!;
		expect(long.slots).toBeInstanceOf(Float64Array);
		expect(long.slots[2]).toBe(2.5);
	});

	it('stores slots in order: slot number, then the fields', () => {
		const t = Date.UTC(2024, 0, 1, 0, 40);
		const [stored] = tallyRows([
			row({ reviewedAt: t, rating: 1, durationMs: 7000, elapsedDays: 2, due: t }),
			row({ reviewedAt: t - 30 * MINUTE_MS, rating: 3, state: CardState.New })
		]);
		expect([...stored!.slots]).toEqual([0, 1, 5000, 0, 0, 0, 0, 0, 2, 1, 7000, 1, 0, 1, 0, 0]);
	});
});
