/**
 * How well a parameter set predicts a learner's history, with the FSRS benchmark's two metrics:
 * log loss (binary cross-entropy of "recalled" against the predicted retrievability) and RMSE over
 * bins (items grouped by interval, number of long-term reviews and lapses; the root of the
 * count-weighted mean squared gap between mean prediction and recall rate per bin). Memory states
 * come from ts-fsrs, as the scheduler computes them, so the figures are independent of the WASM
 * optimizer that produced the parameters.
 */
import { fsrs, type FSRSState } from 'ts-fsrs';
import type { CardHistory, TrainingItem, TrainingSet } from './items';

export interface Metrics {
	logLoss: number;
	rmseBins: number;
	/** Items evaluated. */
	count: number;
}

/** A recall probability of exactly 0 or 1 would make the log loss infinite. */
const P_MIN = 1e-4;

interface Bin {
	predicted: number;
	actual: number;
	count: number;
	weight: number;
}

/** fsrs-rs r_matrix_index: log-spaced buckets of delta_t, history length and lapses. */
function binKey(deltaT: number, longTermReviews: number, lapses: number): string {
	const dt = Math.round(2.48 * Math.pow(3.62, Math.floor(Math.log(deltaT) / Math.log(3.62))) * 100);
	const length = longTermReviews + 1;
	const len = Math.round(1.99 * Math.pow(1.89, Math.floor(Math.log(length) / Math.log(1.89))));
	const lapse =
		lapses === 0
			? 0
			: Math.round(1.65 * Math.pow(1.73, Math.floor(Math.log(lapses) / Math.log(1.73))));
	return `${dt},${len},${lapse}`;
}

export interface Prediction {
	/** Predicted probability of recall. */
	p: number;
	/** 1 when the review was passed (rating > 1). */
	y: number;
	bin: string;
}

/**
 * Predictions for the items of one card, in the order of `lengths` (ascending): the card's memory
 * state is walked once, as its items are prefixes of one history.
 */
function predictCard(
	model: ReturnType<typeof modelOf>,
	card: CardHistory,
	lengths: readonly number[]
): Prediction[] {
	const out: Prediction[] = [];
	let state: FSRSState | null = null;
	let applied = 0;
	let longTerm = 0;
	let lapses = 0;
	for (const length of lengths) {
		while (applied < length - 1) {
			const g = card.ratings[applied] ?? 3;
			const t = card.deltaTs[applied] ?? 0;
			state = model.next_state(state, t, g);
			if (t > 0) {
				longTerm++;
				if (g === 1) lapses++;
			}
			applied++;
		}
		const t = card.deltaTs[length - 1] ?? 0;
		const p = state ? model.forgetting_curve(t, state.stability) : 0;
		const y = (card.ratings[length - 1] ?? 1) > 1 ? 1 : 0;
		out.push({ p, y, bin: binKey(t, longTerm + (t > 0 ? 1 : 0), lapses) });
	}
	return out;
}

/**
 * The model as the scheduler builds it: ts-fsrs clips w17/w18 by the number of relearning
 * steps, so the evaluation sees the parameters the app would schedule with.
 */
function modelOf(weights: readonly number[], relearningSteps: number) {
	return fsrs({
		w: [...weights],
		enable_short_term: true,
		relearning_steps: Array.from({ length: relearningSteps }, () => '10m' as const)
	});
}

/** One prediction per item, aligned with `items`. */
export function predict(
	weights: readonly number[],
	set: TrainingSet,
	items: readonly TrainingItem[],
	relearningSteps = 1
): Prediction[] {
	const model = modelOf(weights, relearningSteps);
	const byCard = new Map<number, number[]>();
	items.forEach((item, i) => {
		let list = byCard.get(item.card);
		if (!list) byCard.set(item.card, (list = []));
		list.push(i);
	});
	const predictions: Prediction[] = new Array<Prediction>(items.length);
	for (const [cardIndex, indices] of byCard) {
		const card = set.cards[cardIndex];
		if (!card) throw new RangeError(`no card ${cardIndex} in the training set`);
		indices.sort((a, b) => (items[a]?.length ?? 0) - (items[b]?.length ?? 0));
		const lengths = indices.map((i) => items[i]?.length ?? 0);
		predictCard(model, card, lengths).forEach((p, k) => {
			predictions[indices[k] ?? 0] = p;
		});
	}
	return predictions;
}

/** Log loss and RMSE(bins) of predictions; `weights` defaults to 1 per prediction. */
export function score(predictions: readonly Prediction[], weights?: readonly number[]): Metrics {
	let loss = 0;
	let weightSum = 0;
	const bins = new Map<string, Bin>();
	predictions.forEach(({ p: raw, y, bin }, i) => {
		const w = weights?.[i] ?? 1;
		const p = Math.min(1 - P_MIN, Math.max(P_MIN, raw));
		loss += (y * Math.log(p) + (1 - y) * Math.log(1 - p)) * w;
		weightSum += w;
		let b = bins.get(bin);
		if (!b) bins.set(bin, (b = { predicted: 0, actual: 0, count: 0, weight: 0 }));
		b.predicted += p;
		b.actual += y;
		b.count += 1;
		b.weight += w;
	});
	let squared = 0;
	for (const b of bins.values())
		squared += (b.predicted / b.count - b.actual / b.count) ** 2 * b.weight;
	return {
		logLoss: weightSum > 0 ? -loss / weightSum : NaN,
		rmseBins: weightSum > 0 ? Math.sqrt(squared / weightSum) : NaN,
		count: predictions.length
	};
}

/** Metrics of `weights` on `items` (default: all items of the set). */
export function evaluate(
	weights: readonly number[],
	set: TrainingSet,
	items: readonly TrainingItem[] = set.items,
	relearningSteps = 1
): Metrics {
	return score(predict(weights, set, items, relearningSteps));
}

/**
 * fsrs-rs weighs items by recency when it evaluates one parameter set on a whole history (Anki's
 * "Evaluate"): 0.25 + 0.75·(i/(n−1))³ for the i-th item in time order.
 */
export function recencyWeights(n: number): number[] {
	const last = Math.max(1, n - 1);
	return Array.from({ length: n }, (_, i) => 0.25 + 0.75 * (i / last) ** 3);
}
