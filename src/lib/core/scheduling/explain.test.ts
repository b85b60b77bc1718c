import { describe, expect, it } from 'vitest';
import { explainInterval, memorySummary } from './explain';
import {
	DAY,
	NOW,
	TZ,
	exactPreset,
	makeCard,
	makeLearningCard,
	makeReviewCard
} from './test-factories';

describe('memorySummary', () => {
	it('reports recall probability, stability in days and difficulty on 1–10', () => {
		const card = makeReviewCard({ stability: 10, difficulty: 6.5, reps: 7, lapses: 1 }, 10);
		const summary = memorySummary(card, NOW, exactPreset());
		expect(summary.retrievability).toBeCloseTo(0.9, 6);
		expect(summary).toMatchObject({ stability: 10, difficulty: 6.5, reps: 7, lapses: 1 });
		const later = memorySummary(card, NOW + 20 * DAY, exactPreset());
		expect(later.retrievability).toBeLessThan(0.85);
	});

	it('has no memory numbers for a new card', () => {
		expect(memorySummary(makeCard(), NOW, exactPreset())).toEqual({
			retrievability: null,
			stability: null,
			difficulty: null,
			reps: 0,
			lapses: 0
		});
	});
});

describe('explainInterval', () => {
	it('explains a review interval by stability and desired retention', () => {
		const card = makeReviewCard({ stability: 10, difficulty: 5 }, 10);
		const text = explainInterval(card, exactPreset(), NOW, { timeZone: TZ });
		expect(text).toMatch(/^Answering Good raises its stability from 10 days to \d+(\.\d)? days,/);
		expect(text).toContain('desired retention of 90%');
		expect(text).toMatch(/in (\d+d|\d+(\.\d)?mo)\.$/);
		expect(text).toBe(
			'Answering Good raises its stability from 10 days to 32 days, and with a desired retention of 90% it is due when predicted recall falls to about 90%: in 1.1mo.'
		);
	});

	it('says when fuzz moved the day', () => {
		const card = makeReviewCard({ stability: 10 }, 10);
		const text = explainInterval(card, exactPreset({ fuzz: true }), NOW, { timeZone: TZ });
		expect(text).toContain('moved a little by fuzz');
	});

	it('explains learning steps for new and learning cards', () => {
		expect(explainInterval(makeCard(), exactPreset(), NOW, { timeZone: TZ })).toBe(
			'This card is a new card, so Good shows it again after a fixed learning step (10m) before FSRS spaces it out in days.'
		);
		const graduating = explainInterval(makeLearningCard(), exactPreset(), NOW, { timeZone: TZ });
		expect(graduating).toMatch(/^Answering Good raises its stability from/);
	});
});
