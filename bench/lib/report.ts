/**
 * The contract between a benchmark and bench/run.mjs: a benchmark prints its rows as one line
 * `BENCH_RESULT <JSON array of BenchRow>` on stdout (from Node or from the browser: vitest
 * forwards the browser's console). run.mjs judges each row against its budget and merges all
 * rows into one table and bench/results/latest.json. Scripts in plain JavaScript print the same
 * line (see docs/PERFORMANCE.md).
 */
export interface BenchRow {
	/** The table section, e.g. "Review loop". */
	section: string;
	/** What was measured, e.g. "grade → next card, p95". */
	name: string;
	/** The figure; null when it could not be measured (say why in `note`). */
	value: number | null;
	/** "ms", "s", "kB", "MB", "score", "cards/s"… */
	unit: string;
	/** Pass when value ≤ max and/or value ≥ min; no budget means the row is information only. */
	budget?: { max?: number; min?: number };
	note?: string;
}

export function report(rows: BenchRow[]): void {
	console.log(`BENCH_RESULT ${JSON.stringify(rows)}`);
}

/** The q-quantile (0–1) of `values`, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const round = (n: number, digits = 1): number => {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
};
