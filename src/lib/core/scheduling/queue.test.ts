import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card } from '../model';
import { buildQueue, limitUsed, orderQueue, type QueueInput } from './queue';
import {
	DAY,
	HOUR,
	MIN,
	NOW,
	TZ,
	makeCard,
	makeLearningCard,
	makePreset,
	makeReviewCard
} from './test-factories';

const opts = { timeZone: TZ };
const preset = makePreset();
const ids = (cards: Card[]): string[] => cards.map((c) => c.id);

function input(partial: Partial<QueueInput>): QueueInput {
	return { learning: [], reviews: [], newCards: [], learnAhead: [], ...partial };
}

const review = (id: string, due: number, extra: Partial<Card> = {}): Card =>
	makeReviewCard({ id, due, ...extra });
const fresh = (id: string, position: number): Card => makeCard({ id, due: position });
const learning = (id: string, due: number): Card => makeLearningCard({ id, due });

describe('orderQueue', () => {
	it('shows due learning cards first, earliest first, then reviews by due', () => {
		const q = orderQueue(
			input({
				learning: [learning('l2', NOW - MIN), learning('l1', NOW - 5 * MIN)],
				reviews: [review('r2', NOW - HOUR), review('r1', NOW - 2 * DAY)]
			}),
			{ newLeft: 20, reviewsLeft: 200 },
			preset,
			NOW,
			opts
		);
		expect(ids(q.cards)).toEqual(['l1', 'l2', 'r1', 'r2']);
		expect(q.counts).toEqual({ new: 0, learning: 2, review: 2 });
	});

	it('spreads new cards evenly among reviews, in position order', () => {
		const reviews = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) =>
			review(id, NOW - (10 - i) * HOUR)
		);
		const q = orderQueue(
			input({ reviews, newCards: [fresh('n2', 2), fresh('n1', 1)] }),
			{ newLeft: 20, reviewsLeft: 200 },
			preset,
			NOW,
			opts
		);
		expect(ids(q.cards)).toEqual(['a', 'b', 'n1', 'c', 'd', 'n2', 'e', 'f']);
	});

	it("puts new cards after or before the reviews when the preset says so (Anki's New/review order)", () => {
		const reviews = ['a', 'b', 'c'].map((id, i) => review(id, NOW - (10 - i) * HOUR));
		const order = (newMix: 'mix' | 'after' | 'before') =>
			ids(
				orderQueue(
					input({
						learning: [learning('l', NOW - MIN)],
						reviews,
						newCards: [fresh('n2', 2), fresh('n1', 1)]
					}),
					{ newLeft: 20, reviewsLeft: 200 },
					makePreset({ newMix }),
					NOW,
					opts
				).cards
			);
		expect(order('after')).toEqual(['l', 'a', 'b', 'c', 'n1', 'n2']);
		expect(order('before')).toEqual(['l', 'n1', 'n2', 'a', 'b', 'c']);
		expect(order('mix')).toEqual(['l', 'a', 'n1', 'b', 'n2', 'c']);
	});

	it('shows only new cards when there are no reviews', () => {
		const q = orderQueue(
			input({ newCards: [fresh('n3', 3), fresh('n1', 1), fresh('n2', 2)] }),
			{ newLeft: 2, reviewsLeft: 200 },
			preset,
			NOW,
			opts
		);
		expect(ids(q.cards)).toEqual(['n1', 'n2']);
		expect(q.counts.new).toBe(2);
	});

	it('applies the review limit, and new cards count against it too', () => {
		const reviews = Array.from({ length: 5 }, (_, i) => review(`r${i}`, NOW - i * HOUR));
		const newCards = Array.from({ length: 5 }, (_, i) => fresh(`n${i}`, i));
		const tight = orderQueue(
			input({ reviews, newCards }),
			{ newLeft: 5, reviewsLeft: 3 },
			preset,
			NOW,
			opts
		);
		expect(tight.counts).toEqual({ new: 0, learning: 0, review: 3 });
		expect(ids(tight.cards)).toEqual(['r4', 'r3', 'r2']);
		const room = orderQueue(
			input({ reviews, newCards }),
			{ newLeft: 2, reviewsLeft: 8 },
			preset,
			NOW,
			opts
		);
		expect(room.counts).toEqual({ new: 2, learning: 0, review: 5 });
		const presetCap = orderQueue(
			input({ newCards }),
			{ newLeft: 50, reviewsLeft: 50 },
			makePreset({ newPerDay: 1 }),
			NOW,
			opts
		);
		expect(presetCap.counts.new).toBe(1);
	});

	it('orders reviews by lowest retrievability when asked', () => {
		const now = NOW;
		const q = orderQueue(
			input({
				reviews: [
					review('fresh', now - 3 * DAY, { lastReview: now - 4 * DAY, stability: 20 }),
					review('faded', now - HOUR, { lastReview: now - 30 * DAY, stability: 5 }),
					review('middle', now - 2 * DAY, { lastReview: now - 10 * DAY, stability: 8 })
				]
			}),
			{ newLeft: 0, reviewsLeft: 10 },
			makePreset({ reviewOrder: 'retrievability' }),
			now,
			opts
		);
		expect(ids(q.cards)).toEqual(['faded', 'middle', 'fresh']);
		const byDue = orderQueue(
			input({ reviews: q.cards }),
			{ newLeft: 0, reviewsLeft: 10 },
			preset,
			now,
			opts
		);
		expect(ids(byDue.cards)).toEqual(['fresh', 'middle', 'faded']);
	});

	it('takes reviews due any time before the next study day starts (04:00)', () => {
		// NOW is 12:00 Berlin; 03:59 tomorrow (01:59 UTC) is still today, 04:01 is not.
		const q = orderQueue(
			input({
				reviews: [
					review('tonight', Date.UTC(2024, 4, 15, 20)),
					review('0359', Date.UTC(2024, 4, 16, 1, 59)),
					review('0401', Date.UTC(2024, 4, 16, 2, 1))
				]
			}),
			{ newLeft: 0, reviewsLeft: 10 },
			preset,
			NOW,
			opts
		);
		expect(ids(q.cards)).toEqual(['tonight', '0359']);
	});

	it('learns ahead up to 20 minutes only when nothing else is left', () => {
		const soon = learning('soon', NOW + 15 * MIN);
		const later = learning('later', NOW + 21 * MIN);
		const withReview = orderQueue(
			input({ learnAhead: [later, soon], reviews: [review('r', NOW - HOUR)] }),
			{ newLeft: 0, reviewsLeft: 10 },
			preset,
			NOW,
			opts
		);
		expect(ids(withReview.cards)).toEqual(['r', 'soon']);
		expect(withReview.counts).toEqual({ new: 0, learning: 1, review: 1 });
		const alone = buildQueue(
			input({ learnAhead: [later, soon] }),
			{ newLeft: 0, reviewsLeft: 0 },
			preset,
			NOW,
			opts
		);
		expect(alone.next?.id).toBe('soon');
		// Learning cards not due yet may also come in `learning`: they wait in the learn-ahead slot.
		const mixed = orderQueue(
			input({ learning: [soon, learning('now', NOW)], newCards: [fresh('n', 1)] }),
			{ newLeft: 5, reviewsLeft: 10 },
			preset,
			NOW,
			opts
		);
		expect(ids(mixed.cards)).toEqual(['now', 'n', 'soon']);
	});

	it('leaves out suspended and buried cards, and counts a card once', () => {
		const l = learning('l', NOW - MIN);
		const q = orderQueue(
			input({
				learning: [l],
				learnAhead: [l],
				reviews: [
					review('s', NOW - HOUR, { queue: Queue.Suspended }),
					review('b', NOW - HOUR, { queue: Queue.Buried, buriedUntil: NOW + HOUR }),
					review('b-expired', NOW - HOUR, { queue: Queue.Buried, buriedUntil: NOW - MIN })
				],
				newCards: [makeCard({ id: 'wrong-state', state: CardState.Review })]
			}),
			{ newLeft: 5, reviewsLeft: 10 },
			preset,
			NOW,
			opts
		);
		expect(ids(q.cards)).toEqual(['l', 'b-expired']);
		expect(q.counts).toEqual({ new: 0, learning: 1, review: 1 });
	});
});

describe('buildQueue', () => {
	it('returns null when there is nothing to study', () => {
		const q = buildQueue(
			input({ learnAhead: [learning('x', NOW + HOUR)] }),
			{ newLeft: 0, reviewsLeft: 0 },
			preset,
			NOW,
			opts
		);
		expect(q).toEqual({ next: null, counts: { new: 0, learning: 0, review: 0 } });
	});

	it('returns the first card of the order', () => {
		const q = buildQueue(
			input({ reviews: [review('r', NOW - DAY)], learning: [learning('l', NOW)] }),
			{ newLeft: 0, reviewsLeft: 5 },
			preset,
			NOW,
			opts
		);
		expect(q.next?.id).toBe('l');
		expect(q.counts).toEqual({ new: 0, learning: 1, review: 1 });
	});
});

describe('limitUsed: what an answer takes from the daily limits', () => {
	it("counts a new card's first answer as new and a review's as a review", () => {
		expect(limitUsed({ rating: 3, state: CardState.New })).toBe('new');
		expect(limitUsed({ rating: 1, state: CardState.Review })).toBe('review');
	});

	it('counts neither for learning steps nor for manual rows (forget, set due date)', () => {
		expect(limitUsed({ rating: 3, state: CardState.Learning })).toBeNull();
		expect(limitUsed({ rating: 1, state: CardState.Relearning })).toBeNull();
		expect(limitUsed({ rating: 0, state: CardState.New })).toBeNull();
		expect(limitUsed({ rating: 0, state: CardState.Review })).toBeNull();
	});
});
