/**
 * The page's side of the optimizer worker: one worker per run, progress as it comes, and cancel
 * = terminate (the worker never writes anything, so there is nothing to undo). The worker and
 * with it the WASM are only created when a run starts, never when a page loads.
 */
import type { WorkloadEstimate } from '../core/optimizer/workload';
import type {
	FromWorker,
	OptimizeOutcome,
	OptimizeRequest,
	OptimizeStage,
	ToWorker,
	WorkloadRequest
} from './optimizer-protocol';
import { buffersOf, packRecords } from './packed-records';

export class OptimizerCancelled extends Error {
	constructor() {
		super('Optimization cancelled: the parameters were not changed.');
		this.name = 'OptimizerCancelled';
	}
}

export interface OptimizerRun<T> {
	result: Promise<T>;
	cancel(): void;
}

export type CreateWorker = () => Worker;

export function createOptimizerWorker(): Worker {
	return new Worker(new URL('./optimizer.worker.ts', import.meta.url), { type: 'module' });
}

function run<T>(
	message: ToWorker,
	transfer: Transferable[],
	pick: (reply: FromWorker) => T | undefined,
	onProgress: (stage: OptimizeStage, fraction: number) => void,
	create: CreateWorker
): OptimizerRun<T> {
	const worker = create();
	let settle: ((outcome: { ok: T } | { error: Error }) => void) | undefined;
	const result = new Promise<T>((resolve, reject) => {
		settle = (outcome) => {
			settle = undefined;
			worker.terminate();
			if ('ok' in outcome) resolve(outcome.ok);
			else reject(outcome.error);
		};
	});
	worker.onmessage = (event: MessageEvent<FromWorker>) => {
		const reply = event.data;
		if (reply.type === 'progress') return onProgress(reply.stage, reply.fraction);
		if (reply.type === 'error') return settle?.({ error: new Error(reply.message) });
		const value = pick(reply);
		if (value !== undefined) settle?.({ ok: value });
	};
	worker.onerror = (event: ErrorEvent) => {
		event.preventDefault();
		settle?.({ error: new Error(`The optimizer stopped: ${event.message || 'worker error'}`) });
	};
	worker.postMessage(message, transfer);
	return { result, cancel: () => settle?.({ error: new OptimizerCancelled() }) };
}

export function runOptimizer(
	request: OptimizeRequest,
	onProgress: (stage: OptimizeStage, fraction: number) => void = () => {},
	create: CreateWorker = createOptimizerWorker
): OptimizerRun<OptimizeOutcome> {
	const records = packRecords(request.records);
	return run(
		{ type: 'optimize', request: { ...request, records } },
		buffersOf(records),
		(reply) => (reply.type === 'optimized' ? reply.outcome : undefined),
		onProgress,
		create
	);
}

export function runWorkloadEstimate(
	request: WorkloadRequest,
	create: CreateWorker = createOptimizerWorker
): OptimizerRun<WorkloadEstimate[]> {
	const { history, ...rest } = request;
	const records = history ? packRecords(history.records) : undefined;
	return run(
		{
			type: 'workload',
			...rest,
			history: history && records ? { ...history, records } : undefined
		},
		records ? buffersOf(records) : [],
		(reply) => (reply.type === 'workload' ? reply.estimates : undefined),
		() => {},
		create
	);
}
