import { describe, expect, it } from 'vitest';
import {
	CardState,
	Queue,
	Rating,
	type Card,
	type Grade,
	type Preset,
	type RevlogEntry
} from '../model';
import { forgetCard } from './card-actions';
import { needsReschedule, replayCard, rescheduleFromLog } from './replay';
import { gradeCard } from './scheduler';
import { DAY, HOUR, MIN, NOW, TZ, exactPreset, makeCard, makePreset } from './test-factories';

const ctx = { timeZone: TZ };

/** Grade a card through `ratings`, each answer when the card is due (plus `lateMs`). */
function study(
	card: Card,
	ratings: Grade[],
	preset: Preset,
	lateMs = 0
): { card: Card; logs: RevlogEntry[] } {
	const logs: RevlogEntry[] = [];
	let now = NOW;
	for (const rating of ratings) {
		const result = gradeCard(card, rating, preset, now, ctx);
		card = result.card;
		logs.push(result.log);
		now = card.due + lateMs;
	}
	return { card, logs };
}

const memory = (c: Card) => ({
	state: c.state,
	queue: c.queue,
	due: c.due,
	stability: c.stability,
	difficulty: c.difficulty,
	scheduledDays: c.scheduledDays,
	learningSteps: c.learningSteps,
	reps: c.reps,
	lapses: c.lapses,
	lastReview: c.lastReview
});

const ratings: Grade[] = [3, 3, 3, 1, 3, 3, 2, 3, 4, 3, 1, 1, 3, 3];

describe('replayCard', () => {
	it('gives back what grading gave, without fuzz', () => {
		const base = makeCard({ due: 12 });
		const graded = study(base, ratings, exactPreset(), 5 * HOUR);
		const replayed = replayCard(base, graded.logs, exactPreset(), { timeZone: TZ });
		expect(memory(replayed)).toEqual(memory(graded.card));
		expect(replayed.stability).toBeGreaterThan(0);
	});

	it('gives back what grading gave with fuzz too (fuzz is seeded by card and reps)', () => {
		const preset = makePreset({ loadBalance: false });
		const base = makeCard();
		const graded = study(base, ratings, preset, 3 * HOUR);
		expect(memory(replayCard(base, graded.logs, preset, { timeZone: TZ }))).toEqual(
			memory(graded.card)
		);
	});

	it('sorts the log by time first', () => {
		const base = makeCard();
		const graded = study(base, ratings, exactPreset());
		const shuffled = [...graded.logs].reverse();
		expect(memory(replayCard(base, shuffled, exactPreset(), ctx))).toEqual(memory(graded.card));
	});

	it('follows a reset in the middle of the history', () => {
		const base = makeCard({ due: 5 });
		const first = study(base, [3, 3, 3], exactPreset());
		const forgotten = forgetCard(first.card, first.card.due, 5);
		const after = gradeCard(forgotten.card, Rating.Good, exactPreset(), first.card.due + HOUR, ctx);
		const logs = [...first.logs, forgotten.log, after.log];
		expect(memory(replayCard(base, logs, exactPreset(), ctx))).toEqual(memory(after.card));
		const justReset = replayCard(base, [...first.logs, forgotten.log], exactPreset(), ctx);
		expect(justReset).toMatchObject({
			state: CardState.New,
			queue: Queue.New,
			due: 5,
			stability: 0
		});
	});

	it('applies a manual reschedule without touching the memory state', () => {
		const base = makeCard();
		const graded = study(base, [3, 3], exactPreset());
		const at = graded.card.lastReview ?? NOW;
		const manual: RevlogEntry = {
			cardId: base.id,
			deckId: base.deckId,
			reviewedAt: at + HOUR,
			rating: 0,
			state: CardState.Review,
			due: graded.card.due,
			stability: graded.card.stability,
			difficulty: graded.card.difficulty,
			elapsedDays: 0,
			scheduledDays: 30,
			durationMs: 0
		};
		const replayed = replayCard(base, [...graded.logs, manual], exactPreset(), ctx);
		expect(replayed.stability).toBe(graded.card.stability);
		expect(replayed.scheduledDays).toBe(30);
		expect(replayed.due).toBe(at + HOUR + 30 * DAY);
		expect(replayed.state).toBe(CardState.Review);
	});

	it('gives a new card back for an empty log', () => {
		const base = makeCard({ due: 3, rev: 4 });
		expect(replayCard(base, [], exactPreset(), ctx)).toEqual({ ...base, rev: 5 });
	});

	it('keeps the identity, tags and suspension of the base', () => {
		const base = makeCard({ tags: ['leech', 'x'] });
		const graded = study(base, [3, 3, 3], exactPreset());
		const suspended = { ...graded.card, queue: Queue.Suspended, rev: 9 };
		const replayed = replayCard(suspended, graded.logs, exactPreset(), ctx);
		expect(replayed).toMatchObject({
			id: base.id,
			noteId: base.noteId,
			queue: Queue.Suspended,
			rev: 10
		});
		expect(replayed.tags).toEqual(['leech', 'x']);
	});

	it('reschedules with new parameters: same history, different memory', () => {
		const base = makeCard();
		const graded = study(base, [3, 3, 3, 3], exactPreset());
		const weights = [...exactPreset().weights];
		weights[8] = 2.2; // recall stability grows faster
		const replayed = replayCard(graded.card, graded.logs, exactPreset({ weights }), ctx);
		expect(replayed.stability).toBeGreaterThan(graded.card.stability);
		expect(replayed.reps).toBe(graded.card.reps);
		expect(replayed.due).toBeGreaterThan(graded.card.due);
	});

	it('imports a bare history: ratings and times only', () => {
		const base = makeCard();
		const times = [NOW, NOW + 10 * MIN, NOW + 3 * DAY, NOW + 12 * DAY];
		const logs = times.map((t): RevlogEntry => ({
			cardId: base.id,
			deckId: base.deckId,
			reviewedAt: t,
			rating: Rating.Good,
			state: CardState.New,
			due: 0,
			stability: 0,
			difficulty: 0,
			elapsedDays: 0,
			scheduledDays: 0,
			durationMs: 0
		}));
		const replayed = replayCard(base, logs, exactPreset(), ctx);
		expect(replayed).toMatchObject({
			state: CardState.Review,
			reps: 4,
			lastReview: NOW + 12 * DAY
		});
		expect(replayed.stability).toBeGreaterThan(5);
	});
});

describe('rescheduling after a preset change', () => {
	it('rebuilds a studied card from its log under the new preset, and leaves a card without a log', () => {
		const before = makePreset({ desiredRetention: 0.9 });
		const after = makePreset({ desiredRetention: 0.8 });
		const { card, logs } = study(makeCard(), [3, 3, 3], before);
		expect(needsReschedule(card)).toBe(true);
		expect(needsReschedule(makeCard())).toBe(false);
		const rebuilt = rescheduleFromLog(card, logs, after, ctx);
		expect(rebuilt).toEqual(replayCard(card, logs, after, ctx));
		expect(rebuilt?.due).toBeGreaterThan(card.due);
		expect(rescheduleFromLog(card, [], after, ctx)).toBeNull();
	});
});
