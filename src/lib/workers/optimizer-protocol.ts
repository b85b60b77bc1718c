/** Messages between the app and the optimizer worker (structured-clone friendly plain data). */
import type { Metrics } from '../core/optimizer/evaluate';
import type { ReviewRecord } from '../core/optimizer/items';
import type { WorkloadEstimate, WorkloadInput } from '../core/optimizer/workload';
import type { PackedRecords } from './packed-records';

export interface OptimizeRequest {
	records: ReviewRecord[];
	/** The preset's parameters now: the baseline the new ones must beat. */
	currentWeights: number[];
	dayStartHour: number;
	timeZone: string;
	/** The preset's relearning steps: ts-fsrs clips two parameters by their number. */
	relearningSteps: number;
}

export type OptimizeOutcome =
	| { kind: 'too-little'; reviewCount: number; minimum: number }
	| {
			kind: 'done';
			weights: number[];
			/** The FSRS model the weights belong to. */
			fsrsVersion: 6;
			reviewCount: number;
			itemCount: number;
			cardCount: number;
			/** Both on the time-series split's test items (out of sample for the new parameters). */
			current: Metrics;
			optimized: Metrics;
			/** The new parameters predict the history better (lower log loss). */
			better: boolean;
	  };

export type OptimizeStage = 'training' | 'evaluating';

/** The workload estimate; with `history`, the learner's own rating mix replaces the defaults. */
export interface WorkloadRequest {
	input: WorkloadInput;
	retentions: number[];
	history?: Pick<OptimizeRequest, 'records' | 'dayStartHour' | 'timeZone'>;
}

/** On the wire, records travel packed (packed-records.ts). */
type Packed<T extends { records: unknown }> = Omit<T, 'records'> & { records: PackedRecords };

export type ToWorker =
	| { type: 'optimize'; request: Packed<OptimizeRequest> }
	| {
			type: 'workload';
			input: WorkloadInput;
			retentions: number[];
			history?: Packed<NonNullable<WorkloadRequest['history']>>;
	  };

export type FromWorker =
	| { type: 'progress'; stage: OptimizeStage; fraction: number }
	| { type: 'optimized'; outcome: OptimizeOutcome }
	| { type: 'workload'; estimates: WorkloadEstimate[] }
	| { type: 'error'; message: string };
