/**
 * A backup restored on a device signed in to sync. The sync merges and never overwrites, so a
 * restore that only replaced this device's tables would be undone by the next pull (a deck
 * deleted after the backup deleted again, a note added since coming back) or leave the devices
 * apart. Here the restore is a change made on this device like any other: each table is brought
 * to the backup's rows by deleting what the backup lacks and putting what it holds, so the sync
 * middleware (sync-outbox.ts) queues, stamped now, exactly what the restore changed — tombstones
 * for what goes, `_deleted: false` and every field for what comes back, the fields that differ
 * for the rest — and every device ends up with the restored collection.
 *
 * Reviews are never removed (the log is a grow-only set on the server): the reviews given since
 * the backup, on this device or pulled from another, stay in the log of the cards the backup
 * holds, the backup's own reviews are added where missing (those of a deleted deck come back,
 * and are pushed again, which the server takes once), and every card whose log has reviews the
 * backup lacks is replayed from its whole log. Only the reviews of cards the backup does not
 * hold go, here only (as when a deck is deleted). Runs inside restoreBackup's transaction.
 */
import type { BackupTables } from '../core/export/backup';
import type { MediaFile, RevlogEntry } from '../core/model';
import { reviewRecordId } from '../core/sync/protocol';
import type { Table } from 'dexie';
import type { MetaRow, RecallDb } from './db';
import { isDeviceMeta, LAST_BACKUP_KEY } from './backup-meta';
import { replayCards } from './sync-repo';

/** The backup's tables, its media as Blobs and its `meta` without this device's own rows. */
export type RestoredTables = Omit<BackupTables, 'meta' | 'media'> & {
	meta: MetaRow[];
	media: MediaFile[];
};

/** Deletes the rows of `table` whose key is not among `keep`'s (queued as tombstones). */
async function removeMissing<T>(table: Table<T, string>, keep: { id: string }[]): Promise<void> {
	const wanted = new Set(keep.map((row) => row.id));
	const keys = (await table.toCollection().primaryKeys()) as string[];
	const gone = keys.filter((key) => !wanted.has(key));
	if (gone.length) await table.bulkDelete(gone);
}

export async function restoreSignedIn(db: RecallDb, backup: RestoredTables): Promise<void> {
	const cardIds = new Set(backup.cards.map((c) => c.id));
	const log = await db.revlog.toArray();
	// What the backup does not hold goes, what depends on it first. The cards go before their
	// log, so the log's rows are removed here only (no review tombstone: history of a card
	// removed with it is never removed on other devices).
	await removeMissing(db.cards, backup.cards);
	const stray = log.filter((r) => !cardIds.has(r.cardId)).map((r) => r.id!);
	if (stray.length) await db.revlog.bulkDelete(stray);
	await removeMissing(db.notes, backup.notes);
	await removeMissing(db.decks, backup.decks);
	await removeMissing(db.models, backup.models);
	await removeMissing(db.presets, backup.presets);
	// What it holds is put as it was, what others depend on first.
	await db.presets.bulkPut(backup.presets);
	await db.models.bulkPut(backup.models);
	await db.decks.bulkPut(backup.decks);
	await db.notes.bulkPut(backup.notes);
	await db.cards.bulkPut(backup.cards);

	// The log: every review kept, the backup's added where missing (under new local keys).
	const kept = log.filter((r) => cardIds.has(r.cardId));
	const have = new Set(kept.map(reviewRecordId));
	const adds = backup.revlog
		.filter((r) => !have.has(reviewRecordId(r)))
		.map(({ id: _id, ...review }) => review as RevlogEntry);
	if (adds.length) await db.revlog.bulkAdd(adds);
	const inBackup = new Set(backup.revlog.map(reviewRecordId));
	const newer = [
		...new Set(kept.filter((r) => !inBackup.has(reviewRecordId(r))).map((r) => r.cardId))
	];
	await replayCards(db, newer);

	// Settings: the backup's rows replace the collection's; this device's own rows stay.
	const wanted = new Set(backup.meta.map((row) => row.key));
	const keys = (await db.meta.toCollection().primaryKeys()) as string[];
	const gone = keys.filter(
		(key) => !wanted.has(key) && !isDeviceMeta(key) && key !== LAST_BACKUP_KEY
	);
	if (gone.length) await db.meta.bulkDelete(gone);
	if (backup.meta.length) await db.meta.bulkPut(backup.meta);

	// Media sync by content, not by row: this device's files are the backup's.
	await db.media.clear();
	if (backup.media.length) await db.media.bulkAdd(backup.media);
}
