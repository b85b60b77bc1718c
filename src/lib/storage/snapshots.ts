/**
 * Automatic local snapshots of the whole collection: before an import, a bulk delete, a
 * reschedule and a schema migration, and once a day otherwise. Each is a gzip of a Recall backup
 * (core/export/backup), kept in its own table; the last 7 daily and 4 weekly survive (core/backup
 * /retention). They guard against mistakes — a wrong import, a deletion — not against the browser
 * deleting the site's data: that takes the downloaded backups.
 */
import { formatDateTime } from '../core/format/dates';
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { snapshotsToKeep, withinBudget } from '../core/backup/retention';
import { parseBackup, serializeBackup } from '../core/export/backup';
import { openDbV1, type RecallDb, type SnapshotRow } from './db';
import { readBackupTablesPaged, restoreBackup, type RestoreCounts } from './export-repo';
import { getPreset } from './presets';
import { dailySnapshotNeeded } from './snapshot-due';

export { dailySnapshotNeeded };

export type SnapshotInfo = Omit<SnapshotRow, 'data'> & { id: number; bytes: number };

async function encode(db: RecallDb, now: number) {
	// In pages: the daily snapshot runs while the user studies, and grades must not wait on it.
	const tables = await readBackupTablesPaged(db);
	const json = serializeBackup(tables, now).join('');
	return {
		data: new Blob([gzipSync(strToU8(json), { level: 6 })], { type: 'application/gzip' }),
		cards: tables.cards.length,
		reviews: tables.revlog.length
	};
}

async function prune(db: RecallDb, timeZone?: string): Promise<void> {
	const { dayStartHour } = await getPreset(db, 'default');
	const all = await db.snapshots.toArray();
	const stamps = all.map((s) => ({ id: s.id!, createdAt: s.createdAt, bytes: s.data.size }));
	const chosen = snapshotsToKeep(stamps, dayStartHour, timeZone);
	const keep = withinBudget(stamps.filter((s) => chosen.has(s.id)));
	await db.snapshots.bulkDelete(stamps.filter((s) => !keep.has(s.id)).map((s) => s.id));
}

/** Takes a snapshot now and prunes old ones. An empty collection is not worth a snapshot. */
export async function takeSnapshot(
	db: RecallDb,
	reason: string,
	now: number,
	timeZone?: string
): Promise<number | null> {
	if ((await db.cards.count()) === 0 && (await db.notes.count()) === 0) return null;
	const { data, cards, reviews } = await encode(db, now);
	const id = (await db.snapshots.add({ createdAt: now, reason, cards, reviews, data })) as number;
	await prune(db, timeZone);
	return id;
}

/** At most once per study day; `take` takes it (in a worker, for the app). */
export async function maybeDailySnapshot(
	db: RecallDb,
	now: number,
	timeZone?: string,
	take: typeof takeSnapshot = takeSnapshot
): Promise<boolean> {
	if (!(await dailySnapshotNeeded(db, now, timeZone))) return false;
	return (await take(db, 'daily', now, timeZone)) !== null;
}

export async function listSnapshots(db: RecallDb): Promise<SnapshotInfo[]> {
	const rows = await db.snapshots.orderBy('createdAt').reverse().toArray();
	return rows.map(({ data, ...row }) => ({ ...row, id: row.id!, bytes: data.size }));
}

/**
 * Replaces the collection with a snapshot. The state just before is itself kept as a snapshot
 * ('restore'), so a restore can be undone by restoring that one.
 */
export async function restoreSnapshot(
	db: RecallDb,
	id: number,
	now: number,
	timeZone?: string
): Promise<RestoreCounts> {
	const row = await db.snapshots.get(id);
	if (!row) throw new Error('That snapshot no longer exists.');
	const text = strFromU8(gunzipSync(new Uint8Array(await row.data.arrayBuffer())));
	const backup = parseBackup(text, `snapshot of ${formatDateTime(row.createdAt)}`);
	await takeSnapshot(db, 'restore', now, timeZone);
	return restoreBackup(db, backup);
}

/**
 * Before a schema migration: reads a database still at version 1 with the version-1 schema,
 * and returns its snapshot to store once the upgrade is done (the table is new in version 2).
 */
export async function snapshotBeforeMigration(
	name: string,
	now: number
): Promise<Omit<SnapshotRow, 'id'> | null> {
	const dbs = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
	const existing = dbs.find((d) => d.name === name);
	// Dexie stores schema version n as IndexedDB version 10·n: only version 1 needs this.
	if (!existing?.version || existing.version !== 10) return null;
	const old = openDbV1(name);
	try {
		await old.open();
		if ((await old.cards.count()) === 0) return null;
		const { data, cards, reviews } = await encode(old, now);
		return { createdAt: now, reason: 'migration', cards, reviews, data };
	} finally {
		old.close();
	}
}
