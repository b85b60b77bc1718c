/**
 * Rescheduling after a preset change (desired retention, maximum interval, FSRS parameters):
 * every studied card of the preset's decks is rebuilt from its own review log (replay), so its
 * memory state and due date are what the new settings would have given. Batched transactions
 * keep the page responsive; each batch is all-or-nothing. The preset then records the time
 * (`rescheduledAt`), which syncs: another device that pulls it reschedules its copies the same
 * way (storage/sync-repo.ts).
 */
import type { Card, Preset } from '../core/model';
import { needsReschedule, rescheduleFromLog } from '../core/scheduling/replay';
import type { RecallDb } from './db';

const BATCH = 400;

/** The studied cards (those with a memory to rebuild) of the decks that use `presetIds`. */
export async function studiedCardsOf(
	db: RecallDb,
	presetIds: readonly string[]
): Promise<string[]> {
	const wanted = new Set(presetIds);
	const deckIds = (await db.decks.toArray()).filter((d) => wanted.has(d.presetId)).map((d) => d.id);
	const ids: string[] = [];
	for (const deckId of deckIds) {
		const studied = await db.cards
			.where('deckId')
			.equals(deckId)
			.filter(needsReschedule)
			.primaryKeys();
		ids.push(...studied);
	}
	return ids;
}

export async function rescheduleCards(
	db: RecallDb,
	preset: Preset,
	timeZone: string | undefined,
	now: number,
	onProgress?: (done: number, total: number) => void
): Promise<number> {
	const ids = await studiedCardsOf(db, [preset.id]);
	for (let i = 0; i < ids.length; i += BATCH) {
		await db.transaction('rw', [db.cards, db.revlog], async () => {
			const cards = await db.cards.bulkGet(ids.slice(i, i + BATCH));
			const updated: Card[] = [];
			for (const card of cards) {
				if (!card) continue;
				const logs = await db.revlog.where('cardId').equals(card.id).toArray();
				const replayed = rescheduleFromLog(card, logs, preset, { timeZone });
				if (replayed) updated.push(replayed);
			}
			await db.cards.bulkPut(updated);
		});
		onProgress?.(Math.min(ids.length, i + BATCH), ids.length);
	}
	await db.presets.update(preset.id, { rescheduledAt: now });
	return ids.length;
}
