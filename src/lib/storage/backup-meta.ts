/**
 * When the last backup was downloaded and when the first review was given: read on the deck
 * list to decide the backup nudge, so they live apart from the export chain (export-repo
 * re-exports them).
 */
import type { RecallDb } from './db';

export const LAST_BACKUP_KEY = 'lastBackupAt';

/**
 * `meta` rows about this device's sign-in to a sync server, not about the collection: the
 * account (with its token), which media files it has announced (`sync:media:`) and the cards a
 * pull still has to replay (`syncReplay/`). A backup or snapshot never holds them (a backup file
 * must not carry a password-equivalent token, and another device restoring it must not take
 * this one's place), and a restore keeps the device's own.
 */
export function isDeviceMeta(key: string): boolean {
	return key.startsWith('sync:') || key.startsWith('syncReplay/');
}

export async function recordBackup(db: RecallDb, now: number): Promise<void> {
	await db.meta.put({ key: LAST_BACKUP_KEY, value: now });
}

export async function lastBackupAt(db: RecallDb): Promise<number | undefined> {
	const row = await db.meta.get(LAST_BACKUP_KEY);
	return typeof row?.value === 'number' ? row.value : undefined;
}

export async function firstReviewAt(db: RecallDb): Promise<number | undefined> {
	return (await db.revlog.orderBy('reviewedAt').first())?.reviewedAt;
}

/** How many reviews the collection holds (0 on a fresh install, or after the data was lost). */
export function countReviews(db: RecallDb): Promise<number> {
	return db.revlog.count();
}
