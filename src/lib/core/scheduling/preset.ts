import { default_w } from 'ts-fsrs';
import type { Preset } from '../model';

/**
 * Anki's defaults with FSRS-6 and ts-fsrs's default weights. Shared: never mutate it, take a
 * copy from createDefaultPreset() (not frozen, so Svelte's $state can proxy a copy of it).
 */
export const DEFAULT_PRESET: Preset = {
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
	weights: [...default_w],
	fsrsVersion: 6
};

/** A fresh, editable copy of the default preset with optional changes. */
export function createDefaultPreset(overrides: Partial<Preset> = {}): Preset {
	return {
		...DEFAULT_PRESET,
		learningSteps: [...DEFAULT_PRESET.learningSteps],
		relearningSteps: [...DEFAULT_PRESET.relearningSteps],
		easyDays: [...DEFAULT_PRESET.easyDays],
		weights: [...DEFAULT_PRESET.weights],
		...overrides
	};
}

/** Learning steps run within a day; longer gaps are FSRS's job. */
export const MAX_STEP_MINUTES = 1439;
export const FSRS6_WEIGHT_COUNT = 21;

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const inRange = (n: unknown, min: number, max: number): n is number =>
	typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max;

function stepErrors(label: string, steps: unknown): string[] {
	if (!Array.isArray(steps)) return [`${label} must be a list of minutes`];
	const bad = steps.some((s) => !isWhole(s) || s < 1 || s > MAX_STEP_MINUTES);
	return bad
		? [`${label} must be whole minutes between 1 and ${MAX_STEP_MINUTES} (under a day)`]
		: [];
}

/** Human-readable problems with a preset; an empty list means it can be used to schedule. */
export function validatePreset(p: Preset): string[] {
	const errors: string[] = [];
	if (typeof p.id !== 'string' || p.id.trim() === '') errors.push('Preset id must not be empty');
	if (typeof p.name !== 'string' || p.name.trim() === '') errors.push('Name must not be empty');
	// The epsilon accepts 0.7 and 0.99 typed in a form and stored as binary fractions.
	if (!inRange(p.desiredRetention, 0.7 - 1e-9, 0.99 + 1e-9)) {
		errors.push('Desired retention must be between 0.70 and 0.99');
	}
	errors.push(...stepErrors('Learning steps', p.learningSteps));
	errors.push(...stepErrors('Relearning steps', p.relearningSteps));
	if (!isWhole(p.newPerDay) || p.newPerDay < 0) {
		errors.push('New cards per day must be a whole number, 0 or more');
	}
	if (!isWhole(p.reviewsPerDay) || p.reviewsPerDay < 0) {
		errors.push('Maximum reviews per day must be a whole number, 0 or more');
	}
	if (!isWhole(p.dayStartHour) || p.dayStartHour < 0 || p.dayStartHour > 23) {
		errors.push('Next day starts at must be a whole hour from 0 to 23');
	}
	if (!isWhole(p.maximumInterval) || p.maximumInterval < 1 || p.maximumInterval > 36500) {
		errors.push('Maximum interval must be a whole number of days from 1 to 36500');
	}
	if (typeof p.fuzz !== 'boolean') errors.push('Fuzz must be on or off');
	if (typeof p.loadBalance !== 'boolean') errors.push('Load balancing must be on or off');
	if (!isWhole(p.leechThreshold) || p.leechThreshold < 0) {
		errors.push('Leech threshold must be a whole number, 0 (never) or more');
	}
	if (
		!Array.isArray(p.easyDays) ||
		p.easyDays.length !== 7 ||
		p.easyDays.some((d) => !inRange(d, 0, 1))
	) {
		errors.push(
			'Easy days must give each of the 7 weekdays a value from 0 (minimum) to 1 (normal)'
		);
	} else if (p.easyDays.every((d) => d === 0)) {
		errors.push('Easy days must leave at least one weekday above minimum');
	}
	if (p.reviewOrder !== 'due' && p.reviewOrder !== 'retrievability') {
		errors.push('Review order must be "due" or "retrievability"');
	}
	if (
		p.newMix !== undefined &&
		p.newMix !== 'mix' &&
		p.newMix !== 'after' &&
		p.newMix !== 'before'
	) {
		errors.push('New cards must go "mix", "after" or "before" the reviews');
	}
	if (p.buryNew !== undefined && typeof p.buryNew !== 'boolean') {
		errors.push('Burying new siblings must be on or off');
	}
	if (p.buryReviews !== undefined && typeof p.buryReviews !== 'boolean') {
		errors.push('Burying review siblings must be on or off');
	}
	if (
		p.rescheduledAt !== undefined &&
		(typeof p.rescheduledAt !== 'number' || !Number.isFinite(p.rescheduledAt))
	) {
		errors.push('The time the cards were last rescheduled must be a time');
	}
	if (
		!Array.isArray(p.weights) ||
		p.weights.length !== FSRS6_WEIGHT_COUNT ||
		p.weights.some((w) => typeof w !== 'number' || !Number.isFinite(w))
	) {
		errors.push(`FSRS parameters must be ${FSRS6_WEIGHT_COUNT} finite numbers`);
	}
	if (p.fsrsVersion !== 6) errors.push('FSRS version must be 6');
	return errors;
}
