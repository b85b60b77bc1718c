/**
 * What the sync loop (state/sync.svelte.ts) reads and writes in the store: the account (in
 * `meta`), the batches to push and their acknowledgement, and pulled pages — each page written
 * with its cursor in one transaction, so an interrupted pull resumes where it stopped and never
 * applies a page twice. Card state is replayed from the merged log (core/sync/merge.ts) for
 * every card a sync touched, so it is the same on every device.
 */
import { Dexie } from 'dexie';
import type { Card, RevlogEntry } from '../core/model';
import { replayCard } from '../core/scheduling/replay';
import { canonicalJson, orderedLog } from '../core/sync/merge';
import {
	DELETED,
	fromReviewRecord,
	toReviewRecord,
	type PulledRecord,
	type ReviewRecord,
	type SyncRecord
} from '../core/sync/protocol';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import { markPulled, outboxKey, setSignedIn, type OutboxRow } from './sync-outbox';

export const ACCOUNT_KEY = 'sync:account';

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
	const queued = await db.syncOutbox.count();
	if (!account || account.bootstrap === 'done') return queued;
	return queued + (await db.revlog.where(':id').above(account.bootstrap).count());
}

export interface PushBatch {
	records: SyncRecord[];
	/** Outbox rows sent (removed once acknowledged, if unchanged meanwhile). */
	rows: OutboxRow[];
	/** For a page of the log itself: the last primary key sent. */
	bootstrapTo?: number;
	last: boolean;
}

/** The next batch to push, at most `limit` records: the old log first, then the outbox. */
export async function nextPushBatch(
	db: RecallDb,
	account: SyncAccount,
	limit: number
): Promise<PushBatch | null> {
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
		[db.syncOutbox, db.meta, db.cards, db.revlog, db.decks, db.presets],
		async () => {
			if (batch.bootstrapTo !== undefined) {
				const account = await getSyncAccount(db);
				if (account && account.bootstrap !== 'done') {
					await saveSyncAccount(db, { ...account, bootstrap: batch.bootstrapTo });
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

/** Replays each card from its log (in merged order); cards not on this device are skipped. */
async function replayCards(db: RecallDb, cardIds: string[]): Promise<void> {
	if (cardIds.length === 0) return;
	const cards = (await db.cards.bulkGet(cardIds)).filter((c): c is Card => !!c);
	const logs = await db.revlog.where('cardId').anyOf(cardIds).toArray();
	const byCard = new Map<string, RevlogEntry[]>();
	for (const l of logs) {
		const list = byCard.get(l.cardId);
		if (list) list.push(l);
		else byCard.set(l.cardId, [l]);
	}
	const decks = new Map((await db.decks.toArray()).map((d) => [d.id, d.presetId]));
	const presets = new Map<string, Awaited<ReturnType<typeof getPreset>>>();
	// Written a few cards at a time: each write is a turn for the page (input, rendering), so a
	// large pull never blocks it for long, while the transaction stays one.
	for (let i = 0; i < cards.length; i += REPLAY_SLICE) {
		const replayed: Card[] = [];
		for (const card of cards.slice(i, i + REPLAY_SLICE)) {
			const presetId = decks.get(card.deckId) ?? 'default';
			let preset = presets.get(presetId);
			if (!preset) presets.set(presetId, (preset = await getPreset(db, presetId)));
			const log = orderedLog((byCard.get(card.id) ?? []).map(toReviewRecord));
			// The base is the card as new (its identity, tags and whether it is held out of study).
			replayed.push(replayCard(card, log, preset));
		}
		await db.cards.bulkPut(replayed);
	}
}

/** Cards replayed between two writes (see replayCards). */
const REPLAY_SLICE = 25;

/**
 * Writes one pulled page and its cursor in one transaction: new reviews into the log (or kept
 * aside when their card is not on this device), undone reviews out of it, the touched cards
 * replayed. The page's own rows are not queued to push back.
 */
export async function applyPulledPage(
	db: RecallDb,
	records: PulledRecord[],
	cursor: number
): Promise<{ reviews: number }> {
	return db.transaction(
		'rw',
		[db.revlog, db.cards, db.decks, db.presets, db.meta, db.syncPending],
		async () => {
			markPulled(Dexie.currentTransaction.idbtrans);
			const reviews = records.filter(
				(r): r is ReviewRecord & { seq: number } => r.kind === 'review'
			);
			const undone = records.filter(
				(r) =>
					r.kind === 'field' && r.entity === 'review' && r.field === DELETED && r.value === true
			);
			const cardIds = new Set<string>(reviews.map((r) => r.cardId));
			const undoneIds = new Set<string>();
			for (const t of undone) {
				const parsed = t.kind === 'field' ? parseReviewId(t.id) : null;
				if (parsed && t.kind === 'field') {
					cardIds.add(parsed.cardId);
					undoneIds.add(t.id);
				}
			}
			const ids = [...cardIds];
			const known = new Set(
				(await db.cards.bulkGet(ids)).filter((c): c is Card => !!c).map((c) => c.id)
			);
			const local = await db.revlog.where('cardId').anyOf(ids).toArray();
			const have = new Map(local.map((l) => [toReviewRecord(l).id, l]));
			const adds: RevlogEntry[] = [];
			const parked: ReviewRecord[] = [];
			for (const r of reviews) {
				if (have.has(r.id) || undoneIds.has(r.id)) continue;
				// eslint-disable-next-line @typescript-eslint/no-unused-vars
				const { seq, ...record } = r;
				if (known.has(r.cardId)) {
					const entry = fromReviewRecord(record);
					adds.push(entry);
					have.set(r.id, entry);
				} else parked.push(record);
			}
			const deletes = [...undoneIds]
				.map((id) => have.get(id)?.id)
				.filter((k): k is number => k !== undefined);
			if (adds.length) await db.revlog.bulkAdd(adds);
			if (deletes.length) await db.revlog.bulkDelete(deletes);
			if (parked.length) await db.syncPending.bulkPut(parked);
			if (undoneIds.size) await db.syncPending.bulkDelete([...undoneIds]);
			await replayCards(
				db,
				ids.filter((id) => known.has(id))
			);
			const account = await getSyncAccount(db);
			if (account) await saveSyncAccount(db, { ...account, cursor });
			return { reviews: adds.length };
		}
	);
}

/** Everything to push again after the server's epoch changed (it was restored from a backup). */
export async function restartSync(db: RecallDb, epoch: string): Promise<void> {
	await db.transaction('rw', [db.meta, db.syncOutbox, db.syncPending], async () => {
		// Reviews kept aside for cards not on this device go back too: nothing is lost.
		const parked = await db.syncPending.toArray();
		await db.syncOutbox.bulkPut(parked.map((record) => ({ key: outboxKey(record), record })));
		await updateSyncAccount(db, { epoch, cursor: 0, bootstrap: 0 });
	});
}

export { outboxKey };
