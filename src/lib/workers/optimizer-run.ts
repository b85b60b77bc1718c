/**
 * One optimization, start to end, with the training engine passed in (the WASM build in the
 * worker and in Node alike): review log → items; too little history stops here; train on
 * everything; then the FSRS benchmark's time-series split — train on each fold's past, predict
 * its future with those parameters and with the current ones — so "better" is judged on reviews
 * the new parameters never saw.
 */
import { evaluate, predict, score } from '../core/optimizer/evaluate';
import {
	buildTrainingSet,
	flattenItems,
	type TrainingItem,
	type TrainingSet
} from '../core/optimizer/items';
import { timeSeriesFolds } from '../core/optimizer/split';
import { FSRS6_WEIGHT_COUNT } from '../core/scheduling/preset';
import type { OptimizeOutcome, OptimizeRequest, OptimizeStage } from './optimizer-protocol';

/** Below this many reviews the parameters would fit noise (Anki asks for a few hundred too). */
export const MIN_REVIEWS = 400;
/** fsrs-rs trains for 5 epochs and logs each one. */
export const EPOCHS = 5;

export interface TrainEngine {
	/** FSRS-6 parameters from items; blocks until done, calling onEpoch after each epoch (1…5). */
	train(flat: ReturnType<typeof flattenItems>, onEpoch?: (epoch: number) => void): number[];
}

export type ProgressReport = (stage: OptimizeStage, fraction: number) => void;

/** f32 from WASM has noise digits (0.17260000109672546): six decimals are what the model uses. */
function tidy(weights: readonly number[]): number[] {
	if (weights.length !== FSRS6_WEIGHT_COUNT || weights.some((w) => !Number.isFinite(w))) {
		throw new Error(
			`the optimizer returned ${weights.length} parameters, not ${FSRS6_WEIGHT_COUNT} numbers`
		);
	}
	return weights.map((w) => Math.round(w * 1e6) / 1e6);
}

export function runOptimization(
	request: OptimizeRequest,
	engine: TrainEngine,
	report: ProgressReport = () => {}
): OptimizeOutcome {
	const set = buildTrainingSet(request.records, request);
	if (set.reviewCount < MIN_REVIEWS) {
		return { kind: 'too-little', reviewCount: set.reviewCount, minimum: MIN_REVIEWS };
	}
	const folds = timeSeriesFolds(set.items.length);
	// Work is proportional to the items trained on: the full set once, then each fold's past.
	const total = set.items.length + folds.reduce((n, f) => n + f.trainEnd, 0);
	let done = 0;
	const train = (items: readonly TrainingItem[], stage: OptimizeStage): number[] => {
		const share = items.length / total;
		report(stage, done / total);
		const weights = tidy(
			engine.train(flattenItems(set, items), (epoch) =>
				report(
					stage,
					Math.min(1, (done + (items.length * Math.min(epoch, EPOCHS)) / EPOCHS) / total)
				)
			)
		);
		done += items.length;
		report(stage, Math.min(1, done / total) || share);
		return weights;
	};
	const weights = train(set.items, 'training');
	const { current, optimized } = crossValidate(set, folds, request, (items) =>
		train(items, 'evaluating')
	);
	return {
		kind: 'done',
		weights,
		fsrsVersion: 6,
		reviewCount: set.reviewCount,
		itemCount: set.items.length,
		cardCount: set.cards.length,
		current,
		optimized,
		better: optimized.logLoss < current.logLoss
	};
}

function crossValidate(
	set: TrainingSet,
	folds: ReturnType<typeof timeSeriesFolds>,
	{ currentWeights, relearningSteps }: OptimizeRequest,
	train: (items: readonly TrainingItem[]) => number[]
) {
	if (folds.length === 0) {
		// Too few items to split (only with a tiny MIN_REVIEWS): compare in sample instead.
		const trained = train(set.items);
		return {
			current: evaluate(currentWeights, set, set.items, relearningSteps),
			optimized: evaluate(trained, set, set.items, relearningSteps)
		};
	}
	const tested = set.items.slice(folds[0]!.trainEnd);
	const optimized = folds.flatMap((fold) => {
		const foldWeights = train(set.items.slice(0, fold.trainEnd));
		const test = set.items.slice(fold.trainEnd, fold.testEnd);
		return predict(foldWeights, set, test, relearningSteps);
	});
	return {
		current: evaluate(currentWeights, set, tested, relearningSteps),
		optimized: score(optimized)
	};
}
