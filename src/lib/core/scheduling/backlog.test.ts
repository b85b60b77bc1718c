import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { CardState, Queue } from '../model';
import {
	describeSpread,
	detectBacklog,
	manualReschedule,
	minimumSpreadDays,
	minutesFor,
	planPostpone,
	planSpread,
	usualLoad,
	type BacklogItem
} from './backlog';
import { studyDayNumber } from './day';
import { createDefaultPreset } from './preset';
import { replayCard } from './replay';
import { retrievability } from './scheduler';
import { DAY, NOW, TZ, makeReviewCard } from './test-factories';

const preset = createDefaultPreset();

/** `n` overdue review cards with varied stability and overdue days. */
function backlog(n: number, seed = 1): BacklogItem[] {
	const rand = seededRandom(seed);
	return Array.from({ length: n }, () => {
		const interval = 1 + Math.floor(rand() * 60);
		const overdue = Math.floor(rand() * 30);
		return {
			card: makeReviewCard(
				{
					stability: 0.5 + rand() * 80,
					scheduledDays: interval,
					due: NOW - overdue * DAY,
					lastReview: NOW - (interval + overdue) * DAY
				},
				interval + overdue
			),
			preset
		};
	});
}

const today = studyDayNumber(NOW, preset.dayStartHour, TZ);

describe('usualLoad', () => {
	it('averages the last 14 study days with answers, before today', () => {
		const history = [
			...Array.from({ length: 20 }, (_, i) => ({
				day: today - 1 - i,
				reviews: i < 14 ? 100 : 1000,
				timeMs: i < 14 ? 100 * 6000 : 0
			})),
			{ day: today, reviews: 5000, timeMs: 0 },
			{ day: today - 30, reviews: 0, timeMs: 0 }
		];
		const usual = usualLoad(history, today);
		expect(usual).toEqual({ average: 100, days: 14, secondsPerReview: 6 });
	});

	it('counts only the days studied, however far apart', () => {
		const usual = usualLoad(
			[
				{ day: today - 40, reviews: 30, timeMs: 0 },
				{ day: today - 3, reviews: 10, timeMs: 0 }
			],
			today
		);
		expect(usual.average).toBe(20);
		expect(usual.days).toBe(2);
		expect(usual.secondsPerReview).toBe(8);
	});
});

describe('detectBacklog', () => {
	const usual = { average: 40, days: 14, secondsPerReview: 8 };
	it('is a backlog above 3× the usual load only', () => {
		expect(detectBacklog(120, usual)).toBeNull();
		expect(detectBacklog(121, usual)).toEqual({ due: 121, usual: 40, ratio: 121 / 40 });
	});
	it('is never a backlog without a history to compare with', () => {
		expect(detectBacklog(5000, { average: 0, days: 0, secondsPerReview: 8 })).toBeNull();
	});
});

describe('planSpread', () => {
	it('keeps every card exactly once and every day at or under the cap', () => {
		for (const [n, cap, days, seed] of [
			[842, 120, 7, 1],
			[500, 37, 3, 2],
			[1, 10, 5, 3],
			[99, 7, 30, 4]
		] as const) {
			const items = backlog(n, seed);
			const rand = seededRandom(seed * 7);
			const existing = Array.from({ length: 40 }, () => Math.floor(rand() * cap * 1.2));
			const plan = planSpread(items, { now: NOW, timeZone: TZ, days, cap, existing });
			const ids = [...plan.today, ...plan.moves.map((m) => m.item)].map((i) => i.card.id);
			expect(ids.length).toBe(n);
			expect(new Set(ids)).toEqual(new Set(items.map((i) => i.card.id)));
			const already = (day: number) => (day === 0 ? 0 : (existing[day] ?? 0));
			plan.perDay.forEach((count, day) => {
				// A day gets cards only up to the cap, counting those already due then.
				if (count > 0) expect(count + already(day)).toBeLessThanOrEqual(cap);
			});
			expect(plan.perDay.reduce((a, b) => a + b, 0)).toBe(n);
			for (const move of plan.moves) {
				const dueDay = studyDayNumber(move.due, preset.dayStartHour, TZ);
				expect(dueDay).toBe(today + move.days);
				expect(plan.perDay[move.days]).toBeGreaterThan(0);
			}
		}
	});

	it('puts the most at-risk cards first, today', () => {
		const items = backlog(300, 5);
		const plan = planSpread(items, { now: NOW, timeZone: TZ, days: 5, cap: 60 });
		expect(plan.perDay).toEqual([60, 60, 60, 60, 60]);
		const r = (i: BacklogItem) => retrievability(i.card, NOW, preset);
		const worstLater = Math.min(...plan.moves.map((m) => r(m.item)));
		expect(Math.max(...plan.today.map(r))).toBeLessThanOrEqual(worstLater);
		// Each later day holds cards no more at risk than the day before.
		for (let d = 2; d < 5; d++) {
			const on = (day: number) => plan.moves.filter((m) => m.days === day).map((m) => r(m.item));
			expect(Math.max(...on(d - 1))).toBeLessThanOrEqual(Math.min(...on(d)));
		}
		expect(describeSpread(300, plan)).toBe('300 due → about 60 a day for 5 days');
	});

	it('never spreads thinner than the cap allows: more days when asked for too few', () => {
		expect(minimumSpreadDays(842, 120)).toBe(8);
		const plan = planSpread(backlog(842), { now: NOW, timeZone: TZ, days: 2, cap: 120 });
		expect(plan.perDay.length).toBe(8);
		expect(Math.max(...plan.perDay)).toBeLessThanOrEqual(120);
	});
});

describe('planPostpone', () => {
	it('never moves a card earlier than it was due, and only cards still above the level', () => {
		for (const level of [0.7, 0.8, 0.85, 0.9]) {
			const items = [
				...backlog(400, 11),
				// Due later today (not yet overdue), and far in the future already.
				...backlog(20, 12).map((i) => ({ ...i, card: { ...i.card, due: NOW + 3 * 3_600_000 } })),
				...backlog(20, 13).map((i) => ({ ...i, card: { ...i.card, due: NOW + 40 * DAY } }))
			];
			const plan = planPostpone(items, { now: NOW, timeZone: TZ, level });
			expect(plan.moves.length + plan.stay.length).toBe(items.length);
			for (const move of plan.moves) {
				expect(move.due).toBeGreaterThanOrEqual(move.item.card.due);
				expect(move.days).toBeGreaterThanOrEqual(1);
				expect(move.days).toBeLessThanOrEqual(30);
				expect(retrievability(move.item.card, NOW, preset)).toBeGreaterThanOrEqual(level);
				// Still above the level on the day it moves to.
				const r = retrievability(move.item.card, move.due, preset);
				if (move.due === move.item.card.due) continue;
				expect(r).toBeGreaterThanOrEqual(level);
			}
			for (const item of plan.stay) {
				const r = retrievability(item.card, NOW + DAY, preset);
				expect(r).toBeLessThan(level + 0.05);
			}
		}
	});

	it('moves a well-remembered card to its last day above the level, and keeps a forgotten one', () => {
		const strong = makeReviewCard({ stability: 20, lastReview: NOW - 10 * DAY, due: NOW }, 10);
		const lasting = makeReviewCard({ stability: 400, lastReview: NOW - 10 * DAY, due: NOW }, 10);
		const weak = makeReviewCard({ stability: 2, lastReview: NOW - 30 * DAY, due: NOW }, 30);
		const plan = planPostpone(
			[
				{ card: strong, preset },
				{ card: weak, preset },
				{ card: lasting, preset }
			],
			{ now: NOW, timeZone: TZ, level: 0.85 }
		);
		expect(plan.stay.map((i) => i.card.id)).toEqual([weak.id]);
		const [move, capped] = plan.moves;
		// A card remembered for months still moves by 30 days at most.
		expect(capped!.days).toBe(30);
		expect(move!.days).toBeLessThan(30);
		expect(retrievability(strong, move!.due, preset)).toBeGreaterThanOrEqual(0.85);
		expect(retrievability(strong, move!.due + DAY, preset)).toBeLessThan(0.85);
	});
});

describe('manualReschedule', () => {
	it('is a rating-0 row that replays to the same card, memory kept', () => {
		const card = makeReviewCard({ due: NOW - 5 * DAY, lastReview: NOW - 15 * DAY, rev: 3 }, 15);
		const plan = planSpread(
			[
				{ card: makeReviewCard({ stability: 0.1 }), preset },
				{ card, preset }
			],
			{ now: NOW, timeZone: TZ, days: 2, cap: 1 }
		);
		const [move] = plan.moves;
		expect(move!.item.card.id).toBe(card.id);
		const { card: after, log } = manualReschedule(card, move!.days, move!.due, NOW);
		expect(log).toMatchObject({ rating: 0, scheduledDays: 1, due: card.due, cardId: card.id });
		expect(after).toMatchObject({
			state: CardState.Review,
			queue: Queue.Review,
			stability: card.stability,
			difficulty: card.difficulty,
			lastReview: card.lastReview,
			due: move!.due,
			rev: 4
		});
		// The log before, then this row: replay gives the rescheduled card back.
		const prior = {
			...log,
			rating: 3 as const,
			reviewedAt: card.lastReview!,
			state: CardState.New,
			scheduledDays: 0
		};
		const replayed = replayCard({ ...card, rev: 3 }, [prior, log], preset, { timeZone: TZ });
		expect(replayed.due).toBe(after.due);
	});
});

describe('minutesFor', () => {
	it('rounds up, and is 0 for nothing', () => {
		expect(minutesFor(140, 5)).toBe(12);
		expect(minutesFor(1, 1)).toBe(1);
		expect(minutesFor(0, 8)).toBe(0);
	});
});

describe('planSpread over more days than needed', () => {
	it('deals even shares, using every day asked for', () => {
		const plan = planSpread(backlog(60, 21), { now: NOW, timeZone: TZ, days: 18, cap: 4 });
		expect(plan.perDay.length).toBe(18);
		expect(plan.perDay.reduce((a, b) => a + b, 0)).toBe(60);
		expect(Math.max(...plan.perDay)).toBe(4);
		expect(Math.min(...plan.perDay)).toBe(3);
	});
});
