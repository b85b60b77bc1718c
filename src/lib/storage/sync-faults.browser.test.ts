/**
 * Faults of a pull on the device (real IndexedDB in Chromium): storage full in the middle of a
 * page (QuotaExceededError from a Dexie middleware under the review log, as IndexedDB raises it)
 * leaves nothing of the failed chunk and keeps the cursor before it; a pull interrupted between
 * chunks and resumed from the saved cursor ends in the same state as one never interrupted; and
 * reviews of two devices whose clocks are 10 min apart merge to the same card, whichever order
 * their pages arrive in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../core/model';
import { gradeCard } from '../core/scheduling/scheduler';
import { toReviewRecord, type PulledRecord } from '../core/sync/protocol';
import { deckNote, recallDeck } from '../core/testing/factories';
import { pullChunks } from '../core/sync/pull';
import { deleteNotesOfCards } from './bulk-actions';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import {
	applyPulledPage,
	getSyncAccount,
	replayDeferred,
	saveSyncAccount,
	type SyncAccount
} from './sync-repo';
import { dropDb, freshDb, testAccount } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

/** Signed in, the collection not pushed yet (these tests only pull). */
const account = (): SyncAccount => testAccount({ entities: undefined });

/** A store whose review-log writes fail with QuotaExceededError while `full.on`. */
async function deviceDb(full = { on: false }): Promise<RecallDb> {
	const db = freshDb();
	db.use({
		stack: 'dbcore',
		name: 'QuotaFull',
		level: 0,
		create(down) {
			return {
				...down,
				table(name) {
					const table = down.table(name);
					if (name !== 'revlog') return table;
					return {
						...table,
						mutate: (req) =>
							full.on
								? Promise.reject(
										new DOMException('The quota has been exceeded.', 'QuotaExceededError')
									)
								: table.mutate(req)
					};
				}
			};
		}
	});
	await syncBuiltinDeck(
		db,
		recallDeck({
			id: 'deck',
			notes: Array.from({ length: 30 }, (_, i) => deckNote({ id: `n${i}` }))
		}),
		NOW - 400 * DAY
	);
	await saveSyncAccount(db, account());
	return db;
}

/** What another device pushed: `per` reviews of each card, in time order, numbered from 1. */
async function remoteLog(db: RecallDb, per: number): Promise<PulledRecord[]> {
	const preset = await getPreset(db, 'default');
	const cards = (await db.cards.orderBy('id').toArray()) as Card[];
	const out: PulledRecord[] = [];
	const states = new Map(cards.map((c) => [c.id, c]));
	for (let k = 0; k < per; k++) {
		for (const [i, c] of cards.entries()) {
			const at = NOW - (per - k) * 10 * DAY + i * 1000;
			const { card, log } = gradeCard(states.get(c.id)!, k % 4 === 1 ? 1 : 3, preset, at);
			states.set(c.id, card);
			out.push({ ...toReviewRecord(log), seq: out.length + 1 });
		}
	}
	return out;
}

async function state(db: RecallDb) {
	const log = (await db.revlog.toArray()).map((l) => toReviewRecord(l).id).sort();
	const cards = (await db.cards.orderBy('id').toArray()).map((c) => ({ ...c, rev: 0 }));
	const tallies = await db.reviewTallies.toArray();
	return { log, cards, tallies, cursor: (await getSyncAccount(db))!.cursor };
}

const dbs: RecallDb[] = [];
beforeEach(() => {
	dbs.length = 0;
});
afterEach(async () => {
	for (const db of dbs) await dropDb(db);
});

describe('a pull under faults', () => {
	it('storage full in the middle: the failed chunk leaves nothing, the cursor stays before it, the next sync resumes', async () => {
		const full = { on: false };
		const db = await deviceDb(full);
		dbs.push(db);
		const page = await remoteLog(db, 5);
		expect(page).toHaveLength(150);
		const chunks = pullChunks(page, 150, 40);
		expect(chunks.map((c) => c.cursor)).toEqual([40, 80, 120, 150]);
		await applyPulledPage(db, chunks[0]!.records, chunks[0]!.cursor);
		await applyPulledPage(db, chunks[1]!.records, chunks[1]!.cursor);
		const before = await state(db);
		expect(before.log).toHaveLength(80);
		expect(before.cursor).toBe(80);

		full.on = true;
		const refused = await applyPulledPage(db, chunks[2]!.records, chunks[2]!.cursor).catch(
			(e: unknown) => e
		);
		expect((refused as { name?: string }).name).toBe('QuotaExceededError');
		// Nothing of the failed chunk: no review, no replayed card, no tally, the same cursor.
		expect(await state(db)).toEqual(before);
		expect(await db.syncPending.count()).toBe(0);
		expect(await db.syncOutbox.count()).toBe(0);

		// Space freed: the sync goes on from the saved cursor and ends as an uninterrupted pull.
		full.on = false;
		const resume = page.filter((r) => r.seq > before.cursor);
		for (const c of pullChunks(resume, 150, 40)) await applyPulledPage(db, c.records, c.cursor);
		const ref = await deviceDb();
		dbs.push(ref);
		await applyPulledPage(ref, page, 150);
		const [got, want] = [await state(db), await state(ref)];
		expect(got.log).toHaveLength(150);
		expect(got.log).toEqual(want.log);
		expect(got.cards).toEqual(want.cards);
		expect(got.tallies).toEqual(want.tallies);
		expect(got.cursor).toBe(150);
	});

	it('a long pull replays each card once at its end, and a run interrupted before then finishes on the next sync', async () => {
		const db = await deviceDb();
		dbs.push(db);
		const page = await remoteLog(db, 4);
		const chunks = pullChunks(page, page.length, 30);
		const untouched = await state(db);
		for (const c of chunks) await applyPulledPage(db, c.records, c.cursor, { deferReplay: true });
		// Every review and the cursor are in; the cards wait, marked, for one replay each.
		const pulled = await state(db);
		expect(pulled.log).toHaveLength(page.length);
		expect(pulled.cursor).toBe(page.length);
		expect(pulled.cards).toEqual(untouched.cards);
		expect(await db.meta.where(':id').startsWith('syncReplay/').count()).toBe(30);

		// Interrupted after a first slice of 10 (as if the tab closed): the rest stays marked.
		const stop = new Error('the tab closed');
		const first = await replayDeferred(
			db,
			() => {
				throw stop;
			},
			10
		).catch((e: unknown) => e);
		expect(first).toBe(stop);
		expect(await db.meta.where(':id').startsWith('syncReplay/').count()).toBe(20);
		// The next sync finishes them.
		const seen: [number, number][] = [];
		expect(await replayDeferred(db, (done, total) => seen.push([done, total]), 10)).toBe(20);
		expect(seen).toEqual([
			[10, 20],
			[20, 20]
		]);
		expect(await db.meta.where(':id').startsWith('syncReplay/').count()).toBe(0);
		expect(await replayDeferred(db)).toBe(0);

		// The same as replaying after every chunk.
		const ref = await deviceDb();
		dbs.push(ref);
		for (const c of chunks) await applyPulledPage(ref, c.records, c.cursor);
		const [got, want] = [await state(db), await state(ref)];
		expect(got.cards).toEqual(want.cards);
		expect(got.tallies).toEqual(want.tallies);
		expect(got.log).toEqual(want.log);
		expect(await db.syncOutbox.count()).toBe(0);
	});

	it('a long pull looks each card up once; one deleted here meanwhile has its later reviews kept aside, not logged', async () => {
		const db = await deviceDb();
		dbs.push(db);
		const page = await remoteLog(db, 4);
		const chunks = pullChunks(page, page.length, 30);
		const marked = new Set<string>();
		const present = new Set<string>();
		const options = { deferReplay: marked, present };
		await applyPulledPage(db, chunks[0]!.records, chunks[0]!.cursor, options);
		expect(present.size).toBe(30);
		// The learner deletes a note on this device while the pull goes on (its card's first
		// pulled review goes aside with it, as every deletion does).
		const gone = [...present][0]!;
		await deleteNotesOfCards(db, [gone]);
		for (const c of chunks.slice(1)) await applyPulledPage(db, c.records, c.cursor, options);
		// The run still believes the card is here, so its later reviews went into the log...
		expect(await db.revlog.where('cardId').equals(gone).count()).toBe(3);
		// ...until the replay at the end finds it gone and keeps them aside with the first.
		expect(await replayDeferred(db, undefined, 1000, 1000)).toBe(30);
		expect(await db.revlog.where('cardId').equals(gone).count()).toBe(0);
		const aside = await db.syncPending.where('cardId').equals(gone).toArray();
		expect(aside.map((r) => r.reviewedAt).sort()).toEqual(
			page
				.filter((r) => r.kind === 'review' && r.cardId === gone)
				.map((r) => (r.kind === 'review' ? r.reviewedAt : 0))
				.sort()
		);
		// Every other card is as a pull without the cache leaves it.
		const ref = await deviceDb();
		dbs.push(ref);
		await deleteNotesOfCards(ref, [gone]);
		for (const c of chunks) await applyPulledPage(ref, c.records, c.cursor);
		const [got, want] = [await state(db), await state(ref)];
		expect(got.cards).toEqual(want.cards);
		expect(got.log).toEqual(want.log);
		expect(got.tallies).toEqual(want.tallies);
		expect(await ref.syncPending.where('cardId').equals(gone).count()).toBe(4);
	});

	it('a page applied again after an interruption (the tab closed before the next cursor) adds nothing', async () => {
		const db = await deviceDb();
		dbs.push(db);
		const page = await remoteLog(db, 3);
		const chunks = pullChunks(page, page.length, 25);
		for (const c of chunks.slice(0, 2)) await applyPulledPage(db, c.records, c.cursor);
		// Reopened: the whole page is fetched again from the saved cursor's page start.
		for (const c of pullChunks(page, page.length, 25))
			await applyPulledPage(db, c.records, c.cursor);
		const got = await state(db);
		expect(got.log).toHaveLength(page.length);
		expect(new Set(got.log).size).toBe(page.length);
		expect(got.cursor).toBe(page.length);
	});

	it('two devices 10 min apart on the clock: their reviews of one card merge to the same state in either order', async () => {
		const a = await deviceDb();
		const b = await deviceDb();
		dbs.push(a, b);
		const preset = await getPreset(a, 'default');
		const card = (await a.cards.orderBy('id').first()) as Card;
		// The phone's clock is 10 min ahead: its Good at real 12:00 is stamped 12:10. The laptop's is
		// 10 min behind: its Again at real 12:05 is stamped 11:55. The log orders them as stamped.
		const phone = gradeCard(card, 3, preset, NOW + 10 * 60_000).log;
		const laptop = gradeCard(card, 1, preset, NOW - 5 * 60_000).log;
		const records = [phone, laptop].map((l, i) => ({ ...toReviewRecord(l), seq: i + 1 }));
		await applyPulledPage(a, records, 2);
		await applyPulledPage(b, [records[1]!], 2);
		await applyPulledPage(b, [records[0]!], 2);
		const [sa, sb] = [await state(a), await state(b)];
		expect(sa.log).toEqual(sb.log);
		expect(sa.cards).toEqual(sb.cards);
		const merged = (await a.cards.get(card.id))!;
		expect(merged.reps).toBe(2);
		expect(merged.lastReview).toBe(NOW + 10 * 60_000);
	});
});
