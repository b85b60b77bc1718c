/**
 * Histograms with fixed, human-sized bins. Intervals and stability span four orders of magnitude,
 * so their bins widen (days, then weeks, months, years) to stay readable on a 360 px screen;
 * difficulty and retrievability are percentages in ten equal bins.
 */

export interface BinSpec {
	/** Values below this (and at or above the previous bin's) fall in the bin. */
	below: number;
	/** Short axis label. */
	label: string;
	/** The same range in words, for tables and screen readers. */
	long: string;
}

export interface Bin {
	label: string;
	long: string;
	count: number;
}

export interface Histogram {
	bins: Bin[];
	/** How many values were counted. */
	total: number;
	/** Mean of the values, null when there are none. */
	mean: number | null;
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** Review intervals in whole days; 21 days is where a card turns mature, so a bin edge sits there. */
export const INTERVAL_BINS: readonly BinSpec[] = [
	...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ below: n + 1, label: `${n}d`, long: days(n) })),
	{ below: 15, label: '8–14d', long: '8 to 14 days' },
	{ below: 21, label: '15–20d', long: '15 to 20 days' },
	{ below: 31, label: '21–30d', long: '21 to 30 days' },
	{ below: 61, label: '1–2mo', long: '31 to 60 days' },
	{ below: 91, label: '2–3mo', long: '61 to 90 days' },
	{ below: 181, label: '3–6mo', long: '91 to 180 days' },
	{ below: 366, label: '6–12mo', long: '181 to 365 days' },
	{ below: 731, label: '1–2y', long: '1 to 2 years' },
	{ below: Infinity, label: '2y+', long: 'over 2 years' }
];

/** FSRS stability (days until recall falls to 90 %), fractional. */
export const STABILITY_BINS: readonly BinSpec[] = [
	{ below: 1, label: '<1d', long: 'under a day' },
	{ below: 2, label: '1d', long: '1 to 2 days' },
	{ below: 4, label: '2–4d', long: '2 to 4 days' },
	{ below: 7, label: '4–7d', long: '4 to 7 days' },
	{ below: 14, label: '1–2w', long: '1 to 2 weeks' },
	{ below: 21, label: '2–3w', long: '2 to 3 weeks' },
	{ below: 30, label: '3w–1mo', long: '3 weeks to a month' },
	{ below: 60, label: '1–2mo', long: '1 to 2 months' },
	{ below: 90, label: '2–3mo', long: '2 to 3 months' },
	{ below: 180, label: '3–6mo', long: '3 to 6 months' },
	{ below: 365, label: '6–12mo', long: '6 to 12 months' },
	{ below: 730, label: '1–2y', long: '1 to 2 years' },
	{ below: 1825, label: '2–5y', long: '2 to 5 years' },
	{ below: Infinity, label: '5y+', long: 'over 5 years' }
];

/** Ten bins of 10 % over 0–1 (the last one includes 1), labelled by where they start. */
export const PERCENT_BINS: readonly BinSpec[] = Array.from({ length: 10 }, (_, i) => ({
	below: i === 9 ? Infinity : (i + 1) / 10,
	label: `${i * 10}%`,
	long: `${i * 10} to ${i * 10 + 10} percent`
}));

/** Counts values into `specs` as they arrive, so millions of values need no array. */
export class HistogramBuilder {
	readonly #specs: readonly BinSpec[];
	readonly #counts: number[];
	#sum = 0;
	#total = 0;

	constructor(specs: readonly BinSpec[]) {
		this.#specs = specs;
		this.#counts = specs.map(() => 0);
	}

	/** Counts `value` (`n` times: a tally of equal values). */
	add(value: number, n = 1): void {
		if (!Number.isFinite(value)) return;
		let i = 0;
		// Fewer than 20 bins: a linear scan beats a binary search's bookkeeping.
		while (i < this.#specs.length - 1 && value >= this.#specs[i]!.below) i++;
		this.#counts[i]! += n;
		this.#sum += value * n;
		this.#total += n;
	}

	result(): Histogram {
		return {
			bins: this.#specs.map((s, i) => ({ label: s.label, long: s.long, count: this.#counts[i]! })),
			total: this.#total,
			mean: this.#total > 0 ? this.#sum / this.#total : null
		};
	}
}
