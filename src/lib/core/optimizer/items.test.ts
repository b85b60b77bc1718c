import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CardState } from '../model';
import { JOSH_CSV_FROM_REPO } from './corpus';
import { buildTrainingSet, flattenItems, type ReviewRecord, type TrainingSet } from './items';
import { parseRevlogCsv } from './revlog-csv';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const utc4 = { dayStartHour: 4, timeZone: 'UTC' };
/** Noon UTC on day `d` of 2024 (day 0 = 1 January). */
const noon = (d: number) => Date.UTC(2024, 0, 1 + d, 12);

function review(
	cardId: string,
	reviewedAt: number,
	rating: number,
	state?: CardState
): ReviewRecord {
	return state === undefined
		? { cardId, reviewedAt, rating }
		: { cardId, reviewedAt, rating, state };
}

/** Each item as fsrs-rs prints it: [rating, delta_t] pairs of its history. */
function itemsOf(set: TrainingSet): [number, number][][] {
	return set.items.map(({ card, length }) => {
		const c = set.cards[card]!;
		return c.ratings.slice(0, length).map((r, i) => [r, c.deltaTs[i]!]);
	});
}

describe('buildTrainingSet', () => {
	it('counts study days between reviews and makes one item per later-day review (fsrs-rs delta_t_is_correct)', () => {
		const log = [15, 13, 10, 5].map((daysAgo, i) =>
			review('c', noon(30 - daysAgo), 3, i < 2 ? CardState.Learning : CardState.Review)
		);
		expect(itemsOf(buildTrainingSet(log, utc4))).toEqual([
			[
				[3, 0],
				[3, 2]
			],
			[
				[3, 0],
				[3, 2],
				[3, 3]
			],
			[
				[3, 0],
				[3, 2],
				[3, 3],
				[3, 5]
			]
		]);
	});

	it('keeps same-day reviews in the history with delta_t 0 but trains only on later-day reviews', () => {
		const log = [
			review('c', noon(0), 1, CardState.New),
			review('c', noon(0) + 10 * 60_000, 3, CardState.Learning),
			review('c', noon(1), 3, CardState.Review),
			review('c', noon(1) + HOUR, 3, CardState.Review),
			review('c', noon(4), 2, CardState.Review)
		];
		const set = buildTrainingSet(log, utc4);
		expect(itemsOf(set)).toEqual([
			[
				[1, 0],
				[3, 0],
				[3, 1]
			],
			[
				[1, 0],
				[3, 0],
				[3, 1],
				[3, 0],
				[2, 3]
			]
		]);
		expect(set.reviewCount).toBe(5);
	});

	it("puts a review before the preset's day-start hour on the previous study day", () => {
		const first = Date.UTC(2024, 0, 1, 22);
		const log = [
			review('c', first, 3, CardState.New),
			review('c', Date.UTC(2024, 0, 2, 3, 59), 3, CardState.Review),
			review('c', Date.UTC(2024, 0, 2, 4, 1), 3, CardState.Review)
		];
		expect(buildTrainingSet(log, utc4).cards[0]!.deltaTs).toEqual([0, 0, 1]);
		// Midnight boundary: 22:00 and 03:59 are already different days.
		expect(buildTrainingSet(log, { dayStartHour: 0, timeZone: 'UTC' }).cards[0]!.deltaTs).toEqual([
			0, 1, 0
		]);
		// The same instants in Shanghai (UTC+8): 06:00, 11:59, 12:01 on 2 January, one study day.
		expect(
			buildTrainingSet(log, { dayStartHour: 4, timeZone: 'Asia/Shanghai' }).cards[0]!.deltaTs
		).toEqual([0, 0, 0]);
	});

	it('skips manual rows and starts the history at the last first learning after a reset', () => {
		const log = [
			review('c', noon(0), 3, CardState.New),
			review('c', noon(2), 3, CardState.Review),
			review('c', noon(3), 0, CardState.Review), // manual reschedule: not a review
			review('c', noon(9), 1, CardState.Review),
			review('c', noon(10), 0, CardState.Relearning), // reset: the card is new again
			review('c', noon(20), 4, CardState.New),
			review('c', noon(20) + HOUR, 3, CardState.Learning),
			review('c', noon(25), 3, CardState.Review)
		];
		const set = buildTrainingSet(log, utc4);
		expect(itemsOf(set)).toEqual([
			[
				[4, 0],
				[3, 0],
				[3, 5]
			]
		]);
		expect(set.reviewCount).toBe(3);
	});

	it('leaves out a card whose log never shows it being learned, unless the log has no states at all', () => {
		const partial = [
			review('p', noon(0), 3, CardState.Review),
			review('p', noon(5), 3, CardState.Review)
		];
		expect(buildTrainingSet(partial, utc4)).toEqual({ cards: [], items: [], reviewCount: 0 });
		const csvLike = [review('p', noon(5), 1), review('p', noon(0), 3)];
		expect(itemsOf(buildTrainingSet(csvLike, utc4))).toEqual([
			[
				[3, 0],
				[1, 5]
			]
		]);
	});

	it('sorts items by the time of the review they predict, across cards', () => {
		const log = [
			review('a', noon(0), 3),
			review('b', noon(1), 3),
			review('a', noon(10), 3),
			review('b', noon(3), 3),
			review('a', noon(4), 3)
		];
		const set = buildTrainingSet(log, utc4);
		expect(set.items.map((i) => [set.cards[i.card]!.cardId, i.reviewedAt])).toEqual([
			['b', noon(3)],
			['a', noon(4)],
			['a', noon(10)]
		]);
	});

	it('flattens items into the arrays computeParameters takes', () => {
		const set = buildTrainingSet(
			[review('a', noon(0), 3), review('a', noon(2), 1), review('a', noon(3), 3)],
			utc4
		);
		const flat = flattenItems(set);
		expect([...flat.lengths]).toEqual([2, 3]);
		expect([...flat.ratings]).toEqual([3, 1, 3, 1, 3]);
		expect([...flat.deltaTs]).toEqual([0, 2, 0, 2, 1]);
	});
});

const csvPath = fileURLToPath(new URL(`../../../../${JOSH_CSV_FROM_REPO}`, import.meta.url));
const present = existsSync(csvPath);
if (!present)
	console.warn(
		`Real review-log conversion tests skipped: ${csvPath} not found (shared corpus absent).`
	);

describe.skipIf(!present)('the shared corpus review log (12,580 reviews)', () => {
	it('converts to 6,276 training items from 1,205 cards with a 4 am day start in UTC', () => {
		const set = buildTrainingSet(parseRevlogCsv(readFileSync(csvPath, 'utf8')), utc4);
		expect([set.reviewCount, set.cards.length, set.items.length]).toEqual([12_580, 1_205, 6_276]);
		const daysBetween = set.items.map((i) => set.cards[i.card]!.deltaTs[i.length - 1]);
		expect(daysBetween.every((d) => d! >= 1)).toBe(true);
		expect(set.items.at(-1)!.reviewedAt - set.items[0]!.reviewedAt).toBeGreaterThan(30 * DAY);
	});
});
