import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Grade, type RevlogEntry } from '../model';
import { browseRow } from '../search/results';
import { nextStudyDayStart } from './day';
import { FILTERED_LIMIT, FoundQueue, pickFound } from './found-queue';
import { gradeCard } from './scheduler';
import {
	DAY,
	MIN,
	NOW,
	TZ,
	exactPreset,
	makeCard,
	makeLearningCard,
	makeReviewCard
} from './test-factories';

const preset = exactPreset();
const dayEnd = nextStudyDayStart(NOW, preset.dayStartHour, TZ);

function answer(card: Card, rating: Grade, now = NOW): { after: Card; log: RevlogEntry } {
	const { card: after, log } = gradeCard(card, rating, preset, now, { timeZone: TZ });
	return { after, log };
}

/** Answers the card `queue` shows at `now`, as the session does. */
function study(queue: FoundQueue, rating: Grade, now = NOW): Card {
	const card = queue.next(now).card!;
	const { after, log } = answer(card, rating, now);
	queue.answered(after, log, true);
	return after;
}

describe('pickFound', () => {
	it('orders the found cards by due, new cards last, and leaves out suspended and buried ones', () => {
		const fresh = makeCard({ due: 1 });
		const late = makeReviewCard({ due: NOW + 3 * DAY });
		const overdue = makeReviewCard({ due: NOW - DAY });
		const suspended = makeReviewCard({ due: NOW - 2 * DAY, queue: Queue.Suspended });
		const buried = makeCard({ due: 0, queue: Queue.Buried });
		const rows = [fresh, late, overdue, suspended, buried].map((c) =>
			browseRow(c, undefined, 'Deck', preset, NOW)
		);
		expect(pickFound(rows)).toEqual([overdue.id, late.id, fresh.id]);
	});

	it('takes at most the limit (an Anki filtered deck’s 100 by default)', () => {
		const rows = Array.from({ length: FILTERED_LIMIT + 20 }, (_, i) =>
			browseRow(makeReviewCard({ due: NOW - i * MIN }), undefined, 'Deck', preset, NOW)
		);
		const picked = pickFound(rows);
		expect(picked).toHaveLength(FILTERED_LIMIT);
		expect(picked[0]).toBe(rows.at(-1)!.cardId);
		expect(pickFound(rows, 5)).toHaveLength(5);
	});
});

describe('FoundQueue', () => {
	it('shows the found cards in the order given, new ones counted as new, others to review', () => {
		const cards = [makeReviewCard({ due: NOW + 2 * DAY }), makeCard(), makeCard()];
		const queue = new FoundQueue(cards, [], dayEnd);
		expect(queue.total).toBe(3);
		expect(queue.upcoming(NOW, 10).map((c) => c.id)).toEqual(cards.map((c) => c.id));
		expect(queue.next(NOW)).toEqual({
			card: cards[0],
			counts: { new: 2, learning: 0, review: 1 },
			nextDue: null,
			stale: false
		});
		study(queue, 3);
		expect(queue.next(NOW).card?.id).toBe(cards[1]!.id);
		expect(queue.next(NOW).counts).toEqual({ new: 2, learning: 0, review: 0 });
		expect(queue.answeredCount).toBe(1);
	});

	it('counts a found card still in its learning steps under learning', () => {
		const learning = makeCard({ queue: Queue.Learning, state: CardState.Learning, due: NOW - MIN });
		const queue = new FoundQueue([learning, makeReviewCard(), makeCard()], [], dayEnd);
		expect(queue.next(NOW).counts).toEqual({ new: 1, learning: 1, review: 1 });
	});

	it('leaves out cards that are suspended or buried as stored now', () => {
		const cards = [
			makeCard({ queue: Queue.Suspended }),
			makeCard(),
			makeCard({ queue: Queue.Buried })
		];
		const queue = new FoundQueue(cards, [], dayEnd);
		expect(queue.upcoming(NOW, 10)).toEqual([cards[1]]);
		expect(queue.next(NOW).counts).toEqual({ new: 1, learning: 0, review: 0 });
	});

	it('brings a card answered Again back when its step is due, before the other found cards', () => {
		const [first, second, third] = [makeReviewCard(), makeReviewCard(), makeReviewCard()];
		const queue = new FoundQueue([first!, second!, third!], [], dayEnd);
		const lapsed = study(queue, 1);
		expect(lapsed.queue).toBe(Queue.Relearning);
		// The ten-minute relearning step is not due yet: the next found card comes first.
		expect(queue.next(NOW).card?.id).toBe(second!.id);
		expect(queue.next(NOW).counts).toEqual({ new: 0, learning: 1, review: 2 });
		study(queue, 3, NOW + MIN);
		// Due now: ahead of the found card still waiting.
		const later = NOW + 11 * MIN;
		expect(queue.next(later).card?.id).toBe(first!.id);
		expect(queue.upcoming(later, 3).map((c) => c.id)).toEqual([first!.id, third!.id]);
		expect(queue.answeredCount).toBe(2);
	});

	it('learns ahead (20 minutes) only once no found card is left, and says when the next is due', () => {
		const card = makeCard();
		const longSteps = exactPreset({ learningSteps: [30] });
		const queue = new FoundQueue([card], [], dayEnd);
		const { card: after, log } = gradeCard(card, 1, longSteps, NOW, { timeZone: TZ });
		queue.answered(after, log, true);
		// Thirty minutes away: beyond learn-ahead, nothing to show until then.
		expect(queue.next(NOW)).toEqual({
			card: null,
			counts: { new: 0, learning: 1, review: 0 },
			nextDue: NOW + 30 * MIN,
			stale: false
		});
		expect(queue.next(NOW + 10 * MIN + 1).card?.id).toBe(card.id);

		const steps = new FoundQueue([makeCard(), makeCard()], [], dayEnd);
		const learning = study(steps, 3);
		expect(learning.due).toBe(NOW + 10 * MIN);
		// The other found card first; then the ten-minute step, within learn-ahead.
		const other = study(steps, 4);
		expect(other.queue).toBe(Queue.Review);
		expect(steps.next(NOW).card?.id).toBe(learning.id);
		expect(steps.next(NOW).counts).toEqual({ new: 0, learning: 1, review: 0 });
		study(steps, 3);
		expect(steps.next(NOW).card).toBeNull();
		expect(steps.next(NOW).nextDue).toBeNull();
		expect(steps.answeredCount).toBe(2);
	});

	it('drops the siblings an answer buries, but not a learning one or a review due later', () => {
		const note = { noteId: 'n' };
		const answered = makeReviewCard({ ...note, id: 'n/0' });
		const newSibling = makeCard({ ...note, id: 'n/1' });
		const learningSibling = makeLearningCard({ ...note, id: 'n/2', due: NOW - MIN });
		const laterSibling = makeReviewCard({ ...note, id: 'n/3', due: dayEnd + DAY });
		const other = makeCard();
		const queue = new FoundQueue(
			[answered, learningSibling, laterSibling, newSibling, other],
			[],
			dayEnd
		);
		expect(queue.next(NOW).card?.id).toBe(answered.id);
		study(queue, 3);
		expect(queue.upcoming(NOW, 10).map((c) => c.id)).toEqual([
			learningSibling.id,
			laterSibling.id,
			other.id
		]);
		// Without burying (not how the session answers), the sibling would stay.
		const unburied = new FoundQueue([answered, newSibling], [], dayEnd);
		const { after, log } = answer(answered, 3);
		unburied.answered(after, log, false);
		expect(unburied.next(NOW).card?.id).toBe(newSibling.id);
	});

	it('is rebuilt from the store: cards with a review-log row have had their turn', () => {
		const done = makeReviewCard({ due: NOW + 5 * DAY, state: CardState.Review });
		const relearning = makeReviewCard({
			queue: Queue.Relearning,
			state: CardState.Relearning,
			due: NOW + 5 * MIN
		});
		const reset = makeCard();
		const waiting = makeReviewCard();
		const queue = new FoundQueue(
			[done, relearning, reset, waiting],
			[
				{ cardId: done.id, rating: 3 },
				{ cardId: relearning.id, rating: 1 },
				// Reset to new: it leaves the queue, but was not answered.
				{ cardId: reset.id, rating: 0 },
				// Rows of cards the search did not find are not this session's business.
				{ cardId: 'elsewhere/0', rating: 3 }
			],
			dayEnd
		);
		expect(queue.total).toBe(4);
		expect(queue.answeredCount).toBe(2);
		expect(queue.upcoming(NOW, 10).map((c) => c.id)).toEqual([waiting.id, relearning.id]);
		expect(queue.next(NOW).counts).toEqual({ new: 0, learning: 1, review: 1 });
		// A card the search did not find is not counted either.
		const { after, log } = answer(makeReviewCard(), 3);
		queue.answered(after, log, true);
		expect(queue.answeredCount).toBe(2);
	});

	it('says it is stale once the study day it was read for has ended', () => {
		const queue = new FoundQueue([makeCard()], [], dayEnd);
		expect(queue.next(dayEnd - 1).stale).toBe(false);
		expect(queue.next(dayEnd).stale).toBe(true);
	});
});
