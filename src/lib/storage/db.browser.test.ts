/** Every schema version is tested on data of the version before it. */
import { describe, expect, it } from 'vitest';
import { createDefaultPreset } from '../core/scheduling/preset';
import { tallyRows, type StoredTally } from '../core/stats/buckets';
import { openDb, openDbV1, openDbV2, SCHEMA_VERSION } from './db';
import { openWatched } from './health';
import { listSnapshots, restoreSnapshot } from './snapshots';
import { seedCollection } from './testing-seed';

const name = () => `recall-migrate-${Math.random().toString(36).slice(2)}`;

describe('schema upgrades', () => {
	it('v1 → v2 keeps every record, adds snapshots, and repairs decks and cards v1 left incomplete', async () => {
		const dbName = name();
		const v1 = openDbV1(dbName);
		await v1.decks.bulkAdd([
			{
				id: 'ok',
				title: 'OK',
				description: '',
				origin: 'user',
				version: 0,
				presetId: 'exam',
				createdAt: 1
			},
			// A deck written before presets were assigned.
			{
				id: 'old',
				title: 'Old',
				description: '',
				origin: 'user',
				version: 0,
				createdAt: 1
			} as never
		]);
		await v1.presets.add(createDefaultPreset({ id: 'exam', name: 'Exam' }));
		await v1.cards.bulkAdd([
			{
				id: 'c1',
				noteId: 'n',
				deckId: 'ok',
				ord: 0,
				queue: 2,
				state: 2,
				due: 5,
				stability: 3,
				difficulty: 5,
				scheduledDays: 3,
				learningSteps: 0,
				reps: 2,
				lapses: 0,
				rev: 4
			},
			{
				id: 'c2',
				noteId: 'n',
				deckId: 'ok',
				ord: 1,
				queue: 0,
				state: 0,
				due: 1,
				stability: 0,
				difficulty: 0,
				scheduledDays: 0,
				learningSteps: 0,
				reps: 0,
				lapses: 0
			} as never
		]);
		await v1.revlog.add({
			cardId: 'c1',
			deckId: 'ok',
			reviewedAt: 9,
			rating: 3,
			state: 0,
			due: 0,
			stability: 3,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 3,
			durationMs: 1000
		});
		v1.close();

		const v2 = openDb(dbName);
		await v2.open();
		expect(v2.verno).toBe(SCHEMA_VERSION);
		expect((await v2.decks.get('ok'))?.presetId).toBe('exam');
		expect((await v2.decks.get('old'))?.presetId).toBe('default');
		expect((await v2.cards.get('c1'))?.rev).toBe(4);
		expect((await v2.cards.get('c2'))?.rev).toBe(0);
		expect(await v2.revlog.count()).toBe(1);
		expect(await v2.presets.get('exam')).toMatchObject({ name: 'Exam' });
		expect(await v2.snapshots.count()).toBe(0);
		await v2.delete();
	});
});

describe('schema v3: review tallies', () => {
	const byKey = (rows: StoredTally[]) =>
		Object.fromEntries(rows.map((t) => [`${t.deckId}|${t.day}`, t]));

	it('v2 → v3 counts the whole review log, page by page, and drops the old statistics cache', async () => {
		const dbName = name();
		const v2 = openDbV2(dbName);
		const now = Date.UTC(2026, 0, 10, 9);
		// More rows than one page of the upgrade's reads, in three decks, with manual entries.
		await seedCollection(v2, {
			cards: 600,
			reviews: 23_000,
			now,
			deckIds: ['a', 'b', 'c'],
			historyDays: 500,
			notes: false
		});
		await v2.revlog.add({
			cardId: 'x',
			deckId: 'a',
			reviewedAt: now - 1000,
			rating: 0,
			state: 2,
			due: now,
			stability: 1,
			difficulty: 5,
			elapsedDays: 0,
			scheduledDays: 3,
			durationMs: 0
		});
		await v2.meta.bulkAdd([
			{ key: 'stats:day-tallies:*', value: { v: 1 } },
			{ key: 'stats:day-tallies:a', value: { v: 1 } },
			{ key: 'lastBackupAt', value: 5 }
		]);
		const log = await v2.revlog.toArray();
		v2.close();

		const v3 = openDb(dbName);
		expect(await openWatched(v3, () => {}, { now: () => Date.UTC(2026, 11, 7) })).toBe(true);
		expect(v3.verno).toBe(SCHEMA_VERSION);
		expect(SCHEMA_VERSION).toBe(8);
		// Version 2 needs no snapshot: the upgrade only adds what the log already says.
		expect(await v3.snapshots.count()).toBe(0);
		expect(await v3.revlog.count()).toBe(23_001);
		const stored = await v3.reviewTallies.toArray();
		expect(byKey(stored)).toEqual(byKey(tallyRows(log)));
		const everyDeck = stored.filter((t) => t.deckId === '');
		expect(everyDeck.reduce((n, t) => n + t.n, 0)).toBe(23_001);
		expect((await v3.meta.toArray()).map((m) => m.key)).toEqual(['lastBackupAt']);
		// From now on the middleware keeps them.
		await v3.revlog.bulkDelete(log.slice(0, 500).map((r) => r.id!));
		expect(byKey(await v3.reviewTallies.toArray())).toEqual(byKey(tallyRows(log.slice(500))));
		await v3.delete();
		// 23,000 reviews seeded and counted: ~13 s on a loaded 2-core machine.
	}, 60_000);

	it('v1 → v3 in one step keeps the reviews and counts them', async () => {
		const dbName = name();
		const v1 = openDbV1(dbName);
		const row = {
			cardId: 'c',
			deckId: 'd',
			reviewedAt: Date.UTC(2025, 5, 1, 12),
			rating: 3 as const,
			state: 2 as const,
			// Due an hour before the review, 31 days after the last: a mature card.
			due: Date.UTC(2025, 5, 1, 11),
			stability: 30,
			difficulty: 5,
			elapsedDays: 31,
			scheduledDays: 60,
			durationMs: 4000
		};
		await v1.revlog.bulkAdd([row, { ...row, rating: 1, reviewedAt: row.reviewedAt + 1 }]);
		v1.close();
		const v3 = openDb(dbName);
		await v3.open();
		const [everyDeck, tally] = await v3.reviewTallies.toArray();
		expect(everyDeck).toEqual({ ...tally, deckId: '' });
		expect(tally).toMatchObject({ deckId: 'd', n: 2 });
		expect([...tally!.slots]).toEqual([48, 2, 8000, 1, 0, 0, 1, 1]);
		await v3.delete();
	});
});

describe('the snapshot before a migration', () => {
	it('keeps a copy of the version-1 collection, restorable after the upgrade', async () => {
		const dbName = name();
		const v1 = openDbV1(dbName);
		await v1.decks.add({
			id: 'd',
			title: 'D',
			description: '',
			origin: 'user',
			version: 0,
			presetId: 'default',
			createdAt: 1
		});
		await v1.notes.add({
			id: 'n',
			deckId: 'd',
			guid: 'n',
			type: 'basic',
			fields: { front: 'q', back: 'a' },
			tags: [],
			position: 0,
			mtime: 1
		});
		await v1.cards.add({
			id: 'c',
			noteId: 'n',
			deckId: 'd',
			ord: 0,
			queue: 0,
			state: 0,
			due: 0,
			stability: 0,
			difficulty: 0,
			scheduledDays: 0,
			learningSteps: 0,
			reps: 0,
			lapses: 0,
			rev: 0
		});
		v1.close();
		const db = openDb(dbName);
		expect(await openWatched(db, () => {}, { now: () => Date.UTC(2026, 11, 7) })).toBe(true);
		const [snapshot] = await listSnapshots(db);
		expect(snapshot).toMatchObject({ reason: 'migration', cards: 1, reviews: 0 });
		await db.cards.clear();
		await restoreSnapshot(db, snapshot!.id, Date.now(), 'UTC');
		expect(await db.cards.get('c')).toMatchObject({ deckId: 'd' });
		await db.delete();
	});
});
