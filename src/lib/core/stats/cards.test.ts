import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import { retrievability } from '../scheduling/scheduler';
import { makeCard } from '../scheduling/test-factories';
import { cardStats, type CardStatsContext } from './cards';
import { DAY_START, NOW, TZ } from './test-factories';

const DAY = 86_400_000;
const preset = createDefaultPreset();
const ctx: CardStatsContext = {
	now: NOW,
	dayStartHour: DAY_START,
	timeZone: TZ,
	presetFor: () => preset
};

/** A studied card last reviewed `stability` days ago: FSRS puts its recall at exactly 90 %. */
function studied(overrides: Partial<Card> & { stability: number }): Card {
	return makeCard({
		queue: Queue.Review,
		state: CardState.Review,
		difficulty: 5,
		reps: 3,
		lastReview: NOW - overrides.stability * DAY,
		...overrides
	});
}

const { Review } = CardState;

/** Two new cards, one of each learning state, young and mature reviews, suspended and buried ones. */
function knownCards(): Card[] {
	return [
		makeCard(),
		makeCard(),
		studied({ state: CardState.Learning, queue: Queue.Learning, stability: 0.5, difficulty: 5.5 }),
		studied({
			state: CardState.Relearning,
			queue: Queue.Relearning,
			stability: 2.5,
			difficulty: 10
		}),
		studied({ scheduledDays: 5, due: NOW - 2 * DAY, stability: 10, difficulty: 1 }),
		studied({ scheduledDays: 30, due: NOW + 3 * DAY, stability: 30, difficulty: 3 }),
		studied({ scheduledDays: 400, due: NOW + 400 * DAY, stability: 400, difficulty: 7 }),
		studied({
			queue: Queue.Suspended,
			state: Review,
			scheduledDays: 10,
			due: NOW + DAY,
			stability: 10
		}),
		studied({ queue: Queue.Buried, state: Review, scheduledDays: 8, due: NOW, stability: 8 }),
		studied({
			queue: Queue.Buried,
			state: Review,
			scheduledDays: 8,
			due: NOW + 2 * DAY,
			stability: 8
		})
	].map((c, i) =>
		// The learning cards: due later today and an hour ago; the learning one reviewed just now.
		i === 2
			? { ...c, due: NOW + 600_000, lastReview: NOW }
			: i === 3
				? { ...c, due: NOW - 3_600_000 }
				: c
	);
}

const counted = (h: { bins: { label: string; count: number }[] }) =>
	Object.fromEntries(h.bins.filter((b) => b.count > 0).map((b) => [b.label, b.count]));

describe('card counts', () => {
	it('counts by state, holding suspended and buried cards apart', () => {
		expect(cardStats(knownCards(), ctx).counts).toEqual({
			new: 2,
			learning: 1,
			relearning: 1,
			young: 1,
			mature: 2,
			suspended: 1,
			buried: 2,
			total: 10
		});
	});
});

describe('future due', () => {
	it('forecasts per study day, with the overdue backlog in today', () => {
		const due = cardStats(knownCards(), ctx).futureDue;
		expect(due.byDay).toHaveLength(365);
		expect(Object.fromEntries(due.byDay.map((n, i) => [i, n]).filter(([, n]) => n! > 0))).toEqual({
			0: 3,
			2: 1,
			3: 1
		});
		expect(due).toMatchObject({ backlog: 1, later: 1, total: 6 });
		expect(due.dailyLoad).toBeCloseTo(1 + 1 + 1 / 5 + 1 / 30 + 1 / 400 + 1 / 8, 10);
	});

	it('puts a card due at 03:00 tomorrow (before the day starts) in today', () => {
		const tomorrow3am = Date.UTC(2024, 4, 16, 1); // 03:00 in Berlin
		const card = studied({ scheduledDays: 3, due: tomorrow3am, stability: 3 });
		expect(cardStats([card], ctx).futureDue.byDay.slice(0, 2)).toEqual([1, 0]);
		const later = { ...card, due: tomorrow3am + 2 * 3_600_000 };
		expect(cardStats([later], ctx).futureDue.byDay.slice(0, 2)).toEqual([0, 1]);
	});
});

describe('intervals', () => {
	it('bins the intervals of review-state cards, 21 days opening the mature bins', () => {
		const h = cardStats(knownCards(), ctx).intervals;
		expect(counted(h)).toEqual({ '5d': 1, '8–14d': 3, '21–30d': 1, '1–2y': 1 });
		expect(h.total).toBe(6);
		expect(h.mean).toBeCloseTo(461 / 6, 10);
	});
});

describe('FSRS memory', () => {
	it('gives difficulty as (D − 1) / 9, stability in days and retrievability now', () => {
		const m = cardStats(knownCards(), ctx).memory;
		expect(counted(m.difficulty)).toEqual({
			'0%': 1,
			'20%': 1,
			'40%': 3,
			'50%': 1,
			'60%': 1,
			'90%': 1
		});
		expect(counted(m.stability)).toEqual({
			'<1d': 1,
			'2–4d': 1,
			'1–2w': 4,
			'1–2mo': 1,
			'1–2y': 1
		});
		expect(counted(m.retrievability)).toEqual({ '90%': 8 });
	});

	it('sums retrievability into the estimated total knowledge', () => {
		// Seven cards at exactly 90 % (reviewed `stability` days ago) and one reviewed just now.
		expect(cardStats(knownCards(), ctx).memory.knowledge).toBeCloseTo(7 * 0.9 + 1, 10);
	});

	it("uses each deck's preset for the forgetting curve", () => {
		const steep = createDefaultPreset({
			weights: preset.weights.map((w, i) => (i === 20 ? 0.8 : w))
		});
		const card = studied({ deckId: 'steep', stability: 10, lastReview: NOW - 40 * DAY });
		const own = cardStats([card], { ...ctx, presetFor: (d) => (d === 'steep' ? steep : preset) });
		expect(own.memory.knowledge).toBeCloseTo(retrievability(card, NOW, steep), 12);
		expect(own.memory.knowledge).not.toBeCloseTo(retrievability(card, NOW, preset), 3);
	});

	it('leaves out new cards and cards without a usable memory state', () => {
		const broken = studied({ stability: 10, difficulty: 0 });
		const m = cardStats([makeCard(), broken], ctx).memory;
		expect(m.retrievability.total).toBe(0);
		expect(m.knowledge).toBe(0);
	});
});
