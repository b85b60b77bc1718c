/**
 * The page bench/optimizer.bench.mjs loads in Chromium: the app's own optimizer client and
 * worker (bundled by Vite as in production), run on the review log the bench serves. Long
 * tasks on this page's thread are recorded while the worker works: the page must stay free.
 */
import { default_w } from 'ts-fsrs';
import type { ReviewRecord } from '$lib/core/optimizer/items';
import { parseRevlogCsv } from '$lib/core/optimizer/revlog-csv';
import { runOptimizer } from '$lib/workers/optimizer-client';
import type { OptimizeRequest } from '$lib/workers/optimizer-protocol';

export interface PageRun {
	/** Worker start, WASM load, conversion and one training on every item, ms. */
	train: number;
	/** … then the five time-series folds, until the outcome arrives (full runs only), ms. */
	total: number;
	longestTask: number;
	better: boolean;
}

let records: ReviewRecord[] = [];

async function prepare(): Promise<number> {
	records = parseRevlogCsv(await (await fetch('./revlog.csv')).text());
	return records.length;
}

/** One run; with `trainOnly`, the worker is stopped as soon as the evaluation begins. */
async function optimize(trainOnly: boolean): Promise<PageRun> {
	const request: OptimizeRequest = {
		records,
		currentWeights: [...default_w],
		dayStartHour: 4,
		timeZone: 'UTC',
		relearningSteps: 1
	};
	let longestTask = 0;
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
	});
	observer.observe({ type: 'longtask' });
	const start = performance.now();
	let trained: number | undefined;
	let stop = () => {};
	const trainedOnce = new Promise<void>((resolve) => (stop = resolve));
	const run = runOptimizer(request, (stage) => {
		if (stage !== 'evaluating' || trained !== undefined) return;
		trained = performance.now();
		stop();
	});
	let better = false;
	if (trainOnly) {
		await trainedOnce;
		run.cancel();
		await run.result.catch(() => undefined);
	} else {
		const outcome = await run.result;
		better = outcome.kind === 'done' && outcome.better;
	}
	const end = performance.now();
	observer.disconnect();
	return { train: (trained ?? end) - start, total: end - start, longestTask, better };
}

Object.assign(window, { prepare, optimize });
