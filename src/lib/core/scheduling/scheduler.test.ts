import { describe, expect, it } from 'vitest';
import { CardState, Queue, Rating, type Card, type Grade } from '../model';
import { nextStudyDayStart, studyDayNumber, weekdayOfStudyDay } from './day';
import { fuzzRange } from './fuzz';
import {
	GRADES,
	gradeCard,
	nextIntervalDays,
	previewGrades,
	retrievability,
	type GradeContext
} from './scheduler';
import {
	DAY,
	HOUR,
	MIN,
	NOW,
	TZ,
	exactPreset,
	makeCard,
	makeLearningCard,
	makePreset,
	makeReviewCard
} from './test-factories';

const ctx: GradeContext = { timeZone: TZ };
const TODAY = studyDayNumber(NOW, 4, TZ);

/** Deep-freeze a card so any mutation by the scheduler throws. */
function frozen(card: Card): Card {
	if (card.tags) Object.freeze(card.tags);
	return Object.freeze(card);
}

describe('learning steps as Anki takes them', () => {
	it('Hard on a later step repeats that step; Again goes back to the first', () => {
		const preset = exactPreset();
		const atSecond = makeLearningCard();
		expect(atSecond.learningSteps).toBe(1);
		expect(gradeCard(atSecond, Rating.Hard, preset, NOW, ctx).card).toMatchObject({
			state: CardState.Learning,
			due: NOW + 10 * MIN,
			learningSteps: 1
		});
		expect(gradeCard(atSecond, Rating.Again, preset, NOW, ctx).card).toMatchObject({
			due: NOW + MIN,
			learningSteps: 0
		});
	});

	it('Hard with one step is 1.5 × the step; seconds steps are kept to the second', () => {
		const one = { ...exactPreset(), learningSteps: [10] };
		expect(gradeCard(makeCard(), Rating.Hard, one, NOW, ctx).card.due).toBe(NOW + 15 * MIN);
		const seconds = { ...exactPreset(), learningSteps: [0.5, 5] };
		const card = makeCard();
		expect(gradeCard(card, Rating.Again, seconds, NOW, ctx).card.due).toBe(NOW + 30_000);
		expect(gradeCard(card, Rating.Hard, seconds, NOW, ctx).card.due).toBe(NOW + 165_000);
		expect(gradeCard(card, Rating.Good, seconds, NOW, ctx).card.due).toBe(NOW + 5 * MIN);
	});

	it('relearning uses the relearning steps: Hard on the one 10m step waits 15 min', () => {
		const preset = exactPreset();
		const lapsed = gradeCard(makeReviewCard(), Rating.Again, preset, NOW, ctx).card;
		expect(lapsed).toMatchObject({ state: CardState.Relearning, due: NOW + 10 * MIN });
		const later = NOW + 10 * MIN;
		expect(gradeCard(lapsed, Rating.Hard, preset, later, ctx).card).toMatchObject({
			state: CardState.Relearning,
			due: later + 15 * MIN
		});
	});

	it('previews the same delays as the answer buttons show', () => {
		const p = previewGrades(makeCard(), exactPreset(), NOW, ctx);
		expect(p[Rating.Again].intervalMs).toBe(60_000);
		expect(p[Rating.Hard].intervalMs).toBe(330_000);
		expect(p[Rating.Good].intervalMs).toBe(600_000);
	});
});

describe('gradeCard on a new card', () => {
	it('walks the learning steps 1m and 10m', () => {
		const card = frozen(makeCard());
		const preset = exactPreset();
		const again = gradeCard(card, Rating.Again, preset, NOW, ctx).card;
		const hard = gradeCard(card, Rating.Hard, preset, NOW, ctx).card;
		const good = gradeCard(card, Rating.Good, preset, NOW, ctx).card;
		expect(again).toMatchObject({
			state: CardState.Learning,
			queue: Queue.Learning,
			due: NOW + MIN
		});
		// Anki: Hard on the first step waits the mean of the first two steps, 5.5 min (330 s).
		expect(hard).toMatchObject({
			state: CardState.Learning,
			due: NOW + 330_000,
			learningSteps: 0
		});
		expect(good).toMatchObject({
			state: CardState.Learning,
			due: NOW + 10 * MIN,
			learningSteps: 1
		});
		expect(good).toMatchObject({ reps: 1, lapses: 0, lastReview: NOW, scheduledDays: 0, rev: 1 });
	});

	it('graduates on Good at the last step, with a whole number of study days', () => {
		const card = makeLearningCard();
		const good = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card;
		expect(good.state).toBe(CardState.Review);
		expect(good.queue).toBe(Queue.Review);
		expect(good.scheduledDays).toBe(nextIntervalDays(good.stability, exactPreset()));
		expect(good.scheduledDays).toBeGreaterThanOrEqual(1);
		// Due at the same time of day, scheduledDays study days later.
		expect(good.due).toBe(NOW + good.scheduledDays * DAY);
	});

	it('skips learning when there are no steps', () => {
		const good = gradeCard(makeCard(), Rating.Good, exactPreset({ learningSteps: [] }), NOW, ctx);
		expect(good.card.state).toBe(CardState.Review);
		expect(good.card.scheduledDays).toBe(2); // S0(Good) = 2.3065 days
	});
});

describe('gradeCard on a review card', () => {
	it('writes the revlog row: state and due before, memory after, days', () => {
		const card = frozen(makeReviewCard({ tags: ['x'] }, 10));
		const result = gradeCard(card, Rating.Good, exactPreset(), NOW, { ...ctx, durationMs: 4200 });
		expect(result.leech).toBe(false);
		expect(result.log).toEqual({
			cardId: card.id,
			deckId: card.deckId,
			reviewedAt: NOW,
			rating: Rating.Good,
			state: CardState.Review,
			due: card.due,
			stability: result.card.stability,
			difficulty: result.card.difficulty,
			elapsedDays: 10,
			scheduledDays: result.card.scheduledDays,
			durationMs: 4200
		});
		expect(result.log).not.toHaveProperty('id');
		expect(result.card.stability).toBeGreaterThan(card.stability);
		expect(result.card).toMatchObject({ reps: 5, rev: card.rev + 1, tags: ['x'], lastReview: NOW });
	});

	it('sends Again to relearning for 10 minutes and counts a lapse', () => {
		const card = makeReviewCard({ lapses: 2 });
		const again = gradeCard(card, Rating.Again, exactPreset(), NOW, ctx);
		expect(again.card).toMatchObject({
			state: CardState.Relearning,
			queue: Queue.Relearning,
			due: NOW + 10 * MIN,
			lapses: 3,
			scheduledDays: 0
		});
		expect(again.card.stability).toBeLessThan(card.stability);
		expect(again.leech).toBe(false);
	});

	it('keeps Hard < Good < Easy, even after fuzz', () => {
		for (let i = 0; i < 40; i++) {
			const card = makeReviewCard({ stability: 3 + i, reps: i });
			const p = previewGrades(card, makePreset(), NOW, ctx);
			expect(p[Rating.Hard].card.scheduledDays).toBeLessThan(p[Rating.Good].card.scheduledDays);
			expect(p[Rating.Good].card.scheduledDays).toBeLessThan(p[Rating.Easy].card.scheduledDays);
		}
	});

	it('respects the maximum interval', () => {
		const card = makeReviewCard({ stability: 400 }, 400);
		const p = previewGrades(card, makePreset({ maximumInterval: 100 }), NOW, ctx);
		expect(p[Rating.Easy].card.scheduledDays).toBeLessThanOrEqual(100);
		expect(p[Rating.Good].card.scheduledDays).toBeLessThanOrEqual(100);
	});

	it('clears a burial and puts the card in the queue of its new state', () => {
		const card = makeReviewCard({ queue: Queue.Buried, buriedUntil: NOW + HOUR });
		const good = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card;
		expect(good.queue).toBe(Queue.Review);
		expect(good).not.toHaveProperty('buriedUntil');
	});

	it('starts memory afresh for a review card without FSRS memory (imported from SM-2)', () => {
		const card = makeReviewCard({ stability: 0, difficulty: 0 });
		const good = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card;
		expect(good.stability).toBeCloseTo(2.3065, 4);
		expect(good.state).toBe(CardState.Review);
	});

	it('rejects a rating outside 1–4', () => {
		expect(() => gradeCard(makeReviewCard(), 0 as Grade, exactPreset(), NOW, ctx)).toThrow(
			RangeError
		);
	});
});

describe('presets and their schedulers', () => {
	it('schedules with the preset as it is now, also after it was edited in place', () => {
		const card = makeReviewCard({}, 10);
		const preset = exactPreset({ desiredRetention: 0.9 });
		const at90 = gradeCard(card, Rating.Good, preset, NOW, ctx).card.scheduledDays;
		// A settings form may change the same object: the next grade must follow it.
		preset.desiredRetention = 0.8;
		const at80 = gradeCard(card, Rating.Good, preset, NOW, ctx).card.scheduledDays;
		expect(at80).toBeGreaterThan(at90);
		preset.desiredRetention = 0.9;
		expect(gradeCard(card, Rating.Good, preset, NOW, ctx).card.scheduledDays).toBe(at90);
		// Steps are part of it too.
		const learning = makeCard();
		const oneStep = exactPreset({ learningSteps: [5] });
		const twoSteps = exactPreset({ learningSteps: [5, 30] });
		const a = gradeCard(learning, Rating.Good, oneStep, NOW, ctx).card;
		const b = gradeCard(learning, Rating.Good, twoSteps, NOW, ctx).card;
		expect(a.state).toBe(CardState.Review);
		expect(b.state).toBe(CardState.Learning);
		expect(b.due).toBe(NOW + 30 * MIN);
	});
});

describe('elapsed days are study days', () => {
	// In Berlin (UTC+2 in May) 03:59 local is 01:59 UTC.
	const at0359 = Date.UTC(2024, 4, 15, 1, 59);
	const at0401 = Date.UTC(2024, 4, 15, 2, 1);

	it('counts 04:01 after a review at 03:59 the same night as the next day', () => {
		const card = makeReviewCard({ lastReview: at0359 });
		expect(gradeCard(card, Rating.Good, exactPreset(), at0401, ctx).log.elapsedDays).toBe(1);
	});

	it('counts 03:59 after a review the previous evening as the same day', () => {
		const card = makeReviewCard({ lastReview: Date.UTC(2024, 4, 14, 20) });
		expect(gradeCard(card, Rating.Good, exactPreset(), at0359, ctx).log.elapsedDays).toBe(0);
	});

	it('uses the zone: the same instants are a day apart in New York only if its clock says so', () => {
		// 20:00 and 23:00 UTC are 16:00 and 19:00 in New York: same study day.
		const card = makeReviewCard({ lastReview: Date.UTC(2024, 4, 14, 20) });
		const ny = gradeCard(card, Rating.Good, exactPreset(), Date.UTC(2024, 4, 14, 23), {
			timeZone: 'America/New_York'
		});
		expect(ny.log.elapsedDays).toBe(0);
		const berlin = gradeCard(card, Rating.Good, exactPreset(), Date.UTC(2024, 4, 15, 3), ctx);
		expect(berlin.log.elapsedDays).toBe(1);
	});

	it('keeps a review due at the same local time across a DST change', () => {
		// 2024-03-30 12:00 CET; + 3 study days is 2024-04-02 12:00 CEST: 71 hours later.
		const now = Date.UTC(2024, 2, 30, 11);
		const card = makeReviewCard({ lastReview: now - 3 * DAY, stability: 3, scheduledDays: 3 });
		const p = previewGrades(card, exactPreset(), now, ctx);
		const good = p[Rating.Good];
		expect(good.intervalMs).toBe(good.card.scheduledDays * DAY);
		const days = good.card.scheduledDays;
		expect(good.card.due).toBe(now + days * DAY - HOUR);
	});
});

describe('a clock that jumps backwards', () => {
	it('never gives negative elapsed days or intervals and never throws', () => {
		const cards = [
			makeReviewCard({ lastReview: NOW + 5 * DAY, due: NOW + 20 * DAY }),
			makeLearningCard({ lastReview: NOW + HOUR, due: NOW + 2 * HOUR }),
			makeReviewCard({
				state: CardState.Relearning,
				queue: Queue.Relearning,
				lastReview: NOW + DAY
			})
		];
		for (const card of cards) {
			for (const preset of [makePreset(), exactPreset()]) {
				const p = previewGrades(card, preset, NOW, ctx);
				for (const grade of GRADES) {
					const r = gradeCard(card, grade, preset, NOW, ctx);
					expect(r.log.elapsedDays).toBe(0);
					expect(r.log.scheduledDays).toBeGreaterThanOrEqual(0);
					expect(r.card.due).toBeGreaterThan(NOW);
					expect(p[grade].intervalMs).toBeGreaterThan(0);
					expect(Number.isFinite(r.card.stability)).toBe(true);
				}
			}
		}
	});
});

describe('previewGrades', () => {
	it('gives exactly what gradeCard gives, with fuzz and load balancing', () => {
		const loadCtx: GradeContext = {
			...ctx,
			dueCountsByDay: (day) => (day * 7919) % 50,
			siblingDueDays: new Set([TODAY + 9])
		};
		const cards = [
			makeCard(),
			makeLearningCard(),
			makeReviewCard({ stability: 8 }, 8),
			makeReviewCard({ stability: 45, reps: 9 }, 30),
			makeReviewCard({ state: CardState.Relearning, queue: Queue.Relearning, stability: 1.5 })
		];
		for (const card of cards) {
			const p = previewGrades(card, makePreset(), NOW, loadCtx);
			for (const grade of GRADES) {
				const graded = gradeCard(card, grade, makePreset(), NOW, loadCtx);
				expect(p[grade].card).toEqual(graded.card);
			}
		}
	});

	it('labels intervals: minutes for steps, whole days for reviews', () => {
		const p = previewGrades(makeCard(), exactPreset(), NOW, ctx);
		expect(p[Rating.Again].intervalMs).toBe(MIN);
		expect(p[Rating.Good].intervalMs).toBe(10 * MIN);
		expect(p[Rating.Easy].intervalMs).toBe(8 * DAY);
	});
});

describe('fuzz', () => {
	it('is decided by card id and reps, not by the clock', () => {
		const card = makeReviewCard({ id: 'n/0', stability: 30 }, 30);
		const a = gradeCard(card, Rating.Good, makePreset({ loadBalance: false }), NOW, ctx);
		const b = gradeCard(card, Rating.Good, makePreset({ loadBalance: false }), NOW + 2 * HOUR, ctx);
		expect(a.card.scheduledDays).toBe(b.card.scheduledDays);
	});

	it('spreads cards with the same memory over the fuzz range', () => {
		const preset = makePreset({ loadBalance: false });
		const exact = gradeCard(
			makeReviewCard({ stability: 30 }, 30),
			Rating.Good,
			exactPreset(),
			NOW,
			ctx
		);
		const raw = exact.card.scheduledDays;
		const range = fuzzRange(raw, 30, 36500);
		const days = new Set<number>();
		for (let i = 0; i < 200; i++) {
			const card = makeReviewCard({ id: `n${i}/0`, stability: 30 }, 30);
			days.add(gradeCard(card, Rating.Good, preset, NOW, ctx).card.scheduledDays);
		}
		expect(Math.min(...days)).toBe(range.min);
		expect(Math.max(...days)).toBe(range.max);
	});

	it('is off when the preset says so: the exact FSRS interval', () => {
		const card = makeReviewCard({ stability: 30 }, 30);
		const good = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card;
		expect(good.scheduledDays).toBe(nextIntervalDays(good.stability, exactPreset()));
	});
});

describe('load balancing', () => {
	// Good on this card gives about 16 days before fuzz: a range of several days.
	const card = makeReviewCard({ id: 'lb/0', stability: 10 }, 10);
	const raw = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card.scheduledDays;
	const range = fuzzRange(raw, 10, 36500);

	it('puts the card on the least loaded day in the fuzz range', () => {
		expect(range.max - range.min).toBeGreaterThanOrEqual(2);
		const light = range.min + 1;
		const dueCountsByDay = (day: number): number => (day === TODAY + light ? 3 : 60);
		const good = gradeCard(card, Rating.Good, makePreset(), NOW, { ...ctx, dueCountsByDay });
		expect(good.card.scheduledDays).toBe(light);
		expect(studyDayNumber(good.card.due, 4, TZ)).toBe(TODAY + light);
	});

	it('avoids the days a sibling is due', () => {
		const light = range.min + 1;
		const dueCountsByDay = (day: number): number => (day === TODAY + light ? 3 : 60);
		const siblingDueDays = new Set([TODAY + light]);
		const good = gradeCard(card, Rating.Good, makePreset(), NOW, {
			...ctx,
			dueCountsByDay,
			siblingDueDays
		});
		expect(good.card.scheduledDays).not.toBe(light);
		expect(good.card.scheduledDays).toBeGreaterThanOrEqual(range.min);
		expect(good.card.scheduledDays).toBeLessThanOrEqual(range.max);
	});

	it('keeps reviews off minimum easy days when the range allows', () => {
		// Weekends are minimum days.
		const preset = makePreset({ easyDays: [0, 1, 1, 1, 1, 1, 0] });
		for (let i = 0; i < 30; i++) {
			const c = makeReviewCard({ id: `e${i}/0`, stability: 10 }, 10);
			const good = gradeCard(c, Rating.Good, preset, NOW, ctx).card;
			const weekday = weekdayOfStudyDay(studyDayNumber(good.due, 4, TZ));
			expect([1, 2, 3, 4, 5]).toContain(weekday);
		}
	});

	it('is not applied when off or beyond 90 days: plain fuzz decides', () => {
		const dueCountsByDay = (day: number): number => (day === TODAY + range.min ? 0 : 999);
		const off = makePreset({ loadBalance: false });
		const balanced = gradeCard(card, Rating.Good, makePreset(), NOW, { ...ctx, dueCountsByDay });
		const fuzzed = gradeCard(card, Rating.Good, off, NOW, { ...ctx, dueCountsByDay });
		expect(balanced.card.scheduledDays).toBe(range.min);
		expect(fuzzed.card.scheduledDays).toBe(
			gradeCard(card, Rating.Good, off, NOW, ctx).card.scheduledDays
		);
	});
});

describe('leeches', () => {
	it('tags and suspends a card on its 8th lapse, then every 4th', () => {
		const preset = exactPreset();
		const seventh = gradeCard(
			makeReviewCard({ lapses: 6, tags: ['x'] }),
			Rating.Again,
			preset,
			NOW,
			ctx
		);
		expect(seventh.leech).toBe(false);
		expect(seventh.card.queue).toBe(Queue.Relearning);
		const eighth = gradeCard(
			makeReviewCard({ lapses: 7, tags: ['x'] }),
			Rating.Again,
			preset,
			NOW,
			ctx
		);
		expect(eighth.leech).toBe(true);
		expect(eighth.card).toMatchObject({
			queue: Queue.Suspended,
			state: CardState.Relearning,
			lapses: 8
		});
		expect(eighth.card.tags).toEqual(['x', 'leech']);
		expect(gradeCard(makeReviewCard({ lapses: 10 }), Rating.Again, preset, NOW, ctx).leech).toBe(
			false
		);
		expect(gradeCard(makeReviewCard({ lapses: 11 }), Rating.Again, preset, NOW, ctx).leech).toBe(
			true
		);
	});

	it('only counts lapses of review cards, and never with threshold 0', () => {
		const learning = makeLearningCard({ lapses: 7 });
		expect(gradeCard(learning, Rating.Again, exactPreset(), NOW, ctx).leech).toBe(false);
		const off = exactPreset({ leechThreshold: 0 });
		expect(gradeCard(makeReviewCard({ lapses: 7 }), Rating.Again, off, NOW, ctx).leech).toBe(false);
	});
});

describe('retrievability', () => {
	it('is 90% after one stability worth of days and 0 for new cards', () => {
		const card = makeReviewCard({ stability: 10 }, 10);
		expect(retrievability(card, NOW, exactPreset())).toBeCloseTo(0.9, 6);
		expect(retrievability(card, NOW - 10 * DAY, exactPreset())).toBe(1);
		expect(retrievability(card, NOW + 30 * DAY, exactPreset())).toBeLessThan(0.8);
		expect(retrievability(makeCard(), NOW, exactPreset())).toBe(0);
		// A clock before the last review does not give more than certainty.
		expect(retrievability(card, NOW - 20 * DAY, exactPreset())).toBe(1);
	});
});

describe('nextStudyDayStart sanity for reviews due tomorrow', () => {
	it('puts a 1-day interval in the next study day', () => {
		const card = makeLearningCard({ stability: 0.5 });
		const good = gradeCard(card, Rating.Good, exactPreset(), NOW, ctx).card;
		expect(good.scheduledDays).toBe(1);
		expect(good.due).toBeGreaterThanOrEqual(nextStudyDayStart(NOW, 4, TZ));
	});
});
