import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { listSnapshots, maybeDailySnapshot, restoreSnapshot, takeSnapshot } from './snapshots';
import { dropDb, freshDb } from './testing';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12);
let db: RecallDb;

beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({ id: 'deck', notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })] }),
		NOW - DAY
	);
});
afterEach(async () => {
	await dropDb(db);
});

describe('local snapshots', () => {
	it('restores the collection exactly as it was, and keeps the state before as a snapshot', async () => {
		const before = { cards: await db.cards.toArray(), notes: await db.notes.toArray() };
		const id = (await takeSnapshot(db, 'import', NOW, 'UTC'))!;
		await db.cards.clear();
		await db.notes.delete('deck/a');
		const counts = await restoreSnapshot(db, id, NOW + 1000, 'UTC');
		expect(counts).toMatchObject({ cards: 2, notes: 2 });
		expect(await db.cards.toArray()).toEqual(before.cards);
		expect(await db.notes.toArray()).toEqual(before.notes);
		expect((await listSnapshots(db)).map((s) => s.reason)).toEqual(['restore', 'import']);
	});

	it('takes one daily snapshot per study day and keeps 7 daily + 4 weekly', async () => {
		expect(await maybeDailySnapshot(db, NOW, 'UTC')).toBe(true);
		expect(await maybeDailySnapshot(db, NOW + 3_600_000, 'UTC')).toBe(false);
		for (let d = 1; d <= 40; d++) await maybeDailySnapshot(db, NOW + d * DAY, 'UTC');
		const kept = await listSnapshots(db);
		expect(kept).toHaveLength(11);
		expect(kept[0]!.createdAt).toBe(NOW + 40 * DAY);
		expect(kept.every((s) => s.reason === 'daily' && s.cards === 2 && s.bytes > 0)).toBe(true);
	});

	it('does not snapshot an empty collection', async () => {
		await db.cards.clear();
		await db.notes.clear();
		expect(await takeSnapshot(db, 'daily', NOW, 'UTC')).toBeNull();
	});
});
