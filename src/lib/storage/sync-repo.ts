/**
 * What the sync loop (state/sync.svelte.ts) reads and writes in the store: the account (in
 * `meta`), the batches to push and their acknowledgement, and pulled pages — each page written
 * with its cursor in one transaction, so an interrupted pull resumes where it stopped and never
 * applies a page twice. Card state is replayed from the merged log (core/sync/merge.ts) for
 * every card a sync touched, so it is the same on every device.
 */
import { Dexie } from 'dexie';
import type { Card, Preset, RevlogEntry } from '../core/model';
import { replayCard } from '../core/scheduling/replay';
import {
	SYNCED_TABLES,
	SYNCED_TABLE_NAMES,
	STUDY_SETTINGS_ID,
	TABLE_OF,
	buildEntity,
	diffEntity,
	groupFields,
	type StudySettings
} from '../core/sync/entities';
import { formatHlc } from '../core/sync/hlc';
import { canonicalJson, fieldWins, orderedLog } from '../core/sync/merge';
import {
	DELETED,
	fieldKey,
	type FieldRecord,
	type Json,
	fromReviewRecord,
	toReviewRecord,
	type PulledRecord,
	type ReviewRecord,
	type SyncRecord
} from '../core/sync/protocol';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import { studiedCardsOf } from './reschedule-repo';
import { parkPulledMedia } from './sync-media';
import {
	ACCOUNT_KEY,
	STUDY_SETTINGS_KEY,
	localClock,
	markPulled,
	outboxKey,
	setSignedIn,
	type OutboxRow
} from './sync-outbox';

export { ACCOUNT_KEY };

export interface SyncAccount {
	server: string;
	name: string;
	userId: string;
	deviceId: string;
	token: string;
	epoch: string;
	/** The last pulled sequence number. */
	cursor: number;
	lastSyncAt: number | null;
	/**
	 * The review log from before this device signed in is pushed from the log itself, a page at a
	 * time: the primary key reached so far, or 'done'.
	 */
	bootstrap: number | 'done';
	/**
	 * The collection from before this device signed in (presets, note types, decks, notes, cards,
	 * in this order, before any review): the table and primary key reached so far, or 'done'.
	 * Absent on accounts from before the collection synced: start from the first table.
	 */
	entities?: { table: number; after: string } | 'done';
}

export async function getSyncAccount(db: RecallDb): Promise<SyncAccount | null> {
	const row = await db.meta.get(ACCOUNT_KEY);
	const account = (row?.value as SyncAccount | undefined) ?? null;
	setSignedIn(account !== null);
	return account;
}

export async function saveSyncAccount(db: RecallDb, account: SyncAccount): Promise<void> {
	await db.meta.put({ key: ACCOUNT_KEY, value: account });
	setSignedIn(true);
}

export async function updateSyncAccount(
	db: RecallDb,
	patch: Partial<SyncAccount>
): Promise<SyncAccount | null> {
	return db.transaction('rw', db.meta, async () => {
		const current = await getSyncAccount(db);
		if (!current) return null;
		const next = { ...current, ...patch };
		await saveSyncAccount(db, next);
		return next;
	});
}

/** Signing out forgets the account; the collection and the outbox stay. */
export async function clearSyncAccount(db: RecallDb): Promise<void> {
	await db.meta.delete(ACCOUNT_KEY);
	setSignedIn(false);
}

/** Reviews waiting to be pushed (queued, plus the log not yet pushed on a first sync). */
export async function pendingCount(db: RecallDb, account: SyncAccount | null): Promise<number> {
	const { reviews, changes } = await pendingCounts(db, account);
	return reviews + changes;
}

/** What waits to be pushed: reviews, and other changes (edits, new notes, deletions). */
export async function pendingCounts(
	db: RecallDb,
	account: SyncAccount | null
): Promise<{ reviews: number; changes: number }> {
	const total = await db.syncOutbox.count();
	let reviews = await db.syncOutbox.where(':id').startsWith('r:').count();
	const changes = total - reviews;
	if (account && account.bootstrap !== 'done') {
		reviews += await db.revlog.where(':id').above(account.bootstrap).count();
	}
	return { reviews, changes };
}

/** Stamps of the collection pushed on a first sync: older than any edit made since. */
function bootstrapStamp(ms: unknown): () => string {
	const t = typeof ms === 'number' && Number.isSafeInteger(ms) && ms > 0 ? ms : 0;
	const stamp = formatHlc({ ms: t, counter: 0, node: 'boot' });
	return () => stamp;
}

/** The next page of the collection itself to push (entity bootstrap), or null when all is sent. */
async function nextEntityPage(
	db: RecallDb,
	account: SyncAccount,
	limit: number
): Promise<PushBatch | null> {
	let at = account.entities === undefined ? { table: 0, after: '' } : account.entities;
	while (at !== 'done') {
		const name = SYNCED_TABLE_NAMES[at.table];
		if (name === undefined) {
			at = 'done';
			break;
		}
		const entity = SYNCED_TABLES[name];
		const table = db.table(name);
		// About seven fields an object: a page of rows fills about one push.
		const rows = (await table
			.where(':id')
			.above(at.after)
			.limit(Math.max(1, Math.floor(limit / 8)))
			.toArray()) as { id: string; mtime?: number; createdAt?: number }[];
		if (rows.length === 0) {
			at = { table: at.table + 1, after: '' };
			continue;
		}
		// Built-in decks' content is the same file on every device: stamped as old as can be, so a
		// fresh phone's copy never wins over an edit made on a device that synced before.
		const builtin = new Set(
			(await db.decks.filter((d) => d.origin === 'builtin').primaryKeys()) as string[]
		);
		const records: SyncRecord[] = [];
		for (const row of rows) {
			const deckId = name === 'decks' ? row.id : (row as { deckId?: string }).deckId;
			const fromFile = deckId !== undefined && builtin.has(deckId);
			const stamp = bootstrapStamp(fromFile ? 0 : (row.mtime ?? row.createdAt));
			records.push(
				...diffEntity(entity, row.id, undefined, row as never, stamp).filter(
					(r) => r.field !== DELETED
				)
			);
		}
		return {
			records,
			rows: [],
			entitiesTo: { table: at.table, after: rows.at(-1)!.id },
			last: false
		};
	}
	await updateSyncAccount(db, { entities: 'done' });
	return null;
}

export interface PushBatch {
	records: SyncRecord[];
	/** Outbox rows sent (removed once acknowledged, if unchanged meanwhile). */
	rows: OutboxRow[];
	/** For a page of the log itself: the last primary key sent. */
	bootstrapTo?: number;
	/** For a page of the collection itself: the table and last primary key sent. */
	entitiesTo?: { table: number; after: string };
	last: boolean;
}

/**
 * The next batch to push, at most `limit` records: after sign-in the collection itself first
 * (so a new device pulls cards before their reviews), then the old log, then the outbox.
 */
export async function nextPushBatch(
	db: RecallDb,
	account: SyncAccount,
	limit: number
): Promise<PushBatch | null> {
	if (account.entities !== 'done') {
		const page = await nextEntityPage(db, account, limit);
		if (page) return page;
	}
	if (account.bootstrap !== 'done') {
		const page = await db.revlog.where(':id').above(account.bootstrap).limit(limit).toArray();
		if (page.length > 0) {
			return {
				records: page.map(toReviewRecord),
				rows: [],
				bootstrapTo: page.at(-1)!.id!,
				last: false
			};
		}
		await updateSyncAccount(db, { bootstrap: 'done' });
	}
	const rows = await db.syncOutbox.limit(limit).toArray();
	if (rows.length === 0) return null;
	return { records: rows.map((r) => r.record), rows, last: rows.length < limit };
}

/** The batch was acknowledged: forget what was sent (unless re-queued meanwhile), replay its cards. */
export async function ackPushBatch(db: RecallDb, batch: PushBatch): Promise<void> {
	await db.transaction(
		'rw',
		[db.syncOutbox, db.meta, db.cards, db.revlog, db.decks, db.presets, db.notes, db.models],
		async () => {
			if (batch.bootstrapTo !== undefined) {
				const account = await getSyncAccount(db);
				if (account && account.bootstrap !== 'done') {
					await saveSyncAccount(db, { ...account, bootstrap: batch.bootstrapTo });
				}
			}
			if (batch.entitiesTo !== undefined) {
				const account = await getSyncAccount(db);
				if (account && account.entities !== 'done') {
					await saveSyncAccount(db, { ...account, entities: batch.entitiesTo });
				}
			}
			if (batch.rows.length > 0) {
				const keys = batch.rows.map((r) => r.key);
				const stored = await db.syncOutbox.bulkGet(keys);
				const sent = new Map(batch.rows.map((r) => [r.key, canonicalJson(r.record)]));
				const gone = stored
					.filter((s): s is OutboxRow => !!s && sent.get(s.key) === canonicalJson(s.record))
					.map((s) => s.key);
				await db.syncOutbox.bulkDelete(gone);
			}
			const cards = new Set<string>();
			for (const r of batch.records) if (r.kind === 'review') cards.add(r.cardId);
			// The replay is derived from the merged log, the same on every device (as a pulled page's
			// replay is): what it writes is not an edit to queue back, or the outbox never drains.
			if (cards.size > 0) markPulled(Dexie.currentTransaction.idbtrans);
			await replayCards(db, [...cards]);
		}
	);
}

/** `cardId@<time in base 36>.<rating>` → its parts (the card id may hold '@'). */
function parseReviewId(id: string): { cardId: string; reviewedAt: number; rating: number } | null {
	const at = id.lastIndexOf('@');
	const dot = id.lastIndexOf('.');
	if (at < 0 || dot < at) return null;
	return {
		cardId: id.slice(0, at),
		reviewedAt: parseInt(id.slice(at + 1, dot), 36),
		rating: Number(id.slice(dot + 1))
	};
}

/**
 * The rows of the local log at the times of `wanted` on their cards (a pulled review this device
 * has already, or one being undone). A page's reviews are mostly close in time (the server hands
 * them out in the order they were pushed), so the rows between the earliest and the latest time
 * are read in one request; should that window hold many more rows than are wanted (the page
 * spans months of someone else's log), each time is looked up on its own instead. Never each
 * card's whole log, which grows with every page of a pull.
 */
async function localReviews(
	db: RecallDb,
	wanted: readonly { cardId: string; reviewedAt: number }[]
): Promise<RevlogEntry[]> {
	if (wanted.length === 0) return [];
	const cardsAt = new Map<number, Set<string>>();
	let lo = Infinity;
	let hi = -Infinity;
	for (const w of wanted) {
		const set = cardsAt.get(w.reviewedAt);
		if (set) set.add(w.cardId);
		else cardsAt.set(w.reviewedAt, new Set([w.cardId]));
		lo = Math.min(lo, w.reviewedAt);
		hi = Math.max(hi, w.reviewedAt);
	}
	const cap = 4 * wanted.length + 100;
	let rows = await db.revlog.where('reviewedAt').between(lo, hi, true, true).limit(cap).toArray();
	if (rows.length >= cap) {
		rows = (
			await Promise.all(
				[...cardsAt.keys()].map((at) => db.revlog.where('reviewedAt').equals(at).toArray())
			)
		).flat();
	}
	return rows.filter((row) => cardsAt.get(row.reviewedAt)?.has(row.cardId));
}

/**
 * Replays each card from its log (in merged order); cards not on this device are skipped. Each
 * card's log is one request on the `cardId` index, all in flight together (a cursor over
 * `anyOf` of many cards took 1.6 times as long in Chromium).
 */
export async function replayCards(
	db: RecallDb,
	cardIds: string[],
	writeSlice = REPLAY_SLICE
): Promise<string[]> {
	if (cardIds.length === 0) return [];
	const found = await db.cards.bulkGet(cardIds);
	const absent = cardIds.filter((_, i) => !found[i]);
	const cards = found.filter((c): c is Card => !!c);
	const logs = (
		await Promise.all(cards.map((c) => db.revlog.where('cardId').equals(c.id).toArray()))
	).flat();
	const byCard = new Map<string, RevlogEntry[]>();
	for (const l of logs) {
		const list = byCard.get(l.cardId);
		if (list) list.push(l);
		else byCard.set(l.cardId, [l]);
	}
	const decks = new Map((await db.decks.toArray()).map((d) => [d.id, d.presetId]));
	const presets = new Map<string, Awaited<ReturnType<typeof getPreset>>>();
	// The account's study time zone: every device replays a card to the same due.
	const { timeZone } = await getStudySettings(db);
	// Written `writeSlice` cards at a time: each write is a turn for the page (input, rendering),
	// so a large pull never blocks it for long, while the transaction stays one.
	for (let i = 0; i < cards.length; i += writeSlice) {
		const replayed: Card[] = [];
		for (const card of cards.slice(i, i + writeSlice)) {
			const presetId = decks.get(card.deckId) ?? 'default';
			let preset = presets.get(presetId);
			if (!preset) presets.set(presetId, (preset = await getPreset(db, presetId)));
			const log = orderedLog((byCard.get(card.id) ?? []).map(toReviewRecord));
			// The base is the card as new (its identity, tags and whether it is held out of study).
			replayed.push(replayCard(card, log, preset, { timeZone }));
		}
		await db.cards.bulkPut(replayed);
	}
	return absent;
}

/**
 * Cards replayed per write (see replayCards): on the page, each write is a turn for it. In the
 * pull worker a write is one request of a replay slice (`DEFERRED_SLICE`): the card-tally
 * middleware reads the old rows and the tallies once per request, and 50 a request took 2.7
 * times as long for the cards' writes (docs/PERFORMANCE.md, ninth session).
 */
const REPLAY_SLICE = 50;

/** The study settings every device shares (the study time zone), or {} when none is set yet. */
export async function getStudySettings(db: RecallDb): Promise<StudySettings> {
	return ((await db.meta.get(STUDY_SETTINGS_KEY))?.value as StudySettings | undefined) ?? {};
}

/**
 * After a sync found no study time zone on the account, this device's zone becomes it (queued
 * like any edit, so the first device to sync sets it and the others take it).
 */
export async function ensureStudySettings(db: RecallDb, runtimeZone: string): Promise<boolean> {
	return db.transaction('rw', db.meta, async () => {
		const current = await getStudySettings(db);
		if (current.timeZone) return false;
		await db.meta.put({ key: STUDY_SETTINGS_KEY, value: { ...current, timeZone: runtimeZone } });
		return true;
	});
}

const PAGE_TABLES = (db: RecallDb) => [
	db.revlog,
	db.cards,
	db.notes,
	db.decks,
	db.models,
	db.presets,
	db.meta,
	db.media,
	db.syncPending,
	db.syncParked,
	db.syncOutbox
];

/**
 * Applies pulled field records (not review tombstones): each object's fields laid over the local
 * copy, or a new object built when its fields are all there (else they are parked until the rest
 * arrives); a tombstone deletes the object here (a note with its cards, a card with its log) and
 * is kept, so a late edit does not bring it back until a restore (`_deleted: false`) wins. A
 * field this device changed and has not pushed yet keeps the local edit when its stamp is later.
 * Returns the cards created or changed, and the presets rescheduled elsewhere since (a later
 * `rescheduledAt`: their studied cards are to be replayed here too).
 */
async function applyFields(
	db: RecallDb,
	records: FieldRecord[]
): Promise<{ cards: string[]; rescheduled: string[] }> {
	const touchedCards = new Set<string>();
	const rescheduled: string[] = [];
	if (records.length === 0) return { cards: [], rescheduled };
	const groups = groupFields(records);
	// Local edits waiting to be pushed.
	const outbox = new Map(
		(await db.syncOutbox.bulkGet(records.map((r) => `f:${fieldKey(r)}`)))
			.filter((r): r is OutboxRow => !!r)
			.map((r) => [r.key, r.record as FieldRecord])
	);
	for (const [groupKey, pulledFields] of groups) {
		const [entity, id] = groupKey.split('\u0000') as [FieldRecord['entity'], string];
		const parked = await db.syncParked.where('[entity+id]').equals([entity, id]).toArray();
		const merged = new Map<string, FieldRecord>(parked.map((p) => [p.record.field, p.record]));
		for (const [field, r] of pulledFields) {
			const local = outbox.get(`f:${fieldKey(r)}`);
			if (local && fieldWins(local, r)) continue;
			if (fieldWins(r, merged.get(field))) merged.set(field, r);
		}
		const deleted = merged.get(DELETED)?.value === true;
		const park = async () =>
			db.syncParked.bulkPut(
				[...merged.values()].map((record) => ({ key: fieldKey(record), entity, id, record }))
			);
		const values: Record<string, Json> = {};
		for (const [field, r] of merged) values[field] = r.value;
		if (entity === 'setting') {
			if (id !== STUDY_SETTINGS_ID) continue;
			const current = await getStudySettings(db);
			const next = { ...current } as Record<string, Json>;
			for (const [k, v] of Object.entries(values)) {
				if (k === DELETED) continue;
				if (v === null) delete next[k];
				else next[k] = v;
			}
			await db.meta.put({ key: STUDY_SETTINGS_KEY, value: next });
			continue;
		}
		const tableName = TABLE_OF[entity];
		if (!tableName) continue;
		const table = db.table(tableName);
		if (deleted) {
			await deleteLocal(db, entity, id);
			await park();
			continue;
		}
		const existing = (await table.get(id)) as never;
		const built = buildEntity(entity, id, values, existing);
		if (!built) {
			await park();
			continue;
		}
		await table.put(built);
		if (parked.length) await db.syncParked.bulkDelete(parked.map((p) => p.key));
		if (entity === 'card') touchedCards.add(id);
		if (entity === 'preset' && existing) {
			const at = (built as Preset).rescheduledAt;
			if (at !== undefined && at !== (existing as Preset).rescheduledAt) rescheduled.push(id);
		}
	}
	return { cards: [...touchedCards], rescheduled };
}

/**
 * The studied cards of the decks using `presetIds` (rescheduled on another device), marked to be
 * replayed by `replayDeferred` at the end of this sync, under the presets as they are then.
 */
async function markRescheduled(db: RecallDb, presetIds: string[]): Promise<void> {
	if (presetIds.length === 0) return;
	const ids = await studiedCardsOf(db, presetIds);
	await db.meta.bulkPut(ids.map((id) => ({ key: REPLAY_MARK + id, value: 1 })));
}

/**
 * A pulled deletion: the object goes here, with what cannot live without it. A card's reviews
 * are kept aside (`syncPending`, as reviews of a card not on this device are), not dropped: the
 * card can come back (a restore of a backup on another device, the same package imported again
 * sends `_deleted: false`), and then its history comes back with it (adoptPending), as the
 * server still holds it and would never send it again.
 */
async function deleteLocal(db: RecallDb, entity: string, id: string): Promise<void> {
	if (entity === 'note') {
		const cards = await db.cards.where('noteId').equals(id).primaryKeys();
		for (const cardId of cards) await deleteLocal(db, 'card', cardId);
		await db.notes.delete(id);
	} else if (entity === 'card') {
		await db.cards.delete(id);
		await putLogAside(db, id);
	} else if (TABLE_OF[entity]) {
		await db.table(TABLE_OF[entity]).delete(id);
	}
}

/** The log of a card not on this device (any more) kept aside, as its pulled reviews are. */
async function putLogAside(db: RecallDb, cardId: string): Promise<void> {
	const log = await db.revlog.where('cardId').equals(cardId).toArray();
	if (log.length === 0) return;
	await db.syncPending.bulkPut(log.map(toReviewRecord));
	await db.revlog.bulkDelete(log.map((r) => r.id!));
}

/** Pulled reviews kept aside for `cardIds` go into the log now that the cards are here. */
async function adoptPending(db: RecallDb, cardIds: string[]): Promise<void> {
	if (cardIds.length === 0) return;
	const waiting = await db.syncPending.where('cardId').anyOf(cardIds).toArray();
	if (waiting.length === 0) return;
	const local = await db.revlog
		.where('cardId')
		.anyOf([...new Set(waiting.map((w) => w.cardId))])
		.toArray();
	const have = new Set(local.map((l) => toReviewRecord(l).id));
	const adds = waiting.filter((w) => !have.has(w.id)).map(fromReviewRecord);
	if (adds.length) await db.revlog.bulkAdd(adds);
	await db.syncPending.bulkDelete(waiting.map((w) => w.id));
}

/**
 * Reviews kept aside whose card is on this device now (it arrived in a later page, or was
 * imported here since): into the log, the cards replayed. Run at the start of every sync.
 */
export async function adoptAllPending(db: RecallDb): Promise<number> {
	const cardIds = (await db.syncPending.orderBy('cardId').uniqueKeys()) as string[];
	if (cardIds.length === 0) return 0;
	// Kept aside are also the reviews of deleted cards (deleteLocal, sync-outbox), usually still
	// gone: asked first by key alone, outside a write, so a sync does not hold grades up for them.
	const here = await db.cards.where(':id').anyOf(cardIds).primaryKeys();
	if (here.length === 0) return 0;
	return db.transaction('rw', PAGE_TABLES(db), async () => {
		markPulled(Dexie.currentTransaction.idbtrans);
		const present = (await db.cards.bulkGet(here as string[]))
			.filter((c): c is Card => !!c)
			.map((c) => c.id);
		await adoptPending(db, present);
		await replayCards(db, present);
		return present.length;
	});
}

/** Marks (in `meta`) of the cards a long pull still has to replay (see applyPulledPage). */
const REPLAY_MARK = 'syncReplay/';
/** Cards replayed per transaction when the marks are worked off. */
export const DEFERRED_SLICE = 1000;

/**
 * Writes one pulled page and its cursor in one transaction: the collection's fields (objects
 * created, edited, deleted), new reviews into the log (or kept aside when their card is not on
 * this device yet), undone reviews out of it, the touched cards replayed. The page's own rows are
 * not queued to push back.
 *
 * With `deferReplay` (a pull of many pages: a new device catching up), the touched cards are
 * marked instead, in the same transaction, and replayed once each by `replayDeferred` when the
 * pull ends: a review log in time order brings a card's reviews in many pages, and replaying it
 * after each of them read its whole log again every time (quadratic in its reviews).
 */
export async function applyPulledPage(
	db: RecallDb,
	records: PulledRecord[],
	cursor: number,
	{
		deferReplay = false,
		present
	}: {
		deferReplay?: boolean | Set<string>;
		/**
		 * The cards a run of many chunks has found on this device (filled here): they are not
		 * read again for each chunk. One removed on this device meanwhile has its reviews put
		 * aside when the run replays its cards (replayDeferred).
		 */
		present?: Set<string>;
	} = {}
): Promise<{ reviews: number }> {
	return db.transaction('rw', PAGE_TABLES(db), async () => {
		markPulled(Dexie.currentTransaction.idbtrans);
		for (const r of records) if (r.kind === 'field') localClock.receive(r.hlc);
		const fieldRecords = records
			.filter(
				(r): r is FieldRecord & { seq: number } =>
					r.kind === 'field' && r.entity !== 'review' && r.entity !== 'media'
			)
			.map(({ seq: _seq, ...r }) => r as FieldRecord);
		await parkPulledMedia(
			db,
			records
				.filter(
					(r): r is FieldRecord & { seq: number } => r.kind === 'field' && r.entity === 'media'
				)
				.map(({ seq: _seq, ...r }) => r as FieldRecord)
		);
		const { cards: changedCards, rescheduled } = await applyFields(db, fieldRecords);
		await markRescheduled(db, rescheduled);
		await adoptPending(db, changedCards);
		const reviews = records.filter((r): r is ReviewRecord & { seq: number } => r.kind === 'review');
		const undone = records.filter(
			(r) => r.kind === 'field' && r.entity === 'review' && r.field === DELETED && r.value === true
		);
		const cardIds = new Set<string>([...changedCards, ...reviews.map((r) => r.cardId)]);
		const undoneIds = new Set<string>();
		for (const t of undone) {
			const parsed = t.kind === 'field' ? parseReviewId(t.id) : null;
			if (parsed && t.kind === 'field') {
				cardIds.add(parsed.cardId);
				undoneIds.add(t.id);
			}
		}
		const ids = [...cardIds];
		// A deletion in this chunk can take cards the run has seen away: ask for all of them again.
		if (present && fieldRecords.some((r) => r.field === DELETED && r.value === true)) {
			present.clear();
		}
		const unseen = present ? ids.filter((id) => !present.has(id)) : ids;
		const found = (await db.cards.bulkGet(unseen)).filter((c): c is Card => !!c).map((c) => c.id);
		if (present) for (const id of found) present.add(id);
		const known = present ? present : new Set(found);
		const local = await localReviews(db, [
			...reviews,
			...undone.flatMap((u) => parseReviewId(u.id) ?? [])
		]);
		const have = new Map(local.map((l) => [toReviewRecord(l).id, l]));
		const adds: RevlogEntry[] = [];
		const parkedReviews: ReviewRecord[] = [];
		for (const r of reviews) {
			if (have.has(r.id) || undoneIds.has(r.id)) continue;
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
			const { seq, ...record } = r;
			if (known.has(r.cardId)) {
				const entry = fromReviewRecord(record);
				adds.push(entry);
				have.set(r.id, entry);
			} else parkedReviews.push(record);
		}
		const deletes = [...undoneIds]
			.map((id) => have.get(id)?.id)
			.filter((k): k is number => k !== undefined);
		if (adds.length) await db.revlog.bulkAdd(adds);
		if (deletes.length) await db.revlog.bulkDelete(deletes);
		if (parkedReviews.length) await db.syncPending.bulkPut(parkedReviews);
		if (undoneIds.size) await db.syncPending.bulkDelete([...undoneIds]);
		const touched = ids.filter((id) => known.has(id));
		if (deferReplay) {
			const marked = deferReplay === true ? undefined : deferReplay;
			const fresh = marked ? touched.filter((id) => !marked.has(id)) : touched;
			await db.meta.bulkPut(fresh.map((id) => ({ key: REPLAY_MARK + id, value: 1 })));
			if (marked) for (const id of fresh) marked.add(id);
		} else await replayCards(db, touched);
		const account = await getSyncAccount(db);
		if (account) await saveSyncAccount(db, { ...account, cursor });
		return { reviews: adds.length };
	});
}

/**
 * Replays the cards a long pull marked (applyPulledPage's `deferReplay`), a slice at a time, each
 * slice with the removal of its marks in one transaction: an interrupted run (the tab closed)
 * leaves the rest marked, and the next sync finishes them. Returns how many were replayed;
 * `progress` hears the count done so far and the total; `writeSlice` is the cards per write
 * (replayCards).
 */
export async function replayDeferred(
	db: RecallDb,
	progress?: (done: number, total: number) => void,
	slice = DEFERRED_SLICE,
	writeSlice = REPLAY_SLICE
): Promise<number> {
	const marks = () => db.meta.where(':id').startsWith(REPLAY_MARK);
	const total = await marks().count();
	let done = 0;
	while (done < total) {
		const replayed = await db.transaction('rw', PAGE_TABLES(db), async () => {
			markPulled(Dexie.currentTransaction.idbtrans);
			const keys = (await marks().limit(slice).primaryKeys()) as string[];
			// A card deleted on this device since it was marked is not there: replayCards skips
			// it, and the reviews the pull wrote for it meanwhile are kept aside, as at a deletion.
			const absent = await replayCards(
				db,
				keys.map((k) => k.slice(REPLAY_MARK.length)),
				writeSlice
			);
			for (const id of absent) await putLogAside(db, id);
			await db.meta.bulkDelete(keys);
			return keys.length;
		});
		if (replayed === 0) break;
		done += replayed;
		progress?.(Math.min(done, total), total);
		// A turn for the page between two slices (input, rendering).
		await new Promise<void>((resolve) => setTimeout(resolve, 0));
	}
	return done;
}

/** Everything to push again after the server's epoch changed (it was restored from a backup). */
export async function restartSync(db: RecallDb, epoch: string): Promise<void> {
	await db.transaction('rw', [db.meta, db.syncOutbox, db.syncPending], async () => {
		// Reviews kept aside for cards not on this device go back too: nothing is lost.
		const parked = await db.syncPending.toArray();
		await db.syncOutbox.bulkPut(parked.map((record) => ({ key: outboxKey(record), record })));
		// The collection itself is sent again from the first table, then the log.
		await updateSyncAccount(db, {
			epoch,
			cursor: 0,
			bootstrap: 0,
			entities: { table: 0, after: '' }
		});
	});
}

export { outboxKey };
