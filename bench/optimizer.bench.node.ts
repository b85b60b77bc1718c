/**
 * Optimizer speed in Node on the shared corpus's real review log (12,580 reviews of 1,205
 * cards): the WASM build the app ships (fsrs-browser, threadless, as in the worker), and
 * fsrs-rs's native Node binding for comparison. "train" is conversion + one training on every
 * item (what "Optimize" costs before the evaluation); "with evaluation" adds the five
 * time-series folds. The Chromium figures come from bench/optimizer.bench.mjs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { default_w } from 'ts-fsrs';
import { it } from 'vitest';
import { JOSH_CSV_FROM_REPO } from '$lib/core/optimizer/corpus';
import { buildTrainingSet, flattenItems } from '$lib/core/optimizer/items';
import { parseRevlogCsv } from '$lib/core/optimizer/revlog-csv';
import { runOptimization } from '$lib/workers/optimizer-run';
import { loadFsrsEngineInNode } from '$lib/workers/optimizer-testing';
import { median, report, round, type BenchRow } from './lib/report';
import { loadNativeFsrs, NATIVE_PACKAGE } from '../scripts/fsrs-rs';

const SECTION = 'Optimizer (12,580 reviews)';
const RUNS = 3;
const csvPath = fileURLToPath(new URL(`../${JOSH_CSV_FROM_REPO}`, import.meta.url));

function time(fn: () => unknown): number {
	const start = performance.now();
	fn();
	return performance.now() - start;
}

/** CPU time of this process, ms: the WASM trains on one thread, so this is its time on an idle core. */
function cpu(fn: () => unknown): number {
	const start = process.cpuUsage();
	fn();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await fn();
	return performance.now() - start;
}

it('optimizes the real review log in Node', async () => {
	if (!existsSync(csvPath)) {
		const note = `shared corpus absent (${csvPath})`;
		report([
			{ section: SECTION, name: 'Node, WASM: train', value: null, unit: 'ms', note },
			{ section: SECTION, name: 'Node, native binding: train', value: null, unit: 'ms', note }
		]);
		return;
	}
	const records = parseRevlogCsv(readFileSync(csvPath, 'utf8'));
	const options = { dayStartHour: 4, timeZone: 'UTC' };
	const engine = await loadFsrsEngineInNode();
	const request = { records, currentWeights: [...default_w], relearningSteps: 1, ...options };
	const wasmTrain: number[] = [];
	const wasmCpu: number[] = [];
	const wasmTotal: number[] = [];
	const train = () => engine.train(flattenItems(buildTrainingSet(records, options)));
	for (let run = 0; run < RUNS; run++) {
		wasmTrain.push(time(train));
		wasmCpu.push(cpu(train));
		wasmTotal.push(time(() => runOptimization(request, engine)));
	}
	const rows: BenchRow[] = [
		{
			section: SECTION,
			name: 'Node, WASM (fsrs-browser, threadless): train',
			value: round(median(wasmTrain), 0),
			unit: 'ms',
			note: `median of ${RUNS} (${wasmTrain.map((t) => round(t, 0)).join(', ')}); load average ${loadavg()[0]!.toFixed(1)}`
		},
		{
			section: SECTION,
			name: 'Node, WASM: train, CPU time',
			value: round(median(wasmCpu), 0),
			unit: 'ms',
			note: `median of ${RUNS}; ≈ the wall time on an idle core`
		},
		{
			section: SECTION,
			name: 'Node, WASM: train + time-series evaluation',
			value: round(median(wasmTotal), 0),
			unit: 'ms',
			note: `median of ${RUNS}`
		}
	];
	const binding = loadNativeFsrs();
	if (binding) {
		const set = buildTrainingSet(records, options);
		const items = set.items.map(({ card, length }) => {
			const c = set.cards[card]!;
			return new binding.FSRSBindingItem(
				c.ratings
					.slice(0, length)
					.map((rating, i) => new binding.FSRSBindingReview(rating, c.deltaTs[i]!))
			);
		});
		const native: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			native.push(
				await timeAsync(() => binding.computeParameters(items, { enableShortTerm: true }))
			);
		}
		rows.push({
			section: SECTION,
			name: 'Node, native binding 0.5 (multi-threaded): train',
			value: round(median(native), 0),
			unit: 'ms',
			note: `median of ${RUNS}; items built beforehand`
		});
	} else {
		rows.push({
			section: SECTION,
			name: 'Node, native binding: train',
			value: null,
			unit: 'ms',
			note: `${NATIVE_PACKAGE} is not installed`
		});
	}
	report(rows);
});
