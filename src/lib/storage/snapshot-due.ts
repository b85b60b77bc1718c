/**
 * Whether a daily snapshot is due, read without the snapshot chain (serializer, fflate, the
 * backup reader): the app asks on every start, and the chain loads only when one is taken.
 */
import { dailySnapshotDue } from '../core/backup/retention';
import type { RecallDb } from './db';
import { getPreset } from './presets';

/** Whether today's daily snapshot is still to be taken (at most one per study day). */
export async function dailySnapshotNeeded(
	db: RecallDb,
	now: number,
	timeZone?: string
): Promise<boolean> {
	const newest = await db.snapshots.orderBy('createdAt').last();
	const { dayStartHour } = await getPreset(db, 'default');
	return dailySnapshotDue(newest?.createdAt, now, dayStartHour, timeZone);
}

/**
 * Whether the collection holds anything a snapshot could give back: a review, or a deck that is
 * not built in. Built-in decks with no reviews come back by themselves on the next start.
 */
export async function holdsUserData(db: RecallDb): Promise<boolean> {
	if ((await db.revlog.toCollection().first()) !== undefined) return true;
	return (await db.decks.filter((d) => d.origin !== 'builtin').first()) !== undefined;
}
