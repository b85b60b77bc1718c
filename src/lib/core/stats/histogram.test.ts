import { describe, expect, it } from 'vitest';
import { HistogramBuilder, INTERVAL_BINS, PERCENT_BINS, STABILITY_BINS } from './histogram';
import { emptyDay, sumDays, type ReviewTally } from './tally';

function binOf(specs: typeof INTERVAL_BINS, value: number): string | undefined {
	const h = new HistogramBuilder(specs);
	h.add(value);
	return h.result().bins.find((b) => b.count === 1)?.label;
}

describe('histogram bins', () => {
	it('puts each value in the bin whose range holds it', () => {
		expect(binOf(INTERVAL_BINS, 0)).toBe('1d');
		expect(binOf(INTERVAL_BINS, 7)).toBe('7d');
		expect(binOf(INTERVAL_BINS, 20)).toBe('15–20d');
		expect(binOf(INTERVAL_BINS, 21)).toBe('21–30d');
		expect(binOf(INTERVAL_BINS, 36500)).toBe('2y+');
		expect(binOf(STABILITY_BINS, 0.2)).toBe('<1d');
		expect(binOf(PERCENT_BINS, 0)).toBe('0%');
		expect(binOf(PERCENT_BINS, 0.1)).toBe('10%');
		expect(binOf(PERCENT_BINS, 0.999)).toBe('90%');
		expect(binOf(PERCENT_BINS, 1)).toBe('90%');
	});

	it('ignores values that are not numbers and gives the mean of the rest', () => {
		const h = new HistogramBuilder(INTERVAL_BINS);
		for (const v of [1, 3, NaN, Infinity, 8]) h.add(v);
		expect(h.result()).toMatchObject({ total: 3, mean: 4 });
		expect(new HistogramBuilder(INTERVAL_BINS).result().mean).toBeNull();
	});

	it('describes every bin in words for screen readers', () => {
		expect(INTERVAL_BINS.map((b) => b.long).slice(0, 2)).toEqual(['1 day', '2 days']);
		expect(PERCENT_BINS[9]).toMatchObject({ label: '90%', long: '90 to 100 percent' });
	});
});

describe('day tallies', () => {
	const tally: ReviewTally = new Map([
		[100, { ...emptyDay(), reviews: 3, timeMs: 9000, again: 1, youngPassed: 2 }],
		[98, { ...emptyDay(), reviews: 1, matureFailed: 1 }]
	]);

	it('sum a range of days', () => {
		expect(sumDays(tally, 99, 100)).toMatchObject({ reviews: 3, youngPassed: 2, matureFailed: 0 });
		expect(sumDays(tally, 98, 100)).toMatchObject({ reviews: 4, matureFailed: 1 });
	});
});
