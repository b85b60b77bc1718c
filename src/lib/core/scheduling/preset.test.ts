import { default_w } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, createDefaultPreset, validatePreset } from './preset';

describe('DEFAULT_PRESET', () => {
	it('has Anki defaults and ts-fsrs FSRS-6 weights', () => {
		expect(DEFAULT_PRESET).toMatchObject({
			id: 'default',
			name: 'Default',
			desiredRetention: 0.9,
			learningSteps: [1, 10],
			relearningSteps: [10],
			newPerDay: 20,
			reviewsPerDay: 200,
			dayStartHour: 4,
			maximumInterval: 36500,
			fuzz: true,
			loadBalance: true,
			leechThreshold: 8,
			easyDays: [1, 1, 1, 1, 1, 1, 1],
			reviewOrder: 'due',
			fsrsVersion: 6
		});
		expect(DEFAULT_PRESET.weights).toEqual([...default_w]);
		expect(DEFAULT_PRESET.weights).toHaveLength(21);
		expect(validatePreset(DEFAULT_PRESET)).toEqual([]);
	});

	it('hands out copies that do not share arrays with the default', () => {
		const copy = createDefaultPreset({ name: 'Mine' });
		copy.learningSteps.push(60);
		copy.weights[0] = 1;
		expect(copy.name).toBe('Mine');
		expect(DEFAULT_PRESET.learningSteps).toEqual([1, 10]);
		expect(DEFAULT_PRESET.weights[0]).toBe(default_w[0]);
	});
});

describe('validatePreset', () => {
	const errorsFor = (overrides: Parameters<typeof createDefaultPreset>[0]): string[] =>
		validatePreset(createDefaultPreset(overrides));

	it('accepts the ends of the retention range', () => {
		expect(errorsFor({ desiredRetention: 0.7 })).toEqual([]);
		expect(errorsFor({ desiredRetention: 0.99 })).toEqual([]);
	});

	it('names each problem in words', () => {
		expect(errorsFor({ desiredRetention: 0.5 })).toEqual([
			'Desired retention must be between 0.70 and 0.99'
		]);
		expect(errorsFor({ desiredRetention: 1 })).toEqual([
			'Desired retention must be between 0.70 and 0.99'
		]);
		expect(errorsFor({ learningSteps: [1, 0] })).toEqual([
			'Learning steps must be whole minutes between 1 and 1439 (under a day)'
		]);
		expect(errorsFor({ relearningSteps: [2.5] })).toEqual([
			'Relearning steps must be whole minutes between 1 and 1439 (under a day)'
		]);
		expect(errorsFor({ newPerDay: -1 })).toEqual([
			'New cards per day must be a whole number, 0 or more'
		]);
		expect(errorsFor({ reviewsPerDay: 1.5 })).toEqual([
			'Maximum reviews per day must be a whole number, 0 or more'
		]);
		expect(errorsFor({ dayStartHour: 24 })).toEqual([
			'Next day starts at must be a whole hour from 0 to 23'
		]);
		expect(errorsFor({ maximumInterval: 0 })).toEqual([
			'Maximum interval must be a whole number of days from 1 to 36500'
		]);
		expect(errorsFor({ leechThreshold: -2 })).toEqual([
			'Leech threshold must be a whole number, 0 (never) or more'
		]);
		expect(errorsFor({ easyDays: [1, 1, 1] })).toEqual([
			'Easy days must give each of the 7 weekdays a value from 0 (minimum) to 1 (normal)'
		]);
		expect(errorsFor({ easyDays: [0, 0, 0, 0, 0, 0, 0] })).toEqual([
			'Easy days must leave at least one weekday above minimum'
		]);
		expect(errorsFor({ weights: [1, 2, 3] })).toEqual([
			'FSRS parameters must be 21 finite numbers'
		]);
		expect(errorsFor({ weights: [...default_w.slice(0, 20), Number.NaN] })).toEqual([
			'FSRS parameters must be 21 finite numbers'
		]);
		expect(errorsFor({ name: '  ' })).toEqual(['Name must not be empty']);
		expect(errorsFor({ rescheduledAt: Number.NaN })).toEqual([
			'The time the cards were last rescheduled must be a time'
		]);
		expect(errorsFor({ rescheduledAt: Date.UTC(2026, 11, 7) })).toEqual([]);
	});

	it('allows empty step lists, 0 leech threshold and reduced easy days', () => {
		expect(
			errorsFor({
				learningSteps: [],
				relearningSteps: [],
				leechThreshold: 0,
				easyDays: [0, 0.5, 1, 1, 1, 1, 0.5]
			})
		).toEqual([]);
	});

	it('reports several problems at once', () => {
		expect(errorsFor({ desiredRetention: 2, newPerDay: -5, dayStartHour: -1 })).toHaveLength(3);
	});
});
