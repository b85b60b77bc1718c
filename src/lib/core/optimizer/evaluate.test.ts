import { default_w, forgetting_curve, fsrs } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { evaluate, predict, recencyWeights, score, type Prediction } from './evaluate';
import type { TrainingSet } from './items';
import { timeSeriesFolds } from './split';

const W = [...default_w];

/** One card: Good on day 0, Good 3 days later, Again 10 days after that. */
const set: TrainingSet = {
	cards: [{ cardId: 'c', ratings: [3, 3, 1], deltaTs: [0, 3, 10], times: [0, 1, 2] }],
	items: [
		{ card: 0, length: 2, reviewedAt: 1 },
		{ card: 0, length: 3, reviewedAt: 2 }
	],
	reviewCount: 3
};

describe('predict', () => {
	it("gives the FSRS-6 forgetting curve at each item's interval, from the state before it", () => {
		const [first, second] = predict(W, set, set.items);
		// After one Good the stability is w[2].
		expect(first!.p).toBeCloseTo(forgetting_curve(W, 3, W[2]!), 10);
		expect(first!.y).toBe(1);
		expect(second!.y).toBe(0);
		const model = fsrs({ w: W, enable_short_term: true });
		const afterTwo = model.next_state(model.next_state(null, 0, 3), 3, 3);
		expect(second!.p).toBeCloseTo(forgetting_curve(W, 10, afterTwo.stability), 10);
		// Bins: delta_t 3 → 248 (2.48·3.62⁰, in hundredths), delta_t 10 → 898 (2.48·3.62¹);
		// 1 and 2 long-term reviews → lengths 2 and 3 → both 4 (1.99·1.89¹); no lapse before either.
		expect([first!.bin, second!.bin]).toEqual(['248,4,0', '898,4,0']);
	});

	it('gives the same predictions whatever order the items come in', () => {
		const reversed = predict(W, set, [...set.items].reverse());
		expect(reversed.map((p) => p.p).reverse()).toEqual(predict(W, set, set.items).map((p) => p.p));
	});
});

describe('score', () => {
	const preds: Prediction[] = [
		{ p: 0.9, y: 1, bin: 'a' },
		{ p: 0.8, y: 0, bin: 'a' },
		{ p: 0.5, y: 1, bin: 'b' },
		{ p: 1, y: 1, bin: 'b' }
	];

	it('averages the binary cross-entropy and takes the count-weighted RMSE of bin means', () => {
		const m = score(preds);
		// A certainty (p = 1) is clamped to 0.9999, so a lapse on it would cost log(1e-4), not ∞.
		const ln = Math.log;
		expect(m.logLoss).toBeCloseTo(-(ln(0.9) + ln(0.2) + ln(0.5) + ln(0.9999)) / 4, 12);
		// Bin a: mean p 0.85, recall 0.5; bin b: mean p (0.5 + 0.9999)/2, recall 1; two items each.
		const gapB = 1 - (0.5 + 0.9999) / 2;
		expect(m.rmseBins).toBeCloseTo(Math.sqrt((0.35 ** 2 * 2 + gapB ** 2 * 2) / 4), 12);
		expect(m.count).toBe(4);
	});

	it('weighs items when asked, as fsrs-rs does for recency', () => {
		expect(recencyWeights(3)).toEqual([0.25, 0.25 + 0.75 / 8, 1]);
		const m = score(preds.slice(0, 2), [1, 3]);
		expect(m.logLoss).toBeCloseTo(-(Math.log(0.9) + 3 * Math.log(0.2)) / 4, 12);
	});

	it('gives NaN for nothing to score, rather than a misleading 0', () => {
		expect(score([])).toEqual({ logLoss: NaN, rmseBins: NaN, count: 0 });
	});
});

describe('evaluate', () => {
	it('scores a better fitting parameter set lower', () => {
		// Halving every initial stability predicts the lapse at day 10 better and the pass at day 3 worse.
		const forgetful = W.map((w, i) => (i < 4 ? w / 2 : w));
		const a = evaluate(W, set);
		const b = evaluate(forgetful, set);
		expect(a.count).toBe(2);
		expect(b.logLoss).not.toBeCloseTo(a.logLoss, 3);
	});
});

describe('timeSeriesFolds', () => {
	it('cuts n items into 6 segments: fold k trains on segments 0…k and tests the next', () => {
		expect(timeSeriesFolds(62)).toEqual([
			{ trainEnd: 10, testEnd: 20 },
			{ trainEnd: 20, testEnd: 30 },
			{ trainEnd: 30, testEnd: 40 },
			{ trainEnd: 40, testEnd: 50 },
			{ trainEnd: 50, testEnd: 62 }
		]);
		expect(timeSeriesFolds(5)).toEqual([]);
	});
});
