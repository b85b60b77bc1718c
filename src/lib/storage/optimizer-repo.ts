/**
 * What the optimizer reads and writes: the review log of a preset's decks (every card of those
 * decks, its whole history), the cards the workload estimate starts from, and the new FSRS
 * parameters — saved with the model version they belong to, in one transaction, and only if the
 * preset still has the parameters the optimization started from.
 */
import { CardState, Queue, type Preset } from '../core/model';
import type { ReviewRecord } from '../core/optimizer/items';
import type { Metrics } from '../core/optimizer/evaluate';
import type { WorkloadCard } from '../core/optimizer/workload';
import { FSRS6_WEIGHT_COUNT } from '../core/scheduling/preset';
import type { RecallDb } from './db';

export class OptimizerStoreError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OptimizerStoreError';
	}
}

/** Where the last optimization of a preset is remembered (meta table). */
export const optimizationKey = (presetId: string) => `optimizer/${presetId}`;

export interface OptimizationRecord {
	optimizedAt: number;
	fsrsVersion: 6;
	weights: number[];
	reviewCount: number;
	current: Metrics;
	optimized: Metrics;
}

async function presetOrThrow(db: RecallDb, presetId: string): Promise<Preset> {
	const preset = await db.presets.get(presetId);
	if (!preset) throw new OptimizerStoreError('That preset no longer exists.');
	return preset;
}

async function presetCardIds(db: RecallDb, presetId: string): Promise<string[]> {
	const deckIds = (await db.decks.toArray())
		.filter((d) => d.presetId === presetId)
		.map((d) => d.id);
	return deckIds.length ? db.cards.where('deckId').anyOf(deckIds).primaryKeys() : [];
}

/** The preset and the review log of every card in its decks, as the optimizer reads it. */
export async function loadPresetHistory(
	db: RecallDb,
	presetId: string
): Promise<{ preset: Preset; records: ReviewRecord[] }> {
	return db.transaction('r', [db.presets, db.decks, db.cards, db.revlog], async () => {
		const preset = await presetOrThrow(db, presetId);
		const cardIds = await presetCardIds(db, presetId);
		const rows = cardIds.length ? await db.revlog.where('cardId').anyOf(cardIds).toArray() : [];
		const records = rows.map(({ cardId, reviewedAt, rating, state }) => ({
			cardId,
			reviewedAt,
			rating,
			state
		}));
		return { preset, records };
	});
}

/** The preset's studied cards (memory state, due) and how many new cards wait, for the workload estimate. */
export async function loadWorkloadCards(
	db: RecallDb,
	presetId: string
): Promise<{ preset: Preset; cards: WorkloadCard[]; newCards: number }> {
	return db.transaction('r', [db.presets, db.decks, db.cards], async () => {
		const preset = await presetOrThrow(db, presetId);
		const cardIds = await presetCardIds(db, presetId);
		const cards: WorkloadCard[] = [];
		let newCards = 0;
		for (const card of await db.cards.bulkGet(cardIds)) {
			if (!card || card.queue === Queue.Suspended) continue;
			if (card.state === CardState.New) newCards++;
			else if (card.lastReview !== undefined) {
				cards.push({
					stability: card.stability,
					difficulty: card.difficulty,
					lastReview: card.lastReview,
					due: card.due
				});
			}
		}
		return { preset, cards, newCards };
	});
}

export interface SaveOptimized {
	weights: number[];
	/** The parameters the optimization started from: another change in between refuses the save. */
	basedOn: readonly number[];
	fsrsVersion: 6;
	reviewCount: number;
	current: Metrics;
	optimized: Metrics;
	now: number;
}

/** Writes the new parameters to the preset and remembers the run; returns the saved preset. */
export async function saveOptimizedWeights(
	db: RecallDb,
	presetId: string,
	save: SaveOptimized
): Promise<Preset> {
	if (save.weights.length !== FSRS6_WEIGHT_COUNT || !save.weights.every(Number.isFinite)) {
		throw new OptimizerStoreError(`FSRS-6 needs ${FSRS6_WEIGHT_COUNT} finite parameters.`);
	}
	return db.transaction('rw', [db.presets, db.meta], async () => {
		const preset = await presetOrThrow(db, presetId);
		if (preset.weights.join() !== save.basedOn.join()) {
			throw new OptimizerStoreError(
				'The preset’s parameters changed while optimizing (another tab?); optimize again.'
			);
		}
		const updated: Preset = {
			...preset,
			weights: [...save.weights],
			fsrsVersion: save.fsrsVersion
		};
		await db.presets.put(updated);
		const record: OptimizationRecord = {
			optimizedAt: save.now,
			fsrsVersion: save.fsrsVersion,
			weights: [...save.weights],
			reviewCount: save.reviewCount,
			current: save.current,
			optimized: save.optimized
		};
		await db.meta.put({ key: optimizationKey(presetId), value: record });
		return updated;
	});
}

/** The last optimization saved for a preset, if any. */
export async function lastOptimization(
	db: RecallDb,
	presetId: string
): Promise<OptimizationRecord | undefined> {
	const row = await db.meta.get(optimizationKey(presetId));
	return row?.value as OptimizationRecord | undefined;
}
