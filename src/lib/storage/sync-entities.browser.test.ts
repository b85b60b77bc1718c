/**
 * The collection syncs, not only reviews: two (or three) stores in one page sync through an
 * in-memory server that keeps the same rules as server/store.ts (a review once, a field only
 * when its stamp is later, every change a new sequence number), in small pages so that objects
 * and reviews arrive split across pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Card, Note } from '../core/model';
import { gradeCard } from '../core/scheduling/scheduler';
import { compactBatch, fieldWins } from '../core/sync/merge';
import {
	fieldKey,
	toReviewRecord,
	type PulledRecord,
	type SyncRecord
} from '../core/sync/protocol';
import { parseBackup } from '../core/export/backup';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import { deleteNotesOfCards, suspendCards } from './bulk-actions';
import { openDb, openDbV4, SCHEMA_VERSION, type RecallDb } from './db';
import { createDeck, deleteDeck } from './deck-repo';
import { createBackup, restoreBackup } from './export-repo';
import { createNote, updateNote } from './note-repo';
import { getPreset } from './presets';
import { saveGrade } from './review-repo';
import {
	ackPushBatch,
	adoptAllPending,
	applyPulledPage,
	clearSyncAccount,
	ensureStudySettings,
	getStudySettings,
	getSyncAccount,
	nextPushBatch,
	pendingCounts,
	saveSyncAccount,
	type SyncAccount
} from './sync-repo';
import { announceMedia, storePulledMedia, unannouncedMedia, wantedMedia } from './sync-media';
import { dropDb, freshDb, testAccount } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const MIN = 60_000;

const account = (over: Partial<SyncAccount> = {}): SyncAccount => testAccount(over);

/** The server's rules (server/store.ts push/pull) in memory. */
class MemoryServer {
	rows = new Map<string, { seq: number; record: SyncRecord }>();
	seq = 0;
	push(records: SyncRecord[]) {
		for (const r of compactBatch(records)) {
			const key = r.kind === 'review' ? `r:${r.id}` : `f:${fieldKey(r)}`;
			const stored = this.rows.get(key);
			const wins =
				r.kind === 'review' ? !stored : !stored || fieldWins(r, stored.record as typeof r) === true;
			if (wins && (!stored || stored.record.kind === 'field'))
				this.rows.set(key, { seq: ++this.seq, record: r });
		}
	}
	pull(after: number, limit: number): { records: PulledRecord[]; cursor: number; done: boolean } {
		const rows = [...this.rows.values()]
			.filter((r) => r.seq > after)
			.sort((a, b) => a.seq - b.seq)
			.slice(0, limit);
		return {
			records: rows.map((r) => ({ ...r.record, seq: r.seq })),
			cursor: rows.at(-1)?.seq ?? after,
			done: rows.length < limit
		};
	}
}

/** One sync as state/sync.svelte.ts runs it: push everything, then pull pages of `page`. */
async function sync(db: RecallDb, server: MemoryServer, page = 3) {
	await adoptAllPending(db);
	for (;;) {
		const account = (await getSyncAccount(db))!;
		const batch = await nextPushBatch(db, account, 50);
		if (!batch) break;
		server.push(batch.records);
		await ackPushBatch(db, batch);
	}
	for (;;) {
		const account = (await getSyncAccount(db))!;
		const reply = server.pull(account.cursor, page);
		await applyPulledPage(db, reply.records, reply.cursor);
		if (reply.done) break;
	}
}

const opened: RecallDb[] = [];
async function device(over: Partial<SyncAccount> = {}): Promise<RecallDb> {
	const db = freshDb();
	opened.push(db);
	await saveSyncAccount(db, account(over));
	return db;
}
afterEach(async () => {
	for (const db of opened.splice(0)) await dropDb(db);
});

async function grade(db: RecallDb, cardId: string, rating: 1 | 2 | 3 | 4, at: number) {
	const before = (await db.cards.get(cardId))!;
	const { card, log } = gradeCard(before, rating, await getPreset(db, 'default'), at);
	return saveGrade(db, before, card, log, null);
}

/** What must be equal on every device: the collection and its log, `rev` (local writes) left out. */
async function collection(db: RecallDb) {
	const cards = (await db.cards.orderBy('id').toArray()).map((c) => ({ ...c, rev: 0 }));
	const notes = await db.notes.orderBy('id').toArray();
	const decks = (await db.decks.orderBy('id').toArray()).map((d) => [d.id, d.title, d.presetId]);
	const reviews = (await db.revlog.toArray()).map((r) => toReviewRecord(r).id).sort();
	return { cards, notes, decks, reviews };
}

const basic = (front: string, back: string) => ({
	deckId: '',
	type: 'basic' as const,
	fields: { front, back },
	tags: []
});

describe('the collection syncs', () => {
	it('a note made on one device reaches the other with its deck and cards; the other studies it and the review comes back', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const { note, cards } = await createNote(a, basic('Capital of Peru?', 'Lima'), NOW);
		const queued = await pendingCounts(a, await getSyncAccount(a));
		expect(queued.reviews).toBe(0);
		expect(queued.changes).toBeGreaterThan(5);
		await sync(a, server);
		expect(await a.syncOutbox.count()).toBe(0);
		await sync(b, server, 2);
		const got = (await b.notes.get(note.id))!;
		expect(got.fields).toEqual({ front: 'Capital of Peru?', back: 'Lima' });
		// The default deck has one id everywhere: a note added on each device never makes two "My cards".
		expect((await b.decks.get(note.deckId))!.title).toBe('My cards');
		expect(await b.cards.get(cards[0]!.id)).toMatchObject({ noteId: note.id, reps: 0 });
		expect(await b.syncParked.count()).toBe(0);
		await grade(b, cards[0]!.id, 3, NOW + MIN);
		await sync(b, server);
		await sync(a, server);
		expect((await a.cards.get(cards[0]!.id))!.reps).toBe(1);
		expect(await collection(a)).toEqual(await collection(b));
	});

	it('edits of different fields of a note both survive; the same field keeps the later edit', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const { note } = await createNote(a, basic('Q', 'A'), NOW);
		await sync(a, server);
		await sync(b, server);
		// Offline on both: a edits the front, b the back; then both the tags, b later.
		const onA = (await a.notes.get(note.id))!;
		await updateNote(
			a,
			note.id,
			{ fields: { ...onA.fields, front: 'Q from A' }, tags: ['x'], mtime: onA.mtime },
			NOW + MIN
		);
		const onB = (await b.notes.get(note.id))!;
		await updateNote(
			b,
			note.id,
			{ fields: { ...onB.fields, back: 'A from B' }, tags: ['y'], mtime: onB.mtime },
			NOW + 2 * MIN
		);
		await sync(a, server);
		await sync(b, server);
		await sync(a, server);
		const [na, nb] = [(await a.notes.get(note.id))!, (await b.notes.get(note.id))!];
		expect(na.fields).toEqual({ front: 'Q from A', back: 'A from B' });
		expect(na.tags).toEqual(['y']);
		expect(nb).toEqual(na);
	});

	it('a local edit not pushed yet is kept over an older edit pulled from elsewhere', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const { note } = await createNote(a, basic('Q', 'A'), NOW);
		await sync(a, server);
		await sync(b, server);
		const onA = (await a.notes.get(note.id))!;
		await updateNote(
			a,
			note.id,
			{ fields: { ...onA.fields, back: 'older' }, tags: [], mtime: onA.mtime },
			NOW + MIN
		);
		await sync(a, server);
		const onB = (await b.notes.get(note.id))!;
		await updateNote(
			b,
			note.id,
			{ fields: { ...onB.fields, back: 'newer' }, tags: [], mtime: onB.mtime },
			NOW + 2 * MIN
		);
		// b pulls a's older edit before pushing its own (as a pull page landing between): b keeps its own.
		const reply = server.pull(0, 1000);
		await applyPulledPage(b, reply.records, reply.cursor);
		expect((await b.notes.get(note.id))!.fields.back).toBe('newer');
		await sync(b, server);
		await sync(a, server);
		expect((await a.notes.get(note.id))!.fields.back).toBe('newer');
	});

	it('a deleted note goes on every device with its cards; a suspended card and a new deck travel too', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const one = await createNote(a, basic('one', '1'), NOW);
		const two = await createNote(a, basic('two', '2'), NOW + 1);
		const { deck } = await createDeck(a, { title: 'Spanish' }, NOW + 2);
		await sync(a, server);
		await sync(b, server);
		expect((await b.decks.get(deck.id))!.title).toBe('Spanish');
		await grade(b, one.cards[0]!.id, 3, NOW + MIN);
		await deleteNotesOfCards(a, [one.cards[0]!.id]);
		await suspendCards(a, [two.cards[0]!.id]);
		await sync(a, server);
		await sync(b, server);
		expect(await b.notes.get(one.note.id)).toBeUndefined();
		expect(await b.cards.where('noteId').equals(one.note.id).count()).toBe(0);
		expect(await b.revlog.where('cardId').equals(one.cards[0]!.id).count()).toBe(0);
		expect((await b.cards.get(two.cards[0]!.id))!.queue).toBe(-1);
		await sync(a, server);
		expect(await collection(a)).toEqual(await collection(b));
		// A third device gets the same collection, the deletion included.
		const c = await device();
		await sync(c, server, 4);
		expect(await collection(c)).toEqual(await collection(a));
	});

	it('what was there before sign-in is pushed (no question asked) and merges with the other device', async () => {
		const server = new MemoryServer();
		const deck = recallDeck({
			id: 'deck',
			notes: Array.from({ length: 4 }, (_, i) => deckNote({ id: `n${i}` }))
		});
		const a = freshDb();
		const b = freshDb();
		opened.push(a, b);
		for (const db of [a, b]) await syncBuiltinDeck(db, deck, NOW - 1000);
		const ids = (await a.cards.orderBy('id').primaryKeys()) as string[];
		// Studied before either signed in: nothing queued.
		await grade(a, ids[0]!, 3, NOW);
		await grade(b, ids[1]!, 1, NOW + MIN);
		await createNote(b, basic('mine', 'B'), NOW + 2 * MIN);
		expect(await a.syncOutbox.count()).toBe(0);
		for (const db of [a, b]) {
			await saveSyncAccount(db, account({ bootstrap: 0, entities: { table: 0, after: '' } }));
		}
		const first = (await nextPushBatch(a, (await getSyncAccount(a))!, 50))!;
		// The collection first, then its log: a new device has the cards before their reviews.
		expect(first.records.every((r) => r.kind === 'field')).toBe(true);
		await sync(a, server);
		await sync(b, server);
		await sync(a, server);
		const [ca, cb] = [await collection(a), await collection(b)];
		expect(ca.reviews).toHaveLength(2);
		expect(ca).toEqual(cb);
		expect(ca.notes.map((n: Note) => n.fields.front)).toContain('mine');
		expect((await getSyncAccount(a))!.entities).toBe('done');
	});

	it('reviews that arrive before their card wait, and count once the card is here', async () => {
		const server = new MemoryServer();
		const a = await device();
		const { cards } = await createNote(a, basic('late', 'card'), NOW);
		await grade(a, cards[0]!.id, 3, NOW + MIN);
		// The review reaches the server first (the card's fields in a later push).
		const rows = await a.syncOutbox.toArray();
		server.push(rows.filter((r) => r.record.kind === 'review').map((r) => r.record));
		server.push(rows.filter((r) => r.record.kind === 'field').map((r) => r.record));
		const b = await device();
		await sync(b, server, 1);
		expect(await b.syncPending.count()).toBe(0);
		const card = (await b.cards.get(cards[0]!.id)) as Card;
		expect(card.reps).toBe(1);
		expect({ ...card, rev: 0 }).toEqual({ ...(await a.cards.get(cards[0]!.id))!, rev: 0 });
	});

	it('the study time zone is one setting of the account: the first device sets it, the others take it', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		expect(await ensureStudySettings(a, 'Asia/Tokyo')).toBe(true);
		await sync(a, server);
		await sync(b, server);
		expect(await getStudySettings(b)).toEqual({ timeZone: 'Asia/Tokyo' });
		expect(await ensureStudySettings(b, 'Europe/Paris')).toBe(false);
	});

	it('signed out, edits queue nothing', async () => {
		const a = await device();
		await clearSyncAccount(a);
		await createNote(a, basic('Q', 'A'), NOW);
		expect(await a.syncOutbox.count()).toBe(0);
	});
});

describe('a backup restored on a signed-in device', () => {
	/** A backup file of `db`, as "Download backup" makes it and "Restore from backup" reads it. */
	async function backupOf(db: RecallDb, at: number) {
		return parseBackup(await (await createBackup(db, at)).text(), 'backup.json');
	}

	it('is sent as the changes it made: a deleted note comes back with its history everywhere, a note added since goes, reviews given since stay', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const one = await createNote(a, basic('one', '1'), NOW);
		const two = await createNote(a, basic('two', '2'), NOW + 1);
		await grade(a, one.cards[0]!.id, 3, NOW + MIN);
		await sync(a, server);
		await sync(b, server);
		const backup = await backupOf(a, NOW + 2 * MIN);
		const token = (await getSyncAccount(a))!.token;

		// After the backup: a deletes "one" and adds "three", b studies "two" and edits "two".
		await deleteNotesOfCards(a, [one.cards[0]!.id]);
		const three = await createNote(a, basic('three', '3'), NOW + 3 * MIN);
		await grade(b, two.cards[0]!.id, 4, NOW + 4 * MIN);
		await sync(a, server);
		await sync(b, server);
		await sync(a, server);
		expect(await b.notes.get(one.note.id)).toBeUndefined();
		expect(await b.revlog.where('cardId').equals(one.cards[0]!.id).count()).toBe(0);

		await restoreBackup(a, backup);
		// Still signed in with its own account; the restore is queued as changes.
		expect((await getSyncAccount(a))!.token).toBe(token);
		expect((await pendingCounts(a, await getSyncAccount(a))).changes).toBeGreaterThan(0);
		expect((await a.notes.get(one.note.id))!.fields.front).toBe('one');
		expect(await a.notes.get(three.note.id)).toBeUndefined();
		// b's review of "two" (given after the backup) is kept, and the card replayed with it.
		expect(await a.revlog.where('cardId').equals(two.cards[0]!.id).count()).toBe(1);
		expect((await a.cards.get(two.cards[0]!.id))!.reps).toBe(1);
		expect((await a.cards.get(one.cards[0]!.id))!.reps).toBe(1);

		await sync(a, server);
		await sync(b, server);
		await sync(a, server);
		expect((await b.notes.get(one.note.id))!.fields.front).toBe('one');
		expect(await b.notes.get(three.note.id)).toBeUndefined();
		expect(await b.cards.where('noteId').equals(three.note.id).count()).toBe(0);
		// The deleted card's history came back with it on b, which had set it aside.
		expect((await b.cards.get(one.cards[0]!.id))!.reps).toBe(1);
		expect(await b.syncPending.count()).toBe(0);
		expect(await collection(b)).toEqual(await collection(a));
		expect((await collection(a)).reviews).toHaveLength(2);
		const c = await device();
		await sync(c, server, 4);
		expect(await collection(c)).toEqual(await collection(a));
	});

	it('a deck deleted on the other device comes back there with its history', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		const { deck } = await createDeck(a, { title: 'Spanish' }, NOW);
		const note = await createNote(a, { ...basic('hablar', 'to speak'), deckId: deck.id }, NOW + 1);
		await grade(a, note.cards[0]!.id, 3, NOW + MIN);
		await sync(a, server);
		await sync(b, server);
		const backup = await backupOf(a, NOW + 2 * MIN);
		await deleteDeck(b, deck.id);
		// Removed with its card, the review is kept aside on b, not lost.
		expect(await b.revlog.count()).toBe(0);
		expect(await b.syncPending.count()).toBe(1);
		await sync(b, server);
		await sync(a, server);
		expect(await a.decks.get(deck.id)).toBeUndefined();

		await restoreBackup(a, backup);
		await sync(a, server);
		await sync(b, server);
		expect((await b.decks.get(deck.id))!.title).toBe('Spanish');
		expect((await b.cards.get(note.cards[0]!.id))!.reps).toBe(1);
		expect(await collection(b)).toEqual(await collection(a));
	});

	it('a backup holds no sign-in, and a restore keeps the device’s own (or none)', async () => {
		const a = await device();
		await createNote(a, basic('Q', 'A'), NOW);
		const backup = await backupOf(a, NOW + MIN);
		expect(backup.meta.map((row) => row.key)).not.toContain('sync:account');
		expect(JSON.stringify(backup)).not.toContain('"token"');
		// A file that has one (made by an older version) signs no device in.
		const old = { ...backup, meta: [...backup.meta, { key: 'sync:account', value: account() }] };
		const fresh = freshDb();
		opened.push(fresh);
		await restoreBackup(fresh, old);
		expect(await getSyncAccount(fresh)).toBeNull();
		expect(await fresh.notes.count()).toBe(1);
		const other = await device({ token: 'mine', cursor: 7 });
		await restoreBackup(other, old);
		expect(await getSyncAccount(other)).toMatchObject({ token: 'mine', cursor: 7 });
	});
});

describe('media by content hash', () => {
	it('a file is announced once; the other device waits for its bytes, stores them, and does not announce them back', async () => {
		const server = new MemoryServer();
		const a = await device();
		const b = await device();
		await a.media.put({ name: 'img-1.png', type: 'image/png', data: new Blob(['png bytes']) });
		const [file] = await unannouncedMedia(a, 10);
		expect(file!.name).toBe('img-1.png');
		const hash = 'ab'.repeat(32);
		await announceMedia(a, [{ name: 'img-1.png', type: 'image/png', hash }]);
		expect(await unannouncedMedia(a, 10)).toEqual([]);
		await sync(a, server);
		await sync(b, server, 1);
		expect(await wantedMedia(b)).toEqual([{ name: 'img-1.png', hash, type: 'image/png' }]);
		await storePulledMedia(b, {
			name: 'img-1.png',
			hash,
			type: 'image/png',
			data: new Blob(['png bytes'], { type: 'image/png' })
		});
		expect(await wantedMedia(b)).toEqual([]);
		expect(await unannouncedMedia(b, 10)).toEqual([]);
		expect(await (await b.media.get('img-1.png'))!.data.text()).toBe('png bytes');
		// Pulled again (a re-pull from 0): the file is here with those bytes, nothing waits.
		await b.meta.put({ key: 'sync:account', value: { ...(await getSyncAccount(b))!, cursor: 0 } });
		await sync(b, server);
		expect(await wantedMedia(b)).toEqual([]);
	});
});

describe('schema v4 → v5', () => {
	it('keeps the account and the outbox, and a device signed in under v4 pushes its collection next', async () => {
		const name = `recall-v4-${Math.random().toString(36).slice(2)}`;
		const v4 = openDbV4(name);
		const old: Partial<SyncAccount> = account();
		delete old.entities;
		await v4.meta.put({ key: 'sync:account', value: old });
		await v4.syncOutbox.put({
			key: 'r:x',
			record: {
				...toReviewRecord({
					cardId: 'c',
					deckId: 'd',
					reviewedAt: NOW,
					rating: 3,
					state: 0,
					due: 0,
					stability: 1,
					difficulty: 5,
					elapsedDays: 0,
					scheduledDays: 1,
					durationMs: 1
				})
			}
		});
		v4.close();
		const v5 = openDb(name);
		opened.push(v5);
		expect(v5.verno).toBe(SCHEMA_VERSION);
		expect((await getSyncAccount(v5))!.entities).toEqual({ table: 0, after: '' });
		expect(await v5.syncOutbox.count()).toBe(1);
		expect(await v5.syncParked.count()).toBe(0);
	});
});
