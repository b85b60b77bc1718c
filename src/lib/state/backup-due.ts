/**
 * Whether the deck list shows the backup nudge: two small reads, so the backup code (export
 * chain, fflate, Markdown for Anki exports) loads only when the nudge is shown.
 */
import { firstReviewAt, lastBackupAt } from '$lib/storage/backup-meta';
import { getDb, type RecallDb } from '$lib/storage/db';

export const BACKUP_NUDGE_DAYS = 14;

/** Due when the last download is older than 14 days (or there never was one since the first review). */
export function nudgeDue(
	lastBackup: number | undefined,
	firstReview: number | undefined,
	now: number
): boolean {
	const since = lastBackup ?? firstReview;
	return since !== undefined && now - since > BACKUP_NUDGE_DAYS * 86_400_000;
}

export async function backupNudgeDue(now: number, db: RecallDb = getDb()): Promise<boolean> {
	return nudgeDue(await lastBackupAt(db), await firstReviewAt(db), now);
}
