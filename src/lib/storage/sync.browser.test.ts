import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card, RevlogEntry } from '../core/model';
import { replayCard } from '../core/scheduling/replay';
import { gradeCard } from '../core/scheduling/scheduler';
import { orderedLog } from '../core/sync/merge';
import { DELETED, reviewRecordId, toReviewRecord, type PulledRecord } from '../core/sync/protocol';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import { openDb, openDbV3, type RecallDb } from './db';
import { getPreset } from './presets';
import { saveGrade, undoGrade } from './review-repo';
import {
	ackPushBatch,
	applyPulledPage,
	clearSyncAccount,
	getSyncAccount,
	nextPushBatch,
	pendingCount,
	replayDeferred,
	restartSync,
	saveSyncAccount,
	type SyncAccount
} from './sync-repo';
import { dropDb, freshDb, testAccount } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const MIN = 60_000;

const account = (over: Partial<SyncAccount> = {}): SyncAccount => testAccount(over);

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({
			id: 'deck',
			notes: Array.from({ length: 5 }, (_, i) => deckNote({ id: `n${i}` }))
		}),
		NOW - 1000
	);
});
afterEach(async () => dropDb(db));

async function grade(cardId: string, rating: 1 | 2 | 3 | 4, at: number) {
	const before = (await db.cards.get(cardId))!;
	const preset = await getPreset(db, 'default');
	const { card, log } = gradeCard(before, rating, preset, at);
	return saveGrade(db, before, card, log, null);
}

const ids = async () => (await db.cards.orderBy('id').toArray()).map((c) => c.id);

describe('the outbox', () => {
	beforeEach(async () => saveSyncAccount(db, account()));

	it('signed out, queues no review (the first sync pushes the log itself)', async () => {
		await clearSyncAccount(db);
		const [first] = await ids();
		await grade(first!, 3, NOW);
		expect(await db.syncOutbox.count()).toBe(0);
		await saveSyncAccount(db, account({ bootstrap: 0 }));
		const batch = (await nextPushBatch(db, (await getSyncAccount(db))!, 100))!;
		expect(batch.records).toHaveLength(1);
		expect(batch.bootstrapTo).toBeGreaterThan(0);
	});

	it('queues each grade in the grade’s own transaction, and an undo as a tombstone', async () => {
		const [first] = await ids();
		const record = await grade(first!, 3, NOW);
		const queued = await db.syncOutbox.toArray();
		const log = (await db.revlog.get(record.logId))!;
		expect(queued).toEqual([{ key: `r:${reviewRecordId(log)}`, record: toReviewRecord(log) }]);
		await undoGrade(db, record);
		const after = await db.syncOutbox.toArray();
		expect(after).toHaveLength(2);
		expect(after.find((r) => r.record.kind === 'field')?.record).toMatchObject({
			kind: 'field',
			entity: 'review',
			id: reviewRecordId(log),
			field: DELETED,
			value: true
		});
	});

	it('queues nothing when the grade’s transaction fails', async () => {
		const [first] = await ids();
		const before = (await db.cards.get(first!))!;
		const { card, log } = gradeCard(before, 3, await getPreset(db, 'default'), NOW);
		await saveGrade(db, before, card, log, null);
		// A second grade from the same (now stale) state is refused: neither log nor queue change.
		await expect(
			saveGrade(db, before, card, { ...log, reviewedAt: NOW + 1 }, null)
		).rejects.toThrow();
		expect(await db.revlog.count()).toBe(1);
		expect(await db.syncOutbox.count()).toBe(1);
	});

	it('adds little to a grade (measured against a v3 store, printed)', async () => {
		const cards = await ids();
		const plain = openDbV3(`recall-v3-${Math.random().toString(36).slice(2)}`) as RecallDb;
		await plain.open();
		await plain.presets.bulkPut(await db.presets.toArray());
		await plain.cards.bulkPut(await db.cards.toArray());
		let at = NOW;
		const time = async (target: RecallDb, n: number) => {
			const started = performance.now();
			for (let i = 0; i < n; i++) {
				const before = (await target.cards.get(cards[i % cards.length]!))!;
				const { card, log } = gradeCard(before, 3, await getPreset(target, 'default'), (at += MIN));
				await saveGrade(target, before, card, log, null);
			}
			return (performance.now() - started) / n;
		};
		const with_: number[] = [];
		const without: number[] = [];
		for (let round = 0; round < 6; round++) {
			with_.push(await time(db, 20));
			without.push(await time(plain, 20));
		}
		const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
		console.log(
			`grade: ${median(with_).toFixed(2)} ms with the outbox, ${median(without).toFixed(2)} ms without (median of 6 rounds of 20)`
		);
		plain.close();
		await plain.delete();
		expect(await db.syncOutbox.count()).toBe(120);
	});
});

describe('schema v3 → v4', () => {
	it('keeps every row, starts with an empty outbox, and pushes the old log on the first sync', async () => {
		const name = `recall-v3-${Math.random().toString(36).slice(2)}`;
		const v3 = openDbV3(name);
		const row: RevlogEntry = {
			cardId: 'c1',
			deckId: 'deck',
			reviewedAt: NOW,
			rating: 3,
			state: 0,
			due: 0,
			stability: 3,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 3,
			durationMs: 1000
		};
		await v3.revlog.bulkAdd([row, { ...row, reviewedAt: NOW + 1000, rating: 1 }]);
		await v3.meta.put({ key: 'x', value: 1 });
		v3.close();
		const v4 = openDb(name);
		expect(await v4.revlog.count()).toBe(2);
		expect(await v4.meta.get('x')).toEqual({ key: 'x', value: 1 });
		expect(await v4.syncOutbox.count()).toBe(0);
		expect(await v4.reviewTallies.count()).toBeGreaterThan(0);
		const acct = account({ bootstrap: 0 });
		await saveSyncAccount(v4, acct);
		expect(await pendingCount(v4, acct)).toBe(2);
		const batch = (await nextPushBatch(v4, acct, 100))!;
		expect(batch.records.map((r) => r.kind === 'review' && r.reviewedAt)).toEqual([
			NOW,
			NOW + 1000
		]);
		await ackPushBatch(v4, batch);
		const after = (await getSyncAccount(v4))!;
		expect(await nextPushBatch(v4, after, 100)).toBeNull();
		expect((await getSyncAccount(v4))!.bootstrap).toBe('done');
		await v4.delete();
	});
});

describe('a pulled page', () => {
	it('adds new reviews once, replays the card, saves the cursor, and queues nothing back', async () => {
		const [first, second] = await ids();
		await saveSyncAccount(db, account());
		const mine = await grade(first!, 3, NOW);
		await db.syncOutbox.clear();
		// Another device's reviews: one of the same card, later; one of a card never studied here; one of a card not here.
		const base = (await db.cards.get(first!))!;
		const preset = await getPreset(db, 'default');
		const other = gradeCard(mine.after, 1, preset, NOW + 30 * MIN).log;
		const fresh = gradeCard((await db.cards.get(second!))!, 4, preset, NOW + 5 * MIN).log;
		const stranger = { ...fresh, cardId: 'elsewhere/0' };
		const page: PulledRecord[] = [other, fresh, stranger].map((l, i) => ({
			...toReviewRecord(l),
			seq: i + 1
		}));
		await applyPulledPage(db, page, 3);
		await applyPulledPage(db, page, 3);
		expect(await db.revlog.count()).toBe(3);
		expect(await db.syncPending.count()).toBe(1);
		expect(await db.syncOutbox.count()).toBe(0);
		expect((await getSyncAccount(db))!.cursor).toBe(3);
		const log = await db.revlog.where('cardId').equals(first!).toArray();
		const replayed = replayCard(base, orderedLog(log.map(toReviewRecord)), preset);
		const stored = (await db.cards.get(first!))!;
		expect({ ...stored, rev: 0 }).toEqual({ ...replayed, rev: 0 });
		expect(stored.reps).toBe(2);
		expect(log.map((l) => l.rating)).toEqual([3, 1]);
	});

	it('finds its own reviews among a page that spans months of a long local log (each time looked up)', async () => {
		const [first, second] = await ids();
		const preset = await getPreset(db, 'default');
		// Signed out: a long log already here (a year of one card, 300 rows between the page's times).
		const base = (await db.cards.get(second!))!;
		const logYear = Array.from(
			{ length: 300 },
			(_, i) => gradeCard(base, 3, preset, NOW + i * 86_400_000).log
		);
		await db.revlog.bulkAdd(logYear);
		await saveSyncAccount(db, account());
		const mine = await grade(first!, 3, NOW - MIN);
		await db.syncOutbox.clear();
		const mineRow = (await db.revlog.get(mine.logId))!;
		const later = gradeCard(mine.after, 2, preset, NOW + 400 * 86_400_000).log;
		const copy = logYear[150]!;
		const page: PulledRecord[] = [mineRow, copy, later].map((l, i) => ({
			...toReviewRecord(l),
			seq: i + 1
		}));
		await applyPulledPage(db, page, 3);
		// Only the later review is new: the other two were here already.
		expect(await db.revlog.count()).toBe(302);
		const log = await db.revlog.where('cardId').equals(first!).toArray();
		expect(log.map((l) => l.rating)).toEqual([3, 2]);
		expect((await db.cards.get(first!))!.reps).toBe(2);
	});

	it('a preset rescheduled on another device reschedules the studied cards here; a change alone does not', async () => {
		const [first, second] = await ids();
		await saveSyncAccount(db, account());
		const base = (await db.cards.get(first!))!;
		await grade(first!, 3, NOW);
		await grade(first!, 3, NOW + 3 * 86_400_000);
		await db.syncOutbox.clear();
		const studied = (await db.cards.get(first!))!;
		const field = (name: string, value: number, seq: number): PulledRecord => ({
			kind: 'field',
			entity: 'preset',
			id: 'default',
			field: name,
			value,
			hlc: `0000000000000000000${seq}a`,
			seq
		});
		// The other device lowered the desired retention, then answered "Not now".
		await applyPulledPage(db, [field('desiredRetention', 0.8, 1)], 1);
		await replayDeferred(db);
		expect(await db.cards.get(first!)).toEqual(studied);
		// Then it rescheduled after all: this device replays its studied cards under the new setting.
		await applyPulledPage(db, [field('rescheduledAt', NOW + 4 * 86_400_000, 2)], 2);
		expect(await replayDeferred(db)).toBe(1);
		const preset = await getPreset(db, 'default');
		expect(preset).toMatchObject({ desiredRetention: 0.8, rescheduledAt: NOW + 4 * 86_400_000 });
		const log = await db.revlog.where('cardId').equals(first!).toArray();
		const expected = replayCard(base, orderedLog(log.map(toReviewRecord)), preset);
		const after = (await db.cards.get(first!))!;
		expect({ ...after, rev: 0 }).toEqual({ ...expected, rev: 0 });
		expect(after.due).toBeGreaterThan(studied.due);
		// A card never studied stays new, and nothing is queued back.
		expect((await db.cards.get(second!))!.reps).toBe(0);
		expect(await db.syncOutbox.count()).toBe(0);
	});

	it('an undone review pulled from elsewhere leaves the log, and the card is replayed without it', async () => {
		const [first] = await ids();
		await saveSyncAccount(db, account());
		const a = await grade(first!, 3, NOW);
		await grade(first!, 3, NOW + 20 * MIN);
		await db.syncOutbox.clear();
		const undone = reviewRecordId((await db.revlog.get(a.logId))!);
		await applyPulledPage(
			db,
			[
				{
					kind: 'field',
					entity: 'review',
					id: undone,
					field: DELETED,
					value: true,
					hlc: '00000000000000000000a',
					seq: 9
				}
			],
			9
		);
		expect(await db.revlog.count()).toBe(1);
		expect((await db.cards.get(first!))!.reps).toBe(1);
		expect(await db.syncOutbox.count()).toBe(0);
	});

	it('after an epoch change everything is pushed again, parked reviews too', async () => {
		const [first] = await ids();
		await saveSyncAccount(db, account());
		await grade(first!, 3, NOW);
		await db.syncOutbox.clear();
		const parked = {
			...toReviewRecord(
				gradeCard((await db.cards.get(first!))! as Card, 3, await getPreset(db, 'default'), NOW).log
			),
			cardId: 'gone/0'
		};
		parked.id = reviewRecordId(parked);
		await db.syncPending.put(parked);
		await restartSync(db, 'e2');
		const acct = (await getSyncAccount(db))!;
		expect(acct).toMatchObject({ epoch: 'e2', cursor: 0, bootstrap: 0 });
		expect(await pendingCount(db, acct)).toBe(2);
	});
});
