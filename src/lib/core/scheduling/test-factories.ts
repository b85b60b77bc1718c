/** Small factories for the scheduling tests (not used by the app). */
import { CardState, Queue, type Card, type Preset } from '../model';
import { createDefaultPreset } from './preset';

/** Wednesday 2024-05-15 12:00 in Berlin (10:00 UTC). */
export const NOW = Date.UTC(2024, 4, 15, 10, 0);
export const TZ = 'Europe/Berlin';
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

let counter = 0;

export function makeCard(overrides: Partial<Card> = {}): Card {
	counter += 1;
	return {
		id: `note-${counter}/0`,
		noteId: `note-${counter}`,
		deckId: 'deck',
		ord: 0,
		queue: Queue.New,
		state: CardState.New,
		due: counter,
		stability: 0,
		difficulty: 0,
		scheduledDays: 0,
		learningSteps: 0,
		reps: 0,
		lapses: 0,
		rev: 0,
		...overrides
	};
}

/** A review card last seen `daysAgo` days before NOW, due at NOW. */
export function makeReviewCard(overrides: Partial<Card> = {}, daysAgo = 10): Card {
	return makeCard({
		queue: Queue.Review,
		state: CardState.Review,
		stability: 10,
		difficulty: 5,
		scheduledDays: daysAgo,
		reps: 4,
		lapses: 0,
		lastReview: NOW - daysAgo * DAY,
		due: NOW,
		...overrides
	});
}

export function makeLearningCard(overrides: Partial<Card> = {}): Card {
	return makeCard({
		queue: Queue.Learning,
		state: CardState.Learning,
		stability: 2.3065,
		difficulty: 2.118,
		reps: 1,
		learningSteps: 1,
		lastReview: NOW - 10 * MIN,
		due: NOW,
		...overrides
	});
}

export function makePreset(overrides: Partial<Preset> = {}): Preset {
	return createDefaultPreset(overrides);
}

/** The same preset without fuzz (exact FSRS intervals). */
export function exactPreset(overrides: Partial<Preset> = {}): Preset {
	return createDefaultPreset({ fuzz: false, loadBalance: false, ...overrides });
}
