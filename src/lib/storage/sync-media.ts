/**
 * Media files sync by content: each file of the media table is announced once as the field
 * records `media/<name>` `hash` and `type` (pushed like any edit), after the sync loop made sure
 * the server holds its bytes (it uploads only what `POST /api/media/missing` names). A device
 * pulling a media record for a name it lacks keeps it in `syncParked` and downloads the file by
 * its hash after the pull. Which local files were announced is kept in `meta`
 * (`sync:media:<name>` → hash), so a file is hashed and announced once.
 */
import { Dexie } from 'dexie';
import type { MediaFile } from '../core/model';
import { fieldKey, type FieldRecord } from '../core/sync/protocol';
import type { RecallDb } from './db';
import { localClock, markPulled, outboxKey } from './sync-outbox';

const SENT = 'sync:media:';

/** Local media files not announced yet, at most `limit`. */
export async function unannouncedMedia(db: RecallDb, limit: number): Promise<MediaFile[]> {
	const names = (await db.media.toCollection().primaryKeys()) as string[];
	if (names.length === 0) return [];
	const sent = new Set(
		((await db.meta.where(':id').startsWith(SENT).primaryKeys()) as string[]).map((k) =>
			k.slice(SENT.length)
		)
	);
	const wanted = names.filter((n) => !sent.has(n)).slice(0, limit);
	return (await db.media.bulkGet(wanted)).filter((m): m is MediaFile => !!m);
}

/** The server holds these files' bytes: queue their records and remember them as announced. */
export async function announceMedia(
	db: RecallDb,
	files: { name: string; type: string; hash: string }[]
): Promise<void> {
	if (files.length === 0) return;
	await db.transaction('rw', [db.meta, db.syncOutbox], async () => {
		const records: FieldRecord[] = files.flatMap((f) => [
			{
				kind: 'field',
				entity: 'media',
				id: f.name,
				field: 'hash',
				value: f.hash,
				hlc: localClock.tick()
			},
			{
				kind: 'field',
				entity: 'media',
				id: f.name,
				field: 'type',
				value: f.type,
				hlc: localClock.tick()
			}
		]);
		await db.syncOutbox.bulkPut(records.map((record) => ({ key: outboxKey(record), record })));
		await db.meta.bulkPut(files.map((f) => ({ key: SENT + f.name, value: f.hash })));
	});
}

/** Media files pulled as records whose bytes this device does not have yet. */
export async function wantedMedia(
	db: RecallDb
): Promise<{ name: string; hash: string; type: string }[]> {
	const parked = await db.syncParked
		.where('[entity+id]')
		.between(['media', ''], ['media', '\uffff'])
		.toArray();
	const byName = new Map<string, { hash?: string; type?: string }>();
	for (const p of parked) {
		const entry = byName.get(p.id) ?? {};
		if (p.record.field === 'hash' && typeof p.record.value === 'string')
			entry.hash = p.record.value;
		if (p.record.field === 'type' && typeof p.record.value === 'string')
			entry.type = p.record.value;
		byName.set(p.id, entry);
	}
	const out: { name: string; hash: string; type: string }[] = [];
	for (const [name, e] of byName) {
		if (e.hash && /^[0-9a-f]{64}$/.test(e.hash)) {
			out.push({ name, hash: e.hash, type: e.type ?? 'application/octet-stream' });
		}
	}
	return out;
}

/** A downloaded file: stored under its name, its records no longer waiting, not announced back. */
export async function storePulledMedia(
	db: RecallDb,
	file: { name: string; hash: string; type: string; data: Blob }
): Promise<void> {
	await db.transaction('rw', [db.media, db.meta, db.syncParked], async () => {
		markPulled(Dexie.currentTransaction.idbtrans);
		await db.media.put({ name: file.name, type: file.type, data: file.data });
		await db.meta.put({ key: SENT + file.name, value: file.hash });
		await db.syncParked.where('[entity+id]').equals(['media', file.name]).delete();
	});
}

/** Pulled media records: kept until the file is downloaded, unless this device has those bytes. */
export async function parkPulledMedia(db: RecallDb, records: FieldRecord[]): Promise<void> {
	const media = records.filter((r) => r.entity === 'media');
	if (media.length === 0) return;
	const names = [...new Set(media.map((r) => r.id))];
	const sent = await db.meta.bulkGet(names.map((n) => SENT + n));
	const local = await db.media.bulkGet(names);
	const fetch = new Set(
		names.filter((name, i) => {
			if (!local[i]) return true;
			// The same name with other bytes elsewhere (a later stamp wins): fetch those.
			const hash = media.find((r) => r.id === name && r.field === 'hash')?.value;
			return hash !== undefined && sent[i] !== undefined && sent[i]!.value !== hash;
		})
	);
	await db.syncParked.bulkPut(
		media
			.filter((r) => fetch.has(r.id))
			.map((record) => ({ key: fieldKey(record), entity: 'media', id: record.id, record }))
	);
}
