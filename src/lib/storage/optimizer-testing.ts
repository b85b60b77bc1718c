/**
 * Test data for the optimizer's browser tests: a preset with its own deck, studied for a while
 * by the simulated learner (core/optimizer/simulated-learner), written to a real IndexedDB.
 * Nothing in the app imports this module.
 */
import type { Preset } from '../core/model';
import { simulateLearner } from '../core/optimizer/simulated-learner';
import { createDefaultPreset } from '../core/scheduling/preset';
import type { RecallDb } from './db';

export const LEARNER_START = Date.UTC(2025, 0, 6, 9);

export interface SeededLearner {
	preset: Preset;
	deckId: string;
	reviews: number;
	cards: number;
}

export async function seedLearner(
	db: RecallDb,
	options: { presetId?: string; deckId?: string; cards: number; days: number; newPerDay?: number }
): Promise<SeededLearner> {
	const preset = createDefaultPreset({ id: options.presetId ?? 'learner', name: 'Learner' });
	const deckId = options.deckId ?? 'learner-deck';
	const { cards, revlog } = simulateLearner({
		preset,
		deckId,
		cards: options.cards,
		newPerDay: options.newPerDay ?? 20,
		days: options.days,
		start: LEARNER_START,
		timeZone: 'UTC'
	});
	await db.transaction('rw', [db.presets, db.decks, db.cards, db.revlog], async () => {
		await db.presets.put(preset);
		await db.decks.put({
			id: deckId,
			title: 'Learner deck',
			description: '',
			origin: 'user',
			version: 0,
			presetId: preset.id,
			createdAt: LEARNER_START
		});
		await db.cards.bulkAdd(cards);
		await db.revlog.bulkAdd(revlog);
	});
	return { preset, deckId, reviews: revlog.length, cards: cards.length };
}
