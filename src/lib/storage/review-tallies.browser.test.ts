/**
 * The review tallies kept by the DBCore middleware, against real IndexedDB: after every path
 * that writes the review log, the stored tallies must equal a count of the log from scratch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBundle } from '../core/import';
import type { RevlogEntry } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import { ALL_DECKS, tallyRows, type StoredTally } from '../core/stats/buckets';
import { deckNote, recallDeck } from '../core/testing/factories';
import { forgetCards } from './bulk-actions';
import { undoChanges } from './changes';
import { checkDatabase, describeReport } from './check-db';
import type { RecallDb } from './db';
import { deleteDeck } from './deck-repo';
import { syncBuiltinDeck } from './builtin-decks';
import { writeImport } from './import-repo';
import { rebuildTallies } from './review-tallies';
import { saveGrade, undoGrade } from './review-repo';
import { restoreSnapshot, takeSnapshot } from './snapshots';
import { dropDb, freshDb } from './testing';
import { seedCollection } from './testing-seed';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	const notes = Array.from({ length: 12 }, (_, i) => deckNote({ id: `n${i}` }));
	await syncBuiltinDeck(db, recallDeck({ id: 'deck', notes }), NOW - 1000);
});
afterEach(async () => {
	await dropDb(db);
});

const keyOf = (t: StoredTally) => `${t.deckId}|${t.day}`;

/** The stored tallies are exactly a count of the log from scratch. */
async function expectInStep(): Promise<StoredTally[]> {
	const stored = await db.reviewTallies.toArray();
	const fresh = tallyRows(await db.revlog.toArray());
	expect(stored.map(keyOf).sort()).toEqual(fresh.map(keyOf).sort());
	const byKey = new Map(stored.map((t) => [keyOf(t), t]));
	for (const t of fresh) expect(byKey.get(keyOf(t))).toEqual(t);
	return stored;
}

/** Review-log rows the all-decks tallies count. */
const answered = async () =>
	(await db.reviewTallies.where('deckId').equals(ALL_DECKS).toArray()).reduce((n, t) => n + t.n, 0);

/** Grades `count` cards of the deck at `at`, an answer a minute. */
async function grade(count: number, at = NOW) {
	const records = [];
	const cards = (await db.cards.where('deckId').equals('deck').toArray()).slice(0, count);
	for (const [i, before] of cards.entries()) {
		const r = gradeCard(before, ((i % 4) + 1) as 1 | 2 | 3 | 4, DEFAULT_PRESET, at + i * 60_000, {
			timeZone: 'UTC'
		});
		records.push(await saveGrade(db, before, r.card, r.log, null));
	}
	return records;
}

function oldRow(o: Partial<RevlogEntry> = {}): RevlogEntry {
	return {
		cardId: 'deck/n0/0',
		deckId: 'deck',
		reviewedAt: NOW - 30 * DAY,
		rating: 3,
		state: 2,
		due: NOW - 31 * DAY,
		stability: 20,
		difficulty: 5,
		elapsedDays: 20,
		scheduledDays: 40,
		durationMs: 6000,
		...o
	};
}

describe('review tallies kept at write time', () => {
	it('counts grades and takes an undone grade away again', async () => {
		const records = await grade(8);
		expect(await answered()).toBe(8);
		await expectInStep();
		await undoGrade(db, records.at(-1)!);
		await undoGrade(db, records.at(-2)!);
		expect(await answered()).toBe(6);
		await expectInStep();
	});

	it('counts an import of history (many chunks) in the import transaction', async () => {
		const source = freshDb();
		try {
			await seedCollection(source, {
				cards: 300,
				reviews: 5000,
				now: NOW,
				deckIds: ['a', 'b'],
				historyDays: 90
			});
			const bundle = {
				...emptyBundle(),
				decks: await source.decks.toArray(),
				notes: await source.notes.toArray(),
				cards: await source.cards.toArray(),
				revlog: (await source.revlog.toArray()).map(({ id: _, ...r }) => r as RevlogEntry)
			};
			const counts = await writeImport(db, bundle, { chunkSize: 700 });
			expect(counts.reviews).toBeGreaterThan(4000);
		} finally {
			await dropDb(source);
		}
		expect(await answered()).toBe(await db.revlog.count());
		await expectInStep();
	});

	it('takes a deleted deck away and puts it back on undo', async () => {
		await grade(6);
		await db.revlog.bulkAdd([oldRow(), oldRow({ reviewedAt: NOW - 200 * DAY, rating: 1 })]);
		const before = await expectInStep();
		const changes = await deleteDeck(db, 'deck');
		expect(await db.reviewTallies.count()).toBe(0);
		await undoChanges(db, changes);
		expect(await expectInStep()).toEqual(before);
	});

	it('follows forgetting cards (a manual row) and its undo', async () => {
		await grade(4);
		const ids = (await db.cards.toArray()).filter((c) => c.reps > 0).map((c) => c.id);
		const changes = await forgetCards(db, ids, NOW + 3_600_000);
		expect(await answered()).toBe(8);
		await expectInStep();
		await undoChanges(db, changes);
		expect(await answered()).toBe(4);
		await expectInStep();
	});

	it('follows a restore from a snapshot and a clear of the log', async () => {
		await grade(3);
		await takeSnapshot(db, 'daily', NOW, 'UTC');
		const snapshot = await db.snapshots.toCollection().first();
		await db.revlog.bulkAdd([oldRow(), oldRow({ reviewedAt: NOW - 2 * DAY })]);
		expect(await answered()).toBe(5);
		// The restore clears every table (the log too) and writes the backup back.
		await restoreSnapshot(db, snapshot!.id!, NOW + 1000, 'UTC');
		expect(await answered()).toBe(3);
		await expectInStep();
		await db.revlog.clear();
		expect(await db.reviewTallies.count()).toBe(0);
	});

	it('follows every kind of Dexie write: put over a row, modify, deletes by key, range and index', async () => {
		const ids = (await db.revlog.bulkAdd(
			Array.from({ length: 40 }, (_, i) => oldRow({ reviewedAt: NOW - i * 7 * 3_600_000 })),
			{ allKeys: true }
		)) as number[];
		await expectInStep();
		// An overwrite moves a row to another day and deck.
		await db.revlog.put({
			...oldRow({ deckId: 'other', reviewedAt: NOW - 100 * DAY }),
			id: ids[0]
		});
		await expectInStep();
		await db.revlog.where(':id').between(ids[1]!, ids[5]!).modify({ rating: 1 });
		await db.revlog.update(ids[6]!, { elapsedDays: 1 });
		await expectInStep();
		await db.revlog.where(':id').between(ids[7]!, ids[12]!).delete();
		await db.revlog
			.where('reviewedAt')
			.below(NOW - 8 * DAY)
			.delete();
		await db.revlog.bulkDelete([ids[13]!, ids[14]!, 999_999, ids[13]!]);
		// The same key twice in one bulkPut: the second replaces the first.
		await db.revlog.bulkPut([
			{ ...oldRow({ rating: 1 }), id: ids[20] },
			{ ...oldRow({ reviewedAt: NOW - 3 * DAY }), id: ids[20] },
			{ ...oldRow({ reviewedAt: NOW - 4 * DAY }), id: 777_777 }
		]);
		await expectInStep();
		expect(await answered()).toBe(await db.revlog.count());
	});

	it('keeps the rows that went in when part of a bulkAdd fails, and none of an aborted transaction', async () => {
		const [id] = (await db.revlog.bulkAdd([oldRow()], { allKeys: true })) as number[];
		await db.transaction('rw', db.revlog, async () => {
			await db.revlog
				.bulkAdd([oldRow({ id }), oldRow({ reviewedAt: NOW - 3 * DAY })])
				.catch(() => {});
		});
		expect(await answered()).toBe(2);
		await expectInStep();
		await expect(
			db.transaction('rw', db.revlog, async () => {
				await db.revlog.add(oldRow({ reviewedAt: NOW - 5 * DAY }));
				throw new Error('changed my mind');
			})
		).rejects.toThrow('changed my mind');
		expect(await answered()).toBe(2);
		await expectInStep();
	});

	it('applies writes issued together in one transaction one after the other', async () => {
		await db.transaction('rw', [db.cards, db.revlog], async () => {
			await Promise.all(
				Array.from({ length: 30 }, (_, i) => db.revlog.add(oldRow({ durationMs: 1000 + i })))
			);
		});
		expect(await answered()).toBe(30);
		await expectInStep();
	});

	it('counts the reviews Check database removes, and repairs tallies that disagree', async () => {
		await grade(5);
		await db.revlog.bulkAdd([oldRow({ cardId: 'gone' }), oldRow({ cardId: 'gone', rating: 1 })]);
		// Damage the tallies behind the middleware's back.
		const [first] = await db.reviewTallies.where('deckId').equals('deck').toArray();
		await db.reviewTallies.put({ ...first!, n: first!.n + 3 });
		const report = await checkDatabase(db, NOW, 'UTC');
		expect(report).toMatchObject({ orphanReviews: 2, reviewTallies: 1 });
		expect(describeReport(report)).toContain('1 day(s) of review statistics recounted');
		await expectInStep();
		expect((await checkDatabase(db, NOW, 'UTC')).reviewTallies).toBe(0);
	});

	it('rebuilds the days asked for from the log, with progress', async () => {
		await db.revlog.bulkAdd(
			Array.from({ length: 50 }, (_, i) => oldRow({ reviewedAt: NOW - i * DAY }))
		);
		const kept = await db.reviewTallies.toArray();
		await db.reviewTallies.clear();
		const shares: number[] = [];
		const first = Math.floor((NOW - 60 * DAY) / DAY);
		const last = Math.floor(NOW / DAY);
		await rebuildTallies(db, null, first, last, (s) => shares.push(s));
		expect(await expectInStep()).toEqual(kept);
		expect(shares.at(-1)).toBe(1);
		expect(shares.length).toBe(Math.ceil((last - first + 1) / 7));
		// One deck's rows are recounted alone; the all-decks rows are left as they are.
		await db.reviewTallies.where('deckId').equals('deck').delete();
		await rebuildTallies(db, 'deck', first, last);
		expect(await db.reviewTallies.toArray()).toEqual(kept);
	});
});
