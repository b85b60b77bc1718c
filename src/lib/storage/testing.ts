/** Test helpers for the storage layer: a fresh, uniquely named database per test. */
import { openDb, type RecallDb } from './db';

let n = 0;

export function freshDb(): RecallDb {
	n++;
	return openDb(`recall-test-${Date.now()}-${n}-${Math.random().toString(36).slice(2)}`);
}

export async function dropDb(db: RecallDb): Promise<void> {
	await db.delete();
}
