/** Test helpers for the storage layer: a fresh, uniquely named database per test. */
import { openDb, type RecallDb } from './db';
import type { SyncAccount } from './sync-repo';

let n = 0;

export function freshDb(): RecallDb {
	n++;
	return openDb(`recall-test-${Date.now()}-${n}-${Math.random().toString(36).slice(2)}`);
}

export async function dropDb(db: RecallDb): Promise<void> {
	await db.delete();
}

/** A sync account as sign-in saves it (server, token, epoch), its first sync done: for tests. */
export function testAccount(over: Partial<SyncAccount> = {}): SyncAccount {
	return {
		server: 'http://localhost:1',
		name: 'me',
		userId: 'u',
		deviceId: 'd',
		token: 't',
		epoch: 'e1',
		cursor: 0,
		lastSyncAt: null,
		bootstrap: 'done',
		entities: 'done',
		...over
	};
}
