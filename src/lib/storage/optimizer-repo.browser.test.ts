import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import type { RecallDb } from './db';
import {
	lastOptimization,
	loadPresetHistory,
	loadWorkloadCards,
	OptimizerStoreError,
	saveOptimizedWeights,
	type SaveOptimized
} from './optimizer-repo';
import { seedLearner } from './optimizer-testing';
import { dropDb, freshDb } from './testing';

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

const NEW_WEIGHTS = default_w.map((w, i) => (i === 0 ? 0.5 : w));
const metrics = { logLoss: 0.4, rmseBins: 0.05, count: 100 };
const save = (overrides: Partial<SaveOptimized> = {}): SaveOptimized => ({
	weights: NEW_WEIGHTS,
	basedOn: [...default_w],
	fsrsVersion: 6,
	reviewCount: 900,
	current: { ...metrics, logLoss: 0.45 },
	optimized: metrics,
	now: 1_700_000_000_000,
	...overrides
});

describe('loadPresetHistory', () => {
	it("reads the review log of the preset's decks only", async () => {
		const mine = await seedLearner(db, { presetId: 'mine', deckId: 'a', cards: 20, days: 5 });
		const other = await seedLearner(db, { presetId: 'other', deckId: 'b', cards: 10, days: 3 });
		const { preset, records } = await loadPresetHistory(db, 'mine');
		expect(preset.id).toBe('mine');
		expect(records).toHaveLength(mine.reviews);
		expect(records.every((r) => r.cardId.startsWith('a/'))).toBe(true);
		expect((await loadPresetHistory(db, 'other')).records).toHaveLength(other.reviews);
		expect(Object.keys(records[0]!).sort()).toEqual(['cardId', 'rating', 'reviewedAt', 'state']);
	});

	it('says so when the preset is gone', async () => {
		await expect(loadPresetHistory(db, 'nope')).rejects.toThrow('That preset no longer exists.');
	});
});

describe('loadWorkloadCards', () => {
	it('gives studied cards with their memory state and counts the new ones', async () => {
		await seedLearner(db, { presetId: 'mine', deckId: 'a', cards: 30, days: 1, newPerDay: 12 });
		const { cards, newCards } = await loadWorkloadCards(db, 'mine');
		expect([cards.length, newCards]).toEqual([12, 18]);
		expect(cards.every((c) => c.stability > 0 && c.due > c.lastReview)).toBe(true);
	});
});

describe('saveOptimizedWeights', () => {
	it('stores the parameters with their FSRS version and remembers the run', async () => {
		await seedLearner(db, { presetId: 'mine', cards: 5, days: 1 });
		const saved = await saveOptimizedWeights(db, 'mine', save());
		expect((await db.presets.get('mine'))?.weights).toEqual(NEW_WEIGHTS);
		expect(saved.fsrsVersion).toBe(6);
		expect(await lastOptimization(db, 'mine')).toEqual({
			optimizedAt: 1_700_000_000_000,
			fsrsVersion: 6,
			weights: NEW_WEIGHTS,
			reviewCount: 900,
			current: { ...metrics, logLoss: 0.45 },
			optimized: metrics
		});
	});

	it('refuses when the parameters changed since the optimization started, and changes nothing', async () => {
		const { preset } = await seedLearner(db, { presetId: 'mine', cards: 5, days: 1 });
		const changed = { ...preset, weights: default_w.map((w) => w * 1.01) };
		await db.presets.put(changed);
		await expect(saveOptimizedWeights(db, 'mine', save())).rejects.toThrow(OptimizerStoreError);
		expect(await db.presets.get('mine')).toEqual(changed);
		expect(await lastOptimization(db, 'mine')).toBeUndefined();
	});

	it('refuses parameters that are not 21 finite numbers', async () => {
		const { preset } = await seedLearner(db, { presetId: 'mine', cards: 5, days: 1 });
		await expect(
			saveOptimizedWeights(db, 'mine', save({ weights: [...NEW_WEIGHTS.slice(0, 20), NaN] }))
		).rejects.toThrow('FSRS-6 needs 21 finite parameters.');
		expect(await db.presets.get('mine')).toEqual(preset);
	});
});
