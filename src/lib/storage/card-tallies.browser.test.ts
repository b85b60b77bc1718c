/**
 * The card tallies kept by the DBCore middleware, against real IndexedDB: after a random mix of
 * every path that writes cards, the statistics the stored tallies add up to must equal a count of
 * the cards from scratch, for the whole collection and each deck, in several zones and times.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyBundle } from '../core/import';
import { Queue, type Card, type Grade, type RevlogEntry } from '../core/model';
import { seededRandom } from '../core/random';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import {
	cardStats,
	cardStatsFromTallies,
	cardTallyRows,
	type CardStats,
	type CardStatsContext
} from '../core/stats';
import {
	buryCards,
	deleteNotesOfCards,
	forgetCards,
	moveCards,
	rescheduleCards,
	suspendCards,
	unsuspendCards
} from './bulk-actions';
import { cardTallyRowsOf } from './card-tallies';
import { undoChanges, type ChangeSet } from './changes';
import { openDb, openDbV4, type RecallDb } from './db';
import { deleteDeck } from './deck-repo';
import { writeImport } from './import-repo';
import { saveGrade, undoGrade, type GradeRecord } from './review-repo';
import { countCardStats, loadCardStats } from './stats-repo';
import { dropDb, freshDb } from './testing';
import { seedCollection } from './testing-seed';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;
const DECKS = ['a', 'b', 'c'];

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	await seedCollection(db, { cards: 600, reviews: 0, now: NOW, deckIds: DECKS, seed: 7 });
});
afterEach(async () => {
	vi.restoreAllMocks();
	await dropDb(db);
});

/**
 * Where `a` and `b` differ, or null. Floating-point sums depend on the order they are added in:
 * numbers agree within 1e-9 of their size; everything else exactly.
 */
function difference(a: unknown, b: unknown, path = ''): string | null {
	if (typeof a === 'number' && typeof b === 'number') {
		const close = a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
		return close ? null : `${path}: ${a} ≠ ${b}`;
	}
	if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
		return Object.is(a, b) ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
	}
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const k of keys) {
		const d = difference(
			(a as Record<string, unknown>)[k],
			(b as Record<string, unknown>)[k],
			`${path}.${k}`
		);
		if (d) return d;
	}
	return null;
}

function expectSame(tallied: CardStats, counted: CardStats): void {
	expect(difference(tallied, counted)).toBeNull();
	// And not vacuously: the figures are there.
	expect(tallied.counts.total).toBe(counted.counts.total);
}

const contexts = (now: number): CardStatsContext[] => [
	{ now, dayStartHour: 4, timeZone: 'Europe/Berlin', presetFor: () => DEFAULT_PRESET },
	{
		now: now + 7 * DAY + 3_600_000,
		dayStartHour: 0,
		timeZone: 'Asia/Kathmandu',
		presetFor: () => DEFAULT_PRESET
	},
	{ now, dayStartHour: 23, timeZone: 'America/St_Johns', presetFor: () => DEFAULT_PRESET }
];

/** The stored tallies add up to what every card counted afresh gives, in every scope. */
async function expectInStep(now = NOW): Promise<void> {
	const cards = await db.cards.toArray();
	const rows = await db.cardTallies.toArray();
	const decks = [...new Set([...DECKS, ...cards.map((c) => c.deckId)])];
	for (const ctx of contexts(now)) {
		expectSame(cardStatsFromTallies(rows, ctx), cardStats(cards, ctx));
		for (const deck of decks) {
			const mine = await cardTallyRowsOf(db, deck).toArray();
			const expected = cardStats(
				cards.filter((c) => c.deckId === deck),
				ctx
			);
			expectSame(cardStatsFromTallies(mine, ctx), expected);
		}
	}
	// No row is left behind empty.
	expect(rows.every((r) => r.n > 0)).toBe(true);
}

describe('card tallies', () => {
	it('are counted for cards as they are added (the seed) and match a recount row for row', async () => {
		const rows = await db.cardTallies.toArray();
		expect(rows.length).toBeGreaterThan(DECKS.length * 3);
		const fresh = cardTallyRows(await db.cards.toArray());
		expect(rows.length).toBe(fresh.length);
		await expectInStep();
	});

	it('stay equal to a full recount through a random mix of writes', async () => {
		const rnd = seededRandom(42);
		const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
		const someIds = async (n: number) => {
			const ids = (await db.cards.toCollection().primaryKeys()) as string[];
			return Array.from({ length: n }, () => pick(ids));
		};
		const grades: GradeRecord[] = [];
		const undoable: ChangeSet[] = [];
		let now = NOW;
		let imported = 0;
		const done = new Map<string, number>();
		for (let step = 0; step < 70; step++) {
			now += Math.floor(rnd() * 6 * 3_600_000);
			const op = pick([
				'grade',
				'grade',
				'grade',
				'undoGrade',
				'import',
				'delete',
				'suspend',
				'unsuspend',
				'bury',
				'reschedule',
				'forget',
				'move',
				'deleteDeck',
				'undo'
			] as const);
			done.set(op, (done.get(op) ?? 0) + 1);
			switch (op) {
				case 'grade': {
					const cards = (await db.cards.toArray()).filter((c) => c.queue >= 0);
					for (let i = 0; i < 5 && cards.length > 0; i++) {
						const before = pick(cards);
						const r = gradeCard(
							before,
							(1 + Math.floor(rnd() * 4)) as Grade,
							DEFAULT_PRESET,
							now + i * 9000,
							{
								timeZone: 'UTC'
							}
						);
						const fresh = await db.cards.get(before.id);
						if (!fresh || fresh.rev !== before.rev) continue;
						grades.push(await saveGrade(db, before, r.card, r.log, now + DAY));
						cards.splice(cards.indexOf(before), 1);
					}
					break;
				}
				case 'undoGrade': {
					const record = grades.pop();
					const current = record && (await db.cards.get(record.after.id));
					if (record && current?.rev === record.after.rev) await undoGrade(db, record);
					break;
				}
				case 'import': {
					const source = freshDb();
					try {
						imported++;
						await seedCollection(source, {
							cards: 40,
							reviews: 60,
							now,
							deckIds: [`imp${imported}`, 'a'],
							seed: 100 + imported
						});
						const bundle = {
							...emptyBundle(),
							decks: (await source.decks.toArray()).filter((d) => d.id !== 'a'),
							notes: (await source.notes.toArray()).map((n) => ({
								...n,
								id: `i${imported}${n.id}`,
								guid: `i${imported}${n.guid}`
							})),
							cards: (await source.cards.toArray()).map((c) => ({
								...c,
								id: `i${imported}${c.id}`,
								noteId: `i${imported}${c.noteId}`
							})),
							revlog: (await source.revlog.toArray()).map(
								({ id: _, ...r }) => ({ ...r, cardId: `i${imported}${r.cardId}` }) as RevlogEntry
							)
						};
						await writeImport(db, bundle, { chunkSize: 25 });
					} finally {
						await dropDb(source);
					}
					break;
				}
				case 'delete':
					undoable.push(await deleteNotesOfCards(db, await someIds(4)));
					break;
				case 'suspend':
					undoable.push(await suspendCards(db, await someIds(6)));
					break;
				case 'unsuspend': {
					const held = await db.cards.filter((c) => c.queue === Queue.Suspended).primaryKeys();
					undoable.push(await unsuspendCards(db, held.slice(0, 5) as string[]));
					break;
				}
				case 'bury':
					undoable.push(await buryCards(db, await someIds(5), now + DAY));
					break;
				case 'reschedule': {
					const ids = await someIds(6);
					undoable.push(
						await rescheduleCards(db, ids, Math.floor(rnd() * 40), now, 'Europe/Berlin')
					);
					break;
				}
				case 'forget':
					undoable.push(await forgetCards(db, await someIds(3), now));
					break;
				case 'move':
					undoable.push((await moveCards(db, await someIds(5), pick(DECKS))).changes);
					break;
				case 'deleteDeck': {
					const decks = (await db.decks.toArray())
						.map((d) => d.id)
						.filter((id) => id.startsWith('imp'));
					if (decks.length > 0) undoable.push(await deleteDeck(db, pick(decks)));
					break;
				}
				case 'undo': {
					const changes = undoable.pop();
					if (changes)
						await undoChanges(db, changes).catch((e: unknown) => {
							if (!(e instanceof Error) || e.name !== 'UndoConflictError') throw e;
						});
					break;
				}
			}
			if (step % 5 === 4) await expectInStep(now);
		}
		await expectInStep(now);
		// The mix did exercise every kind of write (grades three times as often).
		expect(done.size).toBe(12);
		expect(done.get('grade')).toBeGreaterThan(5);
	}, 120_000);

	it('loadCardStats (tallies) equals countCardStats (every card) and needs no recount', async () => {
		const warn = vi.spyOn(console, 'warn');
		for (const deckId of [null, 'b']) {
			const q = { deckId, now: NOW, timeZone: 'Europe/Berlin' };
			expectSame(await loadCardStats(db, q), await countCardStats(db, q));
		}
		expect(warn).not.toHaveBeenCalled();
	});

	it('notices tallies that disagree with the cards and counts them afresh', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		await db.cardTallies.clear();
		const q = { deckId: null, now: NOW, timeZone: 'UTC' };
		expectSame(await loadCardStats(db, q), await countCardStats(db, q));
		expect(warn).toHaveBeenCalledOnce();
		await expectInStep();
	});

	it('are emptied with the cards by clear()', async () => {
		await db.cards.clear();
		expect(await db.cardTallies.count()).toBe(0);
	});

	it('abort with a transaction that fails, leaving cards and tallies as they were', async () => {
		const before = await db.cardTallies.toArray();
		await expect(
			db.transaction('rw', db.cards, async () => {
				await db.cards.bulkDelete(await someCardIds(20));
				throw new Error('stop');
			})
		).rejects.toThrow('stop');
		expect(await db.cardTallies.toArray()).toEqual(before);
		await expectInStep();
	});
});

async function someCardIds(n: number): Promise<string[]> {
	return ((await db.cards.toCollection().primaryKeys()) as string[]).slice(0, n);
}

describe('schema version 6 upgrade', () => {
	it('builds the card tallies from version-4 data, keeping every card and review', async () => {
		const name = `recall-v4-${Date.now()}-${Math.random().toString(36).slice(2)}`;
		const v4 = openDbV4(name);
		await seedCollection(v4, { cards: 900, reviews: 3000, now: NOW, deckIds: DECKS, seed: 3 });
		const cards: Card[] = await v4.cards.toArray();
		const reviews = await v4.revlog.count();
		expect(v4.tables.map((t) => t.name)).not.toContain('cardTallies');
		v4.close();
		const v6 = openDb(name);
		try {
			expect(await v6.cards.toArray()).toEqual(cards);
			expect(await v6.revlog.count()).toBe(reviews);
			const rows = await v6.cardTallies.toArray();
			for (const ctx of contexts(NOW)) {
				expectSame(cardStatsFromTallies(rows, ctx), cardStats(cards, ctx));
			}
			// And kept up to date from then on.
			const before = cards.find((c) => c.state === 2)!;
			const r = gradeCard(before, 1, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
			await saveGrade(v6, before, r.card, r.log, null);
			const after = await v6.cards.toArray();
			const ctx = contexts(NOW)[0]!;
			expectSame(cardStatsFromTallies(await v6.cardTallies.toArray(), ctx), cardStats(after, ctx));
		} finally {
			await v6.delete();
		}
	});
});
