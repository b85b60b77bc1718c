/**
 * The pull written by the pull worker (its own connection, off the page's thread) ends in the
 * same store as the pull written on the page's thread: the same log, cards, tallies and cursor;
 * a reply from a restored server writes nothing; the page hands the first page of a long pull
 * to the worker instead of writing it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PullReply, ReviewRecord } from '../core/sync/protocol';
import { toReviewRecord } from '../core/sync/protocol';
import type { RecallDb } from '../storage/db';
import { getSyncAccount, saveSyncAccount } from '../storage/sync-repo';
import { dropDb, freshDb, testAccount } from '../storage/testing';
import { seedCollection } from '../storage/testing-seed';
import { writeInThread, writeInWorker, type PullWriter } from './pull-client';

const NOW = Date.UTC(2026, 10, 23, 3);
const CARDS = 60;
const PER_CARD = 4;

const opened: RecallDb[] = [];
afterEach(async () => {
	for (const db of opened.splice(0)) await dropDb(db);
});

async function device(): Promise<RecallDb> {
	const db = freshDb();
	opened.push(db);
	await seedCollection(db, { cards: CARDS, reviews: 0, now: NOW, deckIds: ['seed'] });
	await saveSyncAccount(db, testAccount());
	return db;
}

/** Another device's log of the seeded cards, in time order: review `seq` is card `seq % CARDS`. */
function remoteLog(): (ReviewRecord & { seq: number })[] {
	return Array.from({ length: CARDS * PER_CARD }, (_, i) => {
		const k = Math.floor(i / CARDS);
		const cardId = `seed/s${i % CARDS}/0`;
		const reviewedAt = NOW - (PER_CARD - k) * 20 * 86_400_000 + (i % CARDS) * 1000;
		const review = toReviewRecord({
			cardId,
			deckId: 'seed',
			reviewedAt,
			rating: k === 1 ? 1 : 3,
			state: k === 0 ? 0 : 2,
			due: reviewedAt + 20 * 86_400_000,
			stability: 20,
			difficulty: 5,
			elapsedDays: k === 0 ? 0 : 20,
			scheduledDays: 20,
			durationMs: 4000
		});
		return { ...review, seq: i + 1 };
	});
}

/** The server's pull replies for `records`, `limit` a page, as text (as the page fetches them). */
function replies(records: (ReviewRecord & { seq: number })[], limit: number, epoch = 'e1') {
	const out: string[] = [];
	for (let after = 0; after < records.length || out.length === 0; after += limit) {
		const page = records.slice(after, after + limit);
		const reply: PullReply = {
			epoch,
			records: page,
			cursor: page.at(-1)?.seq ?? after,
			done: after + limit >= records.length,
			head: records.length,
			serverTime: NOW
		};
		out.push(JSON.stringify(reply));
	}
	return out;
}

/** The sync loop's pull with `writer`: every page, then the replay of what it marked. */
async function pull(db: RecallDb, writer: PullWriter, pages: string[]) {
	const chunks: number[] = [];
	let paged = false;
	try {
		for (const text of pages) {
			const account = (await getSyncAccount(db))!;
			const outcome = await writer.page(text, account, paged, (cursor) => chunks.push(cursor));
			if (outcome.kind !== 'written') throw new Error(`not written: ${outcome.kind}`);
			paged = outcome.paged;
		}
		const replayed = await writer.replay(() => {});
		return { chunks, replayed };
	} finally {
		writer.close();
	}
}

async function store(db: RecallDb) {
	const log = (await db.revlog.toArray()).map((l) => toReviewRecord(l).id).sort();
	const cards = (await db.cards.orderBy('id').toArray()).map((c) => ({ ...c, rev: 0 }));
	const tallies = await db.reviewTallies.orderBy('[deckId+day]').toArray();
	return { log, cards, tallies, cursor: (await getSyncAccount(db))!.cursor };
}

describe('the pull worker', () => {
	it('writes a pull of many pages and replays its cards as the page would', async () => {
		const records = remoteLog();
		const pages = replies(records, 100);
		expect(pages).toHaveLength(3);
		const [a, b] = [await device(), await device()];
		const inWorker = await pull(a, writeInWorker(a), pages);
		const inThread = await pull(b, writeInThread(b), pages);
		expect(inWorker.replayed).toBe(CARDS);
		expect(inThread.replayed).toBe(CARDS);
		// Progress after each chunk of 250 (the page's chunks of 100 are one chunk each here).
		expect(inWorker.chunks).toEqual([100, 200, 240]);
		const [sa, sb] = [await store(a), await store(b)];
		expect(sa.log).toHaveLength(CARDS * PER_CARD);
		expect(sa.cursor).toBe(CARDS * PER_CARD);
		expect(sa.cards.every((c) => c.reps === PER_CARD)).toBe(true);
		expect(sa).toEqual(sb);
		// Nothing pulled is queued to push back.
		expect(await a.syncOutbox.count()).toBe(0);
	});

	it('a reply from a restored server (another epoch) writes nothing and says so', async () => {
		const db = await device();
		const writer = writeInWorker(db);
		try {
			const [text] = replies(remoteLog(), 100, 'e2');
			const account = (await getSyncAccount(db))!;
			expect(await writer.page(text!, account, false, () => {})).toEqual({
				kind: 'restart',
				epoch: 'e2',
				serverTime: NOW
			});
		} finally {
			writer.close();
		}
		expect(await db.revlog.count()).toBe(0);
		expect((await getSyncAccount(db))!.cursor).toBe(0);
	});

	it('on the page, the first page of a long pull is handed over unwritten; a single page is written', async () => {
		const db = await device();
		const records = remoteLog();
		const account = (await getSyncAccount(db))!;
		const writer = writeInThread(db, { handOff: true });
		const [first] = replies(records, 100);
		expect(await writer.page(first!, account, false, () => {})).toEqual({ kind: 'many' });
		expect(await db.revlog.count()).toBe(0);
		const [whole] = replies(records.slice(0, 50), 100);
		const outcome = await writer.page(whole!, account, false, () => {});
		expect(outcome).toMatchObject({ kind: 'written', paged: false, done: true });
		expect(await db.revlog.count()).toBe(50);
	});
});
