import { describe, expect, it } from 'vitest';
import { finishSort, sortInSteps } from './sort';

/** A seeded generator, so failures repeat. */
function numbers(count: number, seed = 7): number[] {
	let a = seed;
	return Array.from({ length: count }, () => {
		a = (a * 1_103_515_245 + 12_345) % 2_147_483_648;
		return a % 1000;
	});
}

describe('sortInSteps', () => {
	it('sorts like Array.prototype.sort, for every size around the run and merge edges', () => {
		for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 1000, 4099]) {
			const input = numbers(n, n + 1);
			const sorted = finishSort(sortInSteps(input, (a, b) => a - b));
			expect(sorted, `n = ${n}`).toEqual([...input].sort((a, b) => a - b));
		}
	});

	it('is stable and leaves its input alone', () => {
		const input = numbers(5000).map((key, i) => ({ key: key % 10, i }));
		const copy = input.map((x) => ({ ...x }));
		const sorted = finishSort(sortInSteps(input, (a, b) => a.key - b.key));
		expect(input).toEqual(copy);
		for (let i = 1; i < sorted.length; i++) {
			const [a, b] = [sorted[i - 1]!, sorted[i]!];
			expect(a.key < b.key || (a.key === b.key && a.i < b.i)).toBe(true);
		}
	});

	it('pauses after about the given number of comparisons', () => {
		const input = numbers(100_000);
		let compares = 0;
		const steps = sortInSteps(
			input,
			(a, b) => {
				compares++;
				return a - b;
			},
			10_000
		);
		let pauses = 0;
		let result: number[] | undefined;
		let before = 0;
		for (;;) {
			const next = steps.next();
			if (next.done) {
				result = next.value;
				break;
			}
			pauses++;
			// A step does at most the budget plus one run's insertion sort.
			expect(compares - before).toBeLessThanOrEqual(10_000 + 32 * 32);
			before = compares;
		}
		expect(pauses).toBeGreaterThan(100);
		expect(result).toEqual([...input].sort((a, b) => a - b));
	});
});
