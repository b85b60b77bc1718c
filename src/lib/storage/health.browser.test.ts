import { describe, expect, it } from 'vitest';
import { openDb, openDbV2 } from './db';
import {
	classifyDbError,
	describeDbError,
	openWatched,
	STORAGE_FULL_MESSAGE,
	type DbProblem
} from './health';

function rawOpen(name: string, version: number): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(name, version);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

const NOW = Date.UTC(2026, 11, 7, 9);
const uniqueName = () => `recall-health-${Math.random().toString(36).slice(2)}`;

describe('opening the database', () => {
	it('says "Please update" for a database written by a newer version, without crashing', async () => {
		const name = uniqueName();
		(await rawOpen(name, 990)).close();
		const problems: DbProblem[] = [];
		const ok = await openWatched(openDb(name), (p) => problems.push(p), { now: () => NOW });
		expect(ok).toBe(false);
		expect(problems).toEqual(['newer-version']);
		indexedDB.deleteDatabase(name);
	});

	it('says while a schema migration runs, and not on an ordinary start', async () => {
		const name = uniqueName();
		const old = openDbV2(name);
		await old.revlog.add({
			cardId: 'c',
			deckId: 'd',
			reviewedAt: Date.UTC(2026, 10, 20, 9),
			rating: 3,
			state: 2,
			due: Date.UTC(2026, 10, 20),
			stability: 10,
			difficulty: 5,
			elapsedDays: 10,
			scheduledDays: 20,
			durationMs: 5000
		});
		old.close();
		const upgrading: boolean[] = [];
		const db = openDb(name);
		const ok = await openWatched(db, () => {}, {
			now: () => NOW,
			migrating: (running) => upgrading.push(running)
		});
		expect(ok).toBe(true);
		expect(upgrading).toEqual([true, false]);
		expect(await db.revlog.count()).toBe(1);
		db.close();
		const again: boolean[] = [];
		const reopened = openDb(name);
		expect(
			await openWatched(reopened, () => {}, {
				now: () => NOW,
				migrating: (running) => again.push(running)
			})
		).toBe(true);
		expect(again).toEqual([]);
		reopened.close();
		indexedDB.deleteDatabase(name);
	});

	it('steps aside when another tab upgrades the database, instead of blocking it', async () => {
		const name = uniqueName();
		const db = openDb(name);
		const problems: DbProblem[] = [];
		expect(await openWatched(db, (p) => problems.push(p), { now: () => NOW })).toBe(true);
		// The "other tab": a newer schema version of the same database.
		const newer = await rawOpen(name, 990);
		expect(newer.version).toBe(990);
		expect(problems).toEqual(['upgraded-elsewhere']);
		expect(db.isOpen()).toBe(false);
		newer.close();
		indexedDB.deleteDatabase(name);
	});
});

describe('errors in words', () => {
	it('recognises a full disk, plain or wrapped', () => {
		const quota = new DOMException('full', 'QuotaExceededError');
		expect(classifyDbError(quota)).toBe('quota');
		expect(
			classifyDbError({ name: 'AbortError', inner: { name: 'AbortError', inner: quota } })
		).toBe('quota');
		expect(describeDbError(quota)).toBe(STORAGE_FULL_MESSAGE);
		expect(describeDbError(new Error('boom'))).toMatch(
			/could not be saved \(boom\)\. Nothing was changed/
		);
	});
});
