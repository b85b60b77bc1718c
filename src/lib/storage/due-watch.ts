/**
 * The collection's due count, watched: cards in learning, review or relearning due by the end of
 * today's study day, counted again (Dexie's liveQuery) whenever cards change — an answer, an undo,
 * a sync's pulled reviews, another tab — for the app icon's badge and the daily reminder.
 */
import { liveQuery } from 'dexie';
import { Queue } from '../core/model';
import { nextStudyDayStart } from '../core/scheduling/day';
import type { RecallDb } from './db';
import { getPreset } from './presets';

const DUE_QUEUES = [Queue.Learning, Queue.Review, Queue.Relearning];

/** Cards due by the end of the study day that holds `now`, over every deck. */
export async function countDue(db: RecallDb, now: number, timeZone?: string): Promise<number> {
	return db.transaction('r', [db.decks, db.presets, db.cards], async () => {
		const decks = await db.decks.toArray();
		let n = 0;
		for (const deck of decks) {
			const end = nextStudyDayStart(
				now,
				(await getPreset(db, deck.presetId)).dayStartHour,
				timeZone
			);
			for (const q of DUE_QUEUES) {
				n += await db.cards
					.where('[deckId+queue+due]')
					.between([deck.id, q, -Infinity], [deck.id, q, end], true, false)
					.count();
			}
		}
		return n;
	});
}

/** Calls `onCount` with the due count now and after every change; returns the unsubscribe. */
export function watchDue(
	db: RecallDb,
	now: () => number,
	timeZone: string | undefined,
	onCount: (count: number) => void,
	onError: (e: unknown) => void
): () => void {
	const subscription = liveQuery(() => countDue(db, now(), timeZone)).subscribe({
		next: onCount,
		error: onError
	});
	return () => subscription.unsubscribe();
}

/** Answers (ratings 1–4) given from `since` on, over every deck. */
export function answersSince(db: RecallDb, since: number): Promise<number> {
	return db.revlog
		.where('reviewedAt')
		.aboveOrEqual(since)
		.filter((l) => l.rating > 0)
		.count();
}
