import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { default_w } from 'ts-fsrs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOSH_CSV_FROM_REPO } from '../core/optimizer/corpus';
import { evaluate } from '../core/optimizer/evaluate';
import { buildTrainingSet } from '../core/optimizer/items';
import { parseRevlogCsv } from '../core/optimizer/revlog-csv';
import { simulateLearner } from '../core/optimizer/simulated-learner';
import { createDefaultPreset } from '../core/scheduling/preset';
import type { OptimizeRequest } from './optimizer-protocol';
import { MIN_REVIEWS, runOptimization, type TrainEngine } from './optimizer-run';
import { loadFsrsEngineInNode } from './optimizer-testing';

const csvPath = fileURLToPath(new URL(`../../../${JOSH_CSV_FROM_REPO}`, import.meta.url));
const present = existsSync(csvPath);
if (!present)
	console.warn(`Real-history optimization skipped: ${csvPath} not found (shared corpus absent).`);

let engine: TrainEngine;
beforeAll(async () => {
	engine = await loadFsrsEngineInNode();
});

describe('runOptimization', () => {
	it('says how many reviews it has and needs when the history is too short', () => {
		const preset = createDefaultPreset();
		const { revlog } = simulateLearner({
			preset,
			deckId: 'd',
			cards: 30,
			newPerDay: 10,
			days: 10,
			start: Date.UTC(2025, 0, 1, 9),
			timeZone: 'UTC'
		});
		const outcome = runOptimization(
			{
				records: revlog,
				currentWeights: preset.weights,
				dayStartHour: 4,
				timeZone: 'UTC',
				relearningSteps: 1
			},
			engine
		);
		expect(outcome).toEqual({
			kind: 'too-little',
			reviewCount: revlog.length,
			minimum: MIN_REVIEWS
		});
	});

	it('trains on a generated learner and reports progress from 0 to 1, training then evaluating', () => {
		const preset = createDefaultPreset();
		const { revlog } = simulateLearner({
			preset,
			deckId: 'd',
			cards: 150,
			newPerDay: 15,
			days: 60,
			start: Date.UTC(2025, 0, 1, 9),
			timeZone: 'UTC'
		});
		const steps: [string, number][] = [];
		const outcome = runOptimization(
			{
				records: revlog,
				currentWeights: preset.weights,
				dayStartHour: 4,
				timeZone: 'UTC',
				relearningSteps: 1
			},
			engine,
			(stage, fraction) => steps.push([stage, fraction])
		);
		if (outcome.kind !== 'done') throw new Error(`expected a result, got ${outcome.kind}`);
		expect(outcome.weights).toHaveLength(21);
		expect(outcome.fsrsVersion).toBe(6);
		expect(outcome.reviewCount).toBe(revlog.length);
		const fractions = steps.map(([, f]) => f);
		expect(fractions[0]).toBe(0);
		expect(fractions.at(-1)).toBe(1);
		expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
		expect(steps[0]![0]).toBe('training');
		expect(steps.at(-1)![0]).toBe('evaluating');
		// Six trainings (all items, then five folds): a start, five epochs and an end each.
		expect(steps).toHaveLength(6 * 7);
	}, 120_000);
});

describe.skipIf(!present)('optimizing 12,580 real reviews (shared corpus)', () => {
	const request = (): OptimizeRequest => ({
		records: parseRevlogCsv(readFileSync(csvPath, 'utf8')),
		currentWeights: [...default_w],
		dayStartHour: 4,
		timeZone: 'UTC',
		relearningSteps: 1
	});

	it('finds parameters whose log loss on that history is lower than the defaults’', () => {
		const req = request();
		const outcome = runOptimization(req, engine);
		if (outcome.kind !== 'done') throw new Error(`expected a result, got ${outcome.kind}`);
		expect([outcome.reviewCount, outcome.cardCount, outcome.itemCount]).toEqual([
			12_580, 1_205, 6_276
		]);
		// Out of sample (time-series split), as the benchmark measures it…
		expect(outcome.better).toBe(true);
		expect(outcome.optimized.logLoss).toBeLessThan(outcome.current.logLoss);
		expect(outcome.optimized.rmseBins).toBeLessThan(outcome.current.rmseBins);
		expect(outcome.current.count).toBe(6_276 - Math.floor(6_276 / 6));
		// …and on the whole history, for the parameters that get applied.
		const set = buildTrainingSet(req.records, req);
		expect(evaluate(outcome.weights, set).logLoss).toBeLessThan(evaluate(default_w, set).logLoss);
		// fsrs-rs 5.2 (fsrs-browser) gives the same parameters as the native binding 0.5 did.
		expect(outcome.weights[0]).toBeCloseTo(0.1726, 3);
		expect(outcome.weights[20]).toBeCloseTo(0.2433, 3);
	}, 120_000);
});
