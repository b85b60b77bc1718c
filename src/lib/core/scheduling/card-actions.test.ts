import { describe, expect, it } from 'vitest';
import { CardState, Queue } from '../model';
import {
	FLAG_NAMES,
	flagCard,
	toggledFlag,
	bury,
	buryUntil,
	forgetCard,
	newCard,
	setDueDate,
	buryOptions,
	siblingsToBury,
	suspend,
	unbury,
	unsuspend
} from './card-actions';
import { addStudyDays } from './day';
import { replayCard } from './replay';
import { gradeCard } from './scheduler';
import { DAY, HOUR, NOW, TZ, makeCard, makePreset, makeReviewCard } from './test-factories';

describe('newCard', () => {
	it('is new, in the new queue, due at its position, with no memory', () => {
		expect(newCard({ id: 'd/n/1', noteId: 'd/n', deckId: 'd', ord: 1, position: 42 })).toEqual({
			id: 'd/n/1',
			noteId: 'd/n',
			deckId: 'd',
			ord: 1,
			queue: Queue.New,
			state: CardState.New,
			due: 42,
			stability: 0,
			difficulty: 0,
			scheduledDays: 0,
			learningSteps: 0,
			reps: 0,
			lapses: 0,
			rev: 0
		});
	});
});

describe('forgetCard', () => {
	const card = Object.freeze(makeReviewCard({ reps: 9, lapses: 2, rev: 5, tags: ['t'] }, 10));

	it('resets memory, keeps counts, and logs a rating-0 row', () => {
		const { card: reset, log } = forgetCard(card, NOW, 7);
		expect(reset).toMatchObject({
			id: card.id,
			state: CardState.New,
			queue: Queue.New,
			due: 7,
			stability: 0,
			difficulty: 0,
			scheduledDays: 0,
			learningSteps: 0,
			reps: 9,
			lapses: 2,
			rev: 6,
			tags: ['t']
		});
		expect(reset).not.toHaveProperty('lastReview');
		expect(log).toEqual({
			cardId: card.id,
			deckId: card.deckId,
			reviewedAt: NOW,
			rating: 0,
			state: CardState.Review,
			due: card.due,
			stability: 0,
			difficulty: 0,
			elapsedDays: 10,
			scheduledDays: 0,
			durationMs: 0
		});
	});

	it('can reset the counts too, and keeps a suspended card suspended', () => {
		expect(forgetCard(card, NOW, 1, { resetCounts: true }).card).toMatchObject({
			reps: 0,
			lapses: 0
		});
		const suspended = forgetCard({ ...card, queue: Queue.Suspended }, NOW, 1).card;
		expect(suspended.queue).toBe(Queue.Suspended);
	});

	it('gives 0 elapsed days when the clock is behind the last review', () => {
		expect(forgetCard(card, NOW - 30 * DAY, 1).log.elapsedDays).toBe(0);
	});
});

describe('setDueDate (Anki\'s "set due date")', () => {
	const card = Object.freeze(makeReviewCard({ reps: 4, rev: 3 }, 10));

	it('makes a review card due that many study days ahead, its memory kept, with a rating-0 row', () => {
		const { card: moved, log } = setDueDate(card, 6.6, NOW, 4, TZ);
		expect(moved).toMatchObject({
			state: CardState.Review,
			queue: Queue.Review,
			due: addStudyDays(NOW, 7, 4, TZ),
			scheduledDays: 7,
			learningSteps: 0,
			stability: card.stability,
			difficulty: card.difficulty,
			lastReview: card.lastReview,
			reps: 4,
			rev: 4
		});
		expect(log).toEqual({
			cardId: card.id,
			deckId: card.deckId,
			reviewedAt: NOW,
			rating: 0,
			state: CardState.Review,
			due: card.due,
			stability: card.stability,
			difficulty: card.difficulty,
			elapsedDays: 10,
			scheduledDays: 7,
			durationMs: 0
		});
		expect(card.rev).toBe(3);
	});

	it('keeps a suspended or buried card held, clamps negative days to today, and gives a new card a first review date', () => {
		expect(setDueDate(suspend(card), 3, NOW, 4, TZ).card.queue).toBe(Queue.Suspended);
		expect(setDueDate(bury(card, NOW + DAY), 3, NOW, 4, TZ).card.queue).toBe(Queue.Buried);
		expect(setDueDate(card, -5, NOW, 4, TZ).card.scheduledDays).toBe(0);
		const fresh = newCard({ id: 'd/n/0', noteId: 'd/n', deckId: 'd', ord: 0, position: 3 });
		const { card: due, log } = setDueDate(fresh, 2, NOW, 4, TZ);
		expect(due).toMatchObject({ state: CardState.Review, lastReview: NOW, stability: 0 });
		expect(log).toMatchObject({
			stability: 0,
			difficulty: 0,
			elapsedDays: 0,
			state: CardState.New
		});
	});

	it('is what replaying its log row gives back', () => {
		const preset = makePreset();
		const answered = gradeCard(makeCard(), 3, preset, NOW - 10 * DAY, { timeZone: TZ });
		const { card: moved, log } = setDueDate(answered.card, 12, NOW, preset.dayStartHour, TZ);
		const replayed = replayCard(answered.card, [answered.log, log], preset, { timeZone: TZ });
		expect(replayed.due).toBe(moved.due);
		expect(replayed.scheduledDays).toBe(12);
		expect(replayed.stability).toBeCloseTo(moved.stability, 6);
	});
});

describe('suspend, bury and back', () => {
	const card = Object.freeze(makeReviewCard({ rev: 3 }));

	it('suspends and unsuspends into the queue of the state', () => {
		const s = suspend(card);
		expect(s).toMatchObject({ queue: Queue.Suspended, rev: 4 });
		expect(unsuspend(s)).toMatchObject({ queue: Queue.Review, rev: 5 });
		expect(unsuspend(card)).toEqual(card);
		expect(unsuspend(card)).not.toBe(card);
	});

	it('buries until a time and unburies', () => {
		const b = bury(card, NOW + HOUR);
		expect(b).toMatchObject({ queue: Queue.Buried, buriedUntil: NOW + HOUR, rev: 4 });
		const back = unbury(b);
		expect(back).toMatchObject({ queue: Queue.Review, rev: 5 });
		expect(back).not.toHaveProperty('buriedUntil');
		expect(unbury(card)).toEqual(card);
	});

	it('does not bury a suspended card, and suspending clears a burial', () => {
		const s = suspend(card);
		expect(bury(s, NOW + HOUR)).toEqual(s);
		const sb = suspend(bury(card, NOW + HOUR));
		expect(sb.queue).toBe(Queue.Suspended);
		expect(sb).not.toHaveProperty('buriedUntil');
	});
});

describe('burying siblings', () => {
	it('buries until the start of the next study day', () => {
		// NOW is 12:00 in Berlin; tomorrow 04:00 CEST is 02:00 UTC.
		expect(buryUntil(NOW, makePreset(), TZ)).toBe(Date.UTC(2024, 4, 16, 2));
	});

	it('buries new cards and reviews due today of the same note only', () => {
		const until = buryUntil(NOW, makePreset(), TZ);
		const answered = makeCard({ id: 'n/0', noteId: 'n' });
		const newSibling = makeCard({ id: 'n/1', noteId: 'n' });
		const reviewToday = makeReviewCard({ id: 'n/2', noteId: 'n', due: NOW - HOUR });
		const reviewLater = makeReviewCard({ id: 'n/3', noteId: 'n', due: NOW + 5 * DAY });
		const learning = makeCard({
			id: 'n/4',
			noteId: 'n',
			state: CardState.Learning,
			queue: Queue.Learning
		});
		const suspended = makeCard({ id: 'n/5', noteId: 'n', queue: Queue.Suspended });
		const otherNote = makeCard({ id: 'm/0', noteId: 'm' });
		const buried = siblingsToBury(
			answered,
			[answered, newSibling, reviewToday, reviewLater, learning, suspended, otherNote],
			until
		);
		expect(buried.map((c) => c.id)).toEqual(['n/1', 'n/2']);
		for (const c of buried) expect(c).toMatchObject({ queue: Queue.Buried, buriedUntil: until });
	});

	it("buries only the kinds the preset's options name", () => {
		const answered = makeCard({ id: 'n/0', noteId: 'n' });
		const newSibling = makeCard({ id: 'n/1', noteId: 'n' });
		const reviewToday = makeReviewCard({ id: 'n/2', noteId: 'n', due: NOW + HOUR });
		const cards = [answered, newSibling, reviewToday];
		const until = NOW + DAY;
		const ids = (options: Parameters<typeof siblingsToBury>[3]) =>
			siblingsToBury(answered, cards, until, options).map((c) => c.id);
		expect(ids(buryOptions(makePreset({ buryNew: false })))).toEqual(['n/2']);
		expect(ids(buryOptions(makePreset({ buryReviews: false })))).toEqual(['n/1']);
		expect(ids(buryOptions(makePreset({ buryNew: false, buryReviews: false })))).toEqual([]);
		// A preset from before the options buries both, as Recall always did.
		expect(buryOptions(makePreset())).toEqual({ buryNew: true, buryReviews: true });
	});
});

describe('flags', () => {
	it("sets one of Anki's seven flags, bumping rev, and clears it with 0", () => {
		const card = makeCard();
		expect(FLAG_NAMES).toHaveLength(7);
		const red = flagCard(card, 1);
		expect(red.flag).toBe(1);
		expect(red.rev).toBe(card.rev + 1);
		expect(card.flag).toBeUndefined();
		const none = flagCard(red, 0);
		expect('flag' in none).toBe(false);
		expect('flag' in flagCard(red, 8)).toBe(false);
	});
	it('toggles: the flag a card has already clears it, another replaces it', () => {
		const red = flagCard(makeCard(), 1);
		expect(toggledFlag(red, 1)).toBe(0);
		expect(toggledFlag(red, 4)).toBe(4);
		expect(toggledFlag(makeCard(), 7)).toBe(7);
	});
});
