import { get_fuzz_range } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { fuzzInterval, fuzzRange, fuzzSeed, seededUnit } from './fuzz';

describe('fuzzRange', () => {
	it('matches ts-fsrs (and Anki) for every interval and elapsed time', () => {
		for (const interval of [1, 2, 2.5, 3, 5, 7, 8, 15, 20, 21, 50, 100, 365, 3000, 36500]) {
			for (const elapsed of [0, 1, 3, 10, 40, 400]) {
				const ours = fuzzRange(interval, elapsed, 36500);
				const theirs = get_fuzz_range(interval, elapsed, 36500);
				expect([ours.min, ours.max]).toEqual([theirs.min_ivl, theirs.max_ivl]);
			}
		}
	});

	it('widens with the interval: ±1 day at 3, ±2 at 10, ±7 at 100', () => {
		expect(fuzzRange(3, 0, 36500)).toEqual({ min: 2, max: 4 });
		expect(fuzzRange(10, 0, 36500)).toEqual({ min: 8, max: 12 });
		expect(fuzzRange(100, 0, 36500)).toEqual({ min: 93, max: 107 });
		expect(fuzzRange(100, 0, 102)).toEqual({ min: 93, max: 102 });
		// A review that already survived 95 days is not brought forward below 96.
		expect(fuzzRange(100, 95, 36500)).toEqual({ min: 96, max: 107 });
	});
});

describe('fuzzInterval', () => {
	it('never fuzzes intervals under 2.5 days', () => {
		expect(fuzzInterval(1, 0, 36500, 'a')).toBe(1);
		expect(fuzzInterval(2, 0, 36500, 'b')).toBe(2);
	});

	it('is deterministic per seed and stays in range', () => {
		const seed = fuzzSeed('note/0', 5);
		expect(seed).toBe('note/0:5');
		expect(fuzzInterval(30, 10, 36500, seed)).toBe(fuzzInterval(30, 10, 36500, seed));
		const seen = new Set<number>();
		for (let reps = 0; reps < 300; reps++) {
			const days = fuzzInterval(30, 10, 36500, fuzzSeed('card', reps));
			expect(days).toBeGreaterThanOrEqual(27);
			expect(days).toBeLessThanOrEqual(33);
			seen.add(days);
		}
		expect([...seen].sort((a, b) => a - b)).toEqual([27, 28, 29, 30, 31, 32, 33]);
	});
});

describe('seededUnit', () => {
	it('gives numbers in [0, 1) that depend on seed and salt', () => {
		const values = Array.from({ length: 1000 }, (_, i) => seededUnit(`s${i}`));
		expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...values)).toBeLessThan(1);
		const mean = values.reduce((a, b) => a + b, 0) / values.length;
		expect(mean).toBeGreaterThan(0.45);
		expect(mean).toBeLessThan(0.55);
		expect(seededUnit('x', 1)).not.toBe(seededUnit('x', 2));
		expect(seededUnit('x', 1)).toBe(seededUnit('x', 1));
	});
});
