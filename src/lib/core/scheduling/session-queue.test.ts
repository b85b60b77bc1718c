import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Grade, type RevlogEntry } from '../model';
import { siblingsToBury } from './card-actions';
import { nextStudyDayStart, studyDayStart } from './day';
import { gradeCard } from './scheduler';
import { SessionQueue, type QueueCandidates } from './session-queue';
import {
	DAY,
	MIN,
	NOW,
	TZ,
	makeCard,
	makeLearningCard,
	makePreset,
	makeReviewCard
} from './test-factories';
import { seededRandom as random } from '../random';

const preset = makePreset({ newPerDay: 6, reviewsPerDay: 30 });
const dayStart = studyDayStart(NOW, preset.dayStartHour, TZ);
const dayEnd = nextStudyDayStart(NOW, preset.dayStartHour, TZ);

/**
 * What storage/review-repo's loadCandidates reads, over cards and review-log rows in memory:
 * the specification the in-memory queue must keep agreeing with after every answer.
 */
function read(cards: Card[], log: RevlogEntry[], slice: number): QueueCandidates {
	const today = log.filter((l) => l.reviewedAt >= dayStart && l.reviewedAt < dayEnd);
	const counted = (state: number) =>
		today.filter((l) => l.rating !== 0 && l.state === state).length;
	const newLeft = Math.max(0, preset.newPerDay - counted(CardState.New));
	const reviewsLeft = Math.max(0, preset.reviewsPerDay - counted(CardState.Review));
	const inQueue = (q: number, to: number) =>
		cards.filter((c) => c.queue === q && c.due < to).sort((a, b) => a.due - b.due);
	let learningUnread = 0;
	let learningHorizon: number | null = null;
	const learning: Card[] = [];
	for (const q of [Queue.Learning, Queue.Relearning]) {
		const all = inQueue(q, dayEnd);
		const taken = all.slice(0, slice);
		learning.push(...taken);
		if (taken.length === slice) {
			learningUnread += all.length - taken.length;
			const last = taken.at(-1)!.due;
			learningHorizon = learningHorizon === null ? last : Math.min(learningHorizon, last);
		}
	}
	const reviews = inQueue(Queue.Review, dayEnd).slice(0, reviewsLeft);
	const newCards = inQueue(Queue.New, Infinity).slice(0, newLeft);
	return {
		learning,
		learningUnread,
		learningHorizon,
		reviews,
		newCards,
		truncated:
			(reviewsLeft > 0 && reviews.length === reviewsLeft) ||
			(newLeft > 0 && newCards.length === newLeft),
		limits: { newLeft, reviewsLeft },
		nextDue: null
	};
}

/** A deck of new, learning and review cards; some notes have two cards (siblings). */
function deck(): Card[] {
	const cards: Card[] = [];
	for (let i = 0; i < 12; i++) {
		cards.push(makeCard({ id: `new${i}/0`, noteId: `new${i}`, due: i }));
		if (i % 3 === 0) cards.push(makeCard({ id: `new${i}/1`, noteId: `new${i}`, ord: 1, due: i }));
	}
	for (let i = 0; i < 20; i++) {
		cards.push(makeReviewCard({ id: `rev${i}/0`, noteId: `rev${i}`, due: NOW - i * 3 * MIN }));
	}
	for (let i = 0; i < 9; i++) {
		cards.push(makeLearningCard({ id: `learn${i}/0`, noteId: `learn${i}`, due: NOW + i * MIN }));
	}
	return cards;
}

describe('SessionQueue', () => {
	for (const slice of [200, 3]) {
		it(`agrees with a fresh read after every answer (learning read ${slice} at a time)`, () => {
			const next = random(slice);
			let cards = deck();
			const log: RevlogEntry[] = [];
			let now = NOW;
			let queue = new SessionQueue(read(cards, log, slice), preset, dayEnd, TZ);
			let reads = 1;
			for (let answer = 0; answer < 80; answer++) {
				let step = queue.next(now);
				if (step.stale || !step.card) {
					queue = new SessionQueue(read(cards, log, slice), preset, dayEnd, TZ);
					reads++;
					step = queue.next(now);
				}
				const fresh = new SessionQueue(read(cards, log, slice), preset, dayEnd, TZ).next(now);
				expect(step.card?.id, `answer ${answer}`).toBe(fresh.card?.id);
				expect(step.counts, `answer ${answer}`).toEqual(fresh.counts);
				if (!step.card) break;
				const card = step.card;
				const rating = (1 + Math.floor(next() * 4)) as Grade;
				const result = gradeCard(card, rating, preset, now, { timeZone: TZ });
				const notes = cards.filter((c) => c.noteId === card.noteId);
				const buried = siblingsToBury(result.card, notes, dayEnd);
				cards = cards.map((c) =>
					c.id === card.id ? result.card : (buried.find((b) => b.id === c.id) ?? c)
				);
				log.push(result.log);
				queue.answered(result.card, result.log, true);
				now += 20_000 + Math.floor(next() * 90_000);
			}
			expect(log.length).toBeGreaterThan(40);
			// The point: the store is read again only now and then, not once per answer.
			// (Buried siblings that leave a gap within the daily limits cause the few re-reads.)
			if (slice === 200) expect(reads).toBeLessThan(log.length / 8);
			// Three learning cards at a time: read on whenever they are used up.
			else expect(reads).toBeGreaterThan(3);
		});
	}

	it('counts learning cards due later today and the ones left unread', () => {
		const candidates: QueueCandidates = {
			learning: [
				makeLearningCard({ id: 'a', due: NOW - MIN }),
				makeLearningCard({ id: 'b', due: NOW + 5 * MIN }),
				makeLearningCard({ id: 'c', due: NOW + 3 * 60 * MIN })
			],
			learningUnread: 4,
			learningHorizon: NOW + 3 * 60 * MIN,
			reviews: [],
			newCards: [],
			truncated: false,
			limits: { newLeft: 20, reviewsLeft: 200 },
			nextDue: null
		};
		const queue = new SessionQueue(candidates, preset, dayEnd, TZ);
		const step = queue.next(NOW);
		expect(step.card?.id).toBe('a');
		expect(step.counts).toEqual({ new: 0, learning: 3 + 4, review: 0 });
		expect(step.stale).toBe(false);
		// Once the cards before the horizon are answered, the unread ones may be next.
		for (const id of ['a', 'b']) {
			const card = candidates.learning.find((c) => c.id === id)!;
			const result = gradeCard(card, 4, preset, NOW, { timeZone: TZ });
			queue.answered(result.card, result.log, true);
		}
		expect(queue.next(NOW).stale).toBe(true);
	});

	it('says when the next card is due once nothing is left for now', () => {
		const later = makeLearningCard({ id: 'later', due: NOW + 2 * 60 * MIN });
		const queue = new SessionQueue(
			{
				learning: [later],
				learningUnread: 0,
				learningHorizon: null,
				reviews: [],
				newCards: [],
				truncated: false,
				limits: { newLeft: 20, reviewsLeft: 200 },
				nextDue: NOW + DAY
			},
			preset,
			dayEnd,
			TZ
		);
		const step = queue.next(NOW);
		expect(step.card).toBeNull();
		expect(step.nextDue).toBe(later.due);
		expect(step.counts.learning).toBe(1);
		expect(queue.next(later.due).card?.id).toBe('later');
	});

	it('is stale once the study day is over', () => {
		const queue = new SessionQueue(
			{
				learning: [],
				learningUnread: 0,
				learningHorizon: null,
				reviews: [makeReviewCard({ id: 'r', due: NOW })],
				newCards: [],
				truncated: false,
				limits: { newLeft: 20, reviewsLeft: 200 },
				nextDue: null
			},
			preset,
			dayEnd,
			TZ
		);
		expect(queue.next(NOW).stale).toBe(false);
		expect(queue.next(dayEnd).stale).toBe(true);
	});

	it('lists the next few cards for reading ahead, in the order they will be shown', () => {
		const reviews = [0, 1, 2, 3].map((i) => makeReviewCard({ id: `r${i}`, due: NOW - i * MIN }));
		const queue = new SessionQueue(
			{
				learning: [],
				learningUnread: 0,
				learningHorizon: null,
				reviews,
				newCards: [],
				truncated: false,
				limits: { newLeft: 20, reviewsLeft: 200 },
				nextDue: null
			},
			preset,
			dayEnd,
			TZ
		);
		expect(queue.upcoming(NOW, 3).map((c) => c.id)).toEqual(['r3', 'r2', 'r1']);
	});
});
