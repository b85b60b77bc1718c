/// <reference lib="webworker" />
/**
 * The optimizer worker: trains FSRS-6 on a review log, and estimates the workload of desired
 * retention levels, off the main thread. Cancelling is terminating the worker; nothing it does
 * touches the store, so a cancelled run leaves everything as it was.
 */
import wasmUrl from 'fsrs-browser/fsrs_browser_bg.wasm?url';
import { buildTrainingSet } from '../core/optimizer/items';
import { estimateWorkload, ratingMixOf } from '../core/optimizer/workload';
import { loadFsrsEngine } from './fsrs-engine';
import type { FromWorker, ToWorker } from './optimizer-protocol';
import { runOptimization, type TrainEngine } from './optimizer-run';
import { unpackRecords } from './packed-records';

declare const self: DedicatedWorkerGlobalScope;

let engine: Promise<TrainEngine> | undefined;

function send(message: FromWorker): void {
	self.postMessage(message);
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
	const message = event.data;
	void (async () => {
		try {
			if (message.type === 'workload') {
				const { history } = message;
				const ratingMix = history
					? ratingMixOf(buildTrainingSet(unpackRecords(history.records), history))
					: message.input.ratingMix;
				const input = ratingMix ? { ...message.input, ratingMix } : message.input;
				send({ type: 'workload', estimates: estimateWorkload(input, message.retentions) });
			} else if (message.type === 'optimize') {
				engine ??= loadFsrsEngine(wasmUrl);
				const request = { ...message.request, records: unpackRecords(message.request.records) };
				const outcome = runOptimization(request, await engine, (stage, fraction) =>
					send({ type: 'progress', stage, fraction })
				);
				send({ type: 'optimized', outcome });
			}
		} catch (error) {
			send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
		}
	})();
});
