import { default_w } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import type { TrainingSet } from './items';
import {
	DEFAULT_RATING_MIX,
	estimateWorkload,
	ratingMixOf,
	type WorkloadCard,
	type WorkloadInput
} from './workload';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 10, 12);

function input(overrides: Partial<WorkloadInput> = {}): WorkloadInput {
	return {
		weights: [...default_w],
		cards: [],
		newCards: 0,
		newPerDay: 20,
		maximumInterval: 36500,
		learningPresentations: 2,
		relearningPresentations: 1,
		now: NOW,
		dayStartHour: 4,
		timeZone: 'UTC',
		...overrides
	};
}

/** A card last seen `ago` days back with stability `s`, due `dueIn` days from now. */
function card(s: number, ago: number, dueIn: number): WorkloadCard {
	return { stability: s, difficulty: 5, lastReview: NOW - ago * DAY, due: NOW + dueIn * DAY };
}

describe('estimateWorkload', () => {
	it('counts the learning presentations of new cards introduced at the daily limit', () => {
		// 10 new cards, 5 a day, each shown twice and rated Easy, so none is due again within 2 days.
		const ratingMix = { first: [0, 0, 0, 1], pass: [0, 1, 0] } satisfies WorkloadInput['ratingMix'];
		const [estimate] = estimateWorkload(
			input({ newCards: 10, newPerDay: 5, days: 2, ratingMix }),
			[0.9]
		);
		expect(estimate!.perDay30).toBe(10);
		expect(estimate!.perDay365).toBe(10);
	});

	it('brings an overdue card on the first day and counts a lapse with its relearning steps', () => {
		// Stability 0.01 after 100 days: recall is practically impossible, so it lapses.
		const [estimate] = estimateWorkload(input({ cards: [card(0.01, 100, -50)], days: 1 }), [0.9]);
		expect(estimate!.perDay365).toBe(2);
	});

	it('asks for more reviews and keeps more cards in memory as the retention rises', () => {
		const cards = Array.from({ length: 200 }, (_, i) => card(1 + (i % 40), i % 20, (i % 30) - 5));
		const levels = estimateWorkload(input({ cards, newCards: 300 }), [0.8, 0.9, 0.95]);
		const [low, mid, high] = levels;
		expect(levels.map((l) => l.retention)).toEqual([0.8, 0.9, 0.95]);
		expect(low!.perDay365).toBeLessThan(mid!.perDay365);
		expect(mid!.perDay365).toBeLessThan(high!.perDay365);
		expect(low!.rememberedAtEnd).toBeLessThan(high!.rememberedAtEnd);
		// 500 cards in all: what is remembered can never exceed what exists.
		expect(high!.rememberedAtEnd).toBeLessThan(500);
	});

	it('gives the same figures for the same input (seeded)', () => {
		const cards = [card(3, 2, 1), card(10, 5, 5)];
		expect(estimateWorkload(input({ cards, newCards: 40 }))).toEqual(
			estimateWorkload(input({ cards, newCards: 40 }))
		);
	});

	it('has nothing to do without cards', () => {
		expect(estimateWorkload(input(), [0.9])).toEqual([
			{ retention: 0.9, perDay30: 0, perDay365: 0, rememberedAtEnd: 0 }
		]);
	});
});

describe('ratingMixOf', () => {
	it("uses the learner's own first ratings and pass ratings once there are 50 of each", () => {
		const cards = Array.from({ length: 60 }, (_, i) => ({
			cardId: String(i),
			ratings: [i < 15 ? 1 : 3, i % 3 === 0 ? 4 : 3] as (1 | 3 | 4)[],
			deltaTs: [0, 2],
			times: [0, 1]
		}));
		const set: TrainingSet = {
			cards,
			items: cards.map((_, card) => ({ card, length: 2, reviewedAt: card })),
			reviewCount: 120
		};
		expect(ratingMixOf(set)).toEqual({ first: [15, 0, 45, 0], pass: [0, 40, 20] });
		expect(ratingMixOf({ cards: [], items: [], reviewCount: 0 })).toEqual(DEFAULT_RATING_MIX);
	});
});
