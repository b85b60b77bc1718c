/** Every schema version is tested on data of the version before it. */
import { describe, expect, it } from 'vitest';
import { createDefaultPreset } from '../core/scheduling/preset';
import { openDb, openDbV1, SCHEMA_VERSION } from './db';
import { openWatched } from './health';
import { listSnapshots, restoreSnapshot } from './snapshots';

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
		expect(await openWatched(db, () => {})).toBe(true);
		const [snapshot] = await listSnapshots(db);
		expect(snapshot).toMatchObject({ reason: 'migration', cards: 1, reviews: 0 });
		await db.cards.clear();
		await restoreSnapshot(db, snapshot!.id, Date.now(), 'UTC');
		expect(await db.cards.get('c')).toMatchObject({ deckId: 'd' });
		await db.delete();
	});
});
