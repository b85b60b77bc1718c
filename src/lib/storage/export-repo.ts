/**
 * Reads what the exports need and restores a backup. The backup is every table as it is stored;
 * restoring replaces the whole store in one transaction, after the file has been validated (by
 * core/export/backup), so a refused or failed restore leaves the store as it was.
 */
import { ankiNoteFields, mediaReferences } from '$lib/core/export/anki-notes';
import { writeApkg, writeColpkg, type ApkgInput, type ApkgOptions } from '$lib/core/export/apkg';
import {
	serializeBackup,
	type BackupMedia,
	type BackupTables,
	type RecallBackup
} from '$lib/core/export/backup';
import { deckToCsv, revlogToCsv } from '$lib/core/export/csv';
import type { Deck, MediaFile } from '$lib/core/model';
import type { IndexableType, Table } from 'dexie';
import type { RecallDb } from './db';
import { StorageFullError, isQuotaError, toBlob } from './import-repo';
import { DEFAULT_PRESET } from '$lib/core/scheduling/preset';
import { getPreset } from './presets';

import { LAST_BACKUP_KEY, isDeviceMeta } from './backup-meta';
import { restoreSignedIn } from './restore-signed-in';
import { ACCOUNT_KEY } from './sync-outbox';

export {
	LAST_BACKUP_KEY,
	recordBackup,
	lastBackupAt,
	firstReviewAt,
	countReviews
} from './backup-meta';

function allTables(db: RecallDb) {
	return [db.decks, db.notes, db.cards, db.revlog, db.media, db.presets, db.models, db.meta];
}

async function mediaBytes(files: MediaFile[]): Promise<BackupMedia[]> {
	return Promise.all(
		files.map(async (f) => ({
			name: f.name,
			type: f.type,
			data: new Uint8Array(await f.data.arrayBuffer())
		}))
	);
}

/** Every table, read in one transaction so the backup is one consistent moment. */
export async function readBackupTables(db: RecallDb): Promise<BackupTables> {
	const { media, ...rest } = await db.transaction('r', allTables(db), async () => ({
		decks: await db.decks.toArray(),
		notes: await db.notes.toArray(),
		cards: await db.cards.toArray(),
		revlog: await db.revlog.toArray(),
		presets: await db.presets.toArray(),
		models: await db.models.toArray(),
		meta: (await db.meta.toArray()).filter((row) => !isDeviceMeta(row.key)),
		media: await db.media.toArray()
	}));
	// Blob contents are read after the transaction: only IndexedDB may be awaited inside one.
	return { ...rest, media: await mediaBytes(media) };
}

/** Every row of `table`, a page of primary keys at a time, each page its own transaction. */
async function readPaged<T, K, I>(table: Table<T, K, I>, pageSize: number): Promise<T[]> {
	const keyPath = table.schema.primKey.keyPath as string;
	const rows: T[] = [];
	let page = await table.orderBy(':id').limit(pageSize).toArray();
	while (page.length > 0) {
		rows.push(...page);
		if (page.length < pageSize) break;
		const last = (page.at(-1) as Record<string, IndexableType>)[keyPath]!;
		page = await table.where(':id').above(last).limit(pageSize).toArray();
	}
	return rows;
}

/**
 * Every table, a page of rows per transaction: a read of a large collection never holds up a
 * grade (a write waits for the read transactions before it) for more than one page. For local
 * snapshots: one taken while the user studies may hold a card's new state without its new
 * review row, or the reverse, which a restore then carries (Check database reports it). The
 * downloaded backup keeps `readBackupTables`, one consistent moment.
 */
export async function readBackupTablesPaged(db: RecallDb, pageSize = 5000): Promise<BackupTables> {
	const [decks, notes, cards, revlog, presets, models, meta, media] = [
		await readPaged(db.decks, pageSize),
		await readPaged(db.notes, pageSize),
		await readPaged(db.cards, pageSize),
		await readPaged(db.revlog, pageSize),
		await readPaged(db.presets, pageSize),
		await readPaged(db.models, pageSize),
		(await readPaged(db.meta, pageSize)).filter((row) => !isDeviceMeta(row.key)),
		await readPaged(db.media, Math.max(1, Math.floor(pageSize / 100)))
	];
	return {
		decks,
		notes,
		cards,
		revlog,
		presets,
		models,
		meta,
		media: await mediaBytes(media)
	};
}

/**
 * The backup file. It records itself as the last backup (`now`, as recordBackup then stores), so
 * a restore from it on any device knows when the collection it holds was saved.
 */
export async function createBackup(db: RecallDb, now: number): Promise<Blob> {
	const tables = await readBackupTables(db);
	const meta = [
		...tables.meta.filter((row) => row.key !== LAST_BACKUP_KEY),
		{ key: LAST_BACKUP_KEY, value: now }
	];
	return new Blob(serializeBackup({ ...tables, meta }, now), { type: 'application/json' });
}

export interface RestoreCounts {
	decks: number;
	notes: number;
	cards: number;
	reviews: number;
	media: number;
}

const backupTime = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * When the collection was last saved to a file, after restoring `backup`: the later of this
 * device's last download and the one recorded in the file (a downloaded backup records itself,
 * see createBackup; a local snapshot records the download before it), so "Last backup" survives
 * a restore.
 */
function lastBackupAfterRestore(current: unknown, backup: RecallBackup): number | undefined {
	const inFile = backup.meta.find((row) => row.key === LAST_BACKUP_KEY)?.value;
	const times = [backupTime(current), backupTime(inFile)].filter(
		(t): t is number => t !== undefined && Number.isFinite(t) && t > 0
	);
	return times.length ? Math.max(...times) : undefined;
}

/**
 * Replaces everything in the store with the (validated) backup, in one transaction. This
 * device's sign-in to sync (`isDeviceMeta`) is kept, whatever the file holds. Signed in, the
 * restore is a change made on this device like any other (`restoreSignedIn`): sent to the other
 * devices at the next sync, and no review is removed.
 */
export async function restoreBackup(db: RecallDb, backup: RecallBackup): Promise<RestoreCounts> {
	const media = backup.media.map((m) => ({
		name: m.name,
		type: m.type,
		data: toBlob(m.data, m.type)
	}));
	const meta = backup.meta.filter((row) => row.key !== LAST_BACKUP_KEY && !isDeviceMeta(row.key));
	try {
		await db.transaction('rw', allTables(db), async () => {
			const lastBackup = lastBackupAfterRestore(
				(await db.meta.get(LAST_BACKUP_KEY))?.value,
				backup
			);
			const device = (await db.meta.where(':id').startsWith('sync').toArray()).filter((row) =>
				isDeviceMeta(row.key)
			);
			if (device.some((row) => row.key === ACCOUNT_KEY && row.value != null)) {
				await restoreSignedIn(db, { ...backup, meta, media });
			} else {
				for (const table of allTables(db)) await table.clear();
				await db.decks.bulkAdd(backup.decks);
				await db.notes.bulkAdd(backup.notes);
				await db.cards.bulkAdd(backup.cards);
				await db.revlog.bulkAdd(backup.revlog);
				await db.presets.bulkAdd(backup.presets);
				await db.models.bulkAdd(backup.models);
				await db.meta.bulkAdd([...meta, ...device]);
				await db.media.bulkAdd(media);
			}
			if (lastBackup !== undefined) await db.meta.put({ key: LAST_BACKUP_KEY, value: lastBackup });
		});
	} catch (error) {
		if (isQuotaError(error)) throw new StorageFullError(error);
		throw error;
	}
	return {
		decks: backup.decks.length,
		notes: backup.notes.length,
		cards: backup.cards.length,
		reviews: backup.revlog.length,
		media: backup.media.length
	};
}

export { listDecks } from './deck-repo';

/**
 * A deck with everything its Anki package needs: its notes, all their cards (with the decks they
 * sit in), their review history, note types, preset, and the media the fields refer to.
 */
export async function readDeckExport(db: RecallDb, deckId: string): Promise<ApkgInput> {
	const data = await db.transaction('r', allTables(db), async () => {
		const deck = await db.decks.get(deckId);
		if (!deck) throw new Error('This deck no longer exists.');
		const notes = await db.notes.where('deckId').equals(deckId).toArray();
		const cards = await db.cards
			.where('noteId')
			.anyOf(notes.map((n) => n.id))
			.toArray();
		const deckIds = [...new Set(cards.map((c) => c.deckId))].filter((id) => id !== deckId);
		const others = (await db.decks.bulkGet(deckIds)).filter((d): d is Deck => d !== undefined);
		const revlog = await db.revlog
			.where('cardId')
			.anyOf(cards.map((c) => c.id))
			.toArray();
		const modelIds = [...new Set(notes.flatMap((n) => (n.modelId ? [n.modelId] : [])))];
		const models = (await db.models.bulkGet(modelIds)).filter((m) => m !== undefined);
		const byId = new Map(models.map((m) => [m.id, m]));
		const values = notes.flatMap((n) => ankiNoteFields(n, byId)?.values ?? []);
		const names = mediaReferences(
			values,
			models.map((m) => m.css)
		);
		const media = (await db.media.bulkGet([...names])).filter((m) => m !== undefined);
		const preset = await getPreset(db, deck.presetId);
		return { decks: [deck, ...others], notes, cards, revlog, models, media, preset };
	});
	return { ...data, media: await mediaBytes(data.media) };
}

/** Review due dates fall on the deck's study days (its preset's day start). */
export async function exportDeckApkg(
	db: RecallDb,
	deckId: string,
	options: Omit<ApkgOptions, 'dayStartHour'>
): Promise<Uint8Array> {
	const input = await readDeckExport(db, deckId);
	return writeApkg(input, { ...options, dayStartHour: input.preset?.dayStartHour ?? 4 });
}

/**
 * Everything an Anki package of the whole collection holds: every deck (empty ones too), note,
 * card, review, note type, preset (the default first) and media file, in one transaction.
 */
export async function readCollectionExport(db: RecallDb): Promise<ApkgInput> {
	const data = await db.transaction('r', allTables(db), async () => {
		const presets = await db.presets.toArray();
		presets.sort((a, b) => (a.id === DEFAULT_PRESET.id ? -1 : b.id === DEFAULT_PRESET.id ? 1 : 0));
		const preset = presets[0] ?? (await getPreset(db, DEFAULT_PRESET.id));
		return {
			decks: await db.decks.toArray(),
			notes: await db.notes.toArray(),
			cards: await db.cards.toArray(),
			revlog: await db.revlog.toArray(),
			models: await db.models.toArray(),
			media: await db.media.toArray(),
			preset,
			presets
		};
	});
	return { ...data, media: await mediaBytes(data.media) };
}

/**
 * The whole collection as an Anki package: `apkg` (every deck, merged into Anki's collection) or
 * `colpkg` (Anki's collection package, which replaces it). Study days are the default preset's.
 */
export async function exportCollectionPackage(
	db: RecallDb,
	kind: 'apkg' | 'colpkg',
	options: Omit<ApkgOptions, 'dayStartHour'>
): Promise<Uint8Array> {
	const input = await readCollectionExport(db);
	const write = kind === 'colpkg' ? writeColpkg : writeApkg;
	return write(input, { ...options, dayStartHour: input.preset?.dayStartHour ?? 4 });
}

export async function exportDeckCsv(db: RecallDb, deckId: string): Promise<string> {
	const { deck, notes, models } = await db.transaction(
		'r',
		[db.decks, db.notes, db.models],
		async () => {
			const notes = await db.notes.where('deckId').equals(deckId).toArray();
			const modelIds = [...new Set(notes.flatMap((n) => (n.modelId ? [n.modelId] : [])))];
			return {
				deck: await db.decks.get(deckId),
				notes,
				models: (await db.models.bulkGet(modelIds)).filter((m) => m !== undefined)
			};
		}
	);
	if (!deck) throw new Error('This deck no longer exists.');
	return deckToCsv(deck, notes, models);
}

export async function exportRevlogCsv(db: RecallDb): Promise<string> {
	return revlogToCsv(await db.revlog.toArray());
}
