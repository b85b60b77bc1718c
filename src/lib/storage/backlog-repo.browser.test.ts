import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card, Deck } from '../core/model';
import { planSpread } from '../core/scheduling/backlog';
import { replayCard } from '../core/scheduling/replay';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { applyBacklogMoves, readAhead, readBacklog } from './backlog-repo';
import { addDeck, addNote, patchCard, reviewState } from './browse-testing';
import { undoChanges, UndoConflictError } from './changes';
import type { RecallDb } from './db';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;
const TZ = 'UTC';

let db: RecallDb;
let deck: Deck;
let due: Card[];

beforeEach(async () => {
	db = freshDb();
	deck = await addDeck(db, 'Deck');
	due = [];
	for (let i = 0; i < 20; i++) {
		const { cards } = await addNote(db, deck.id);
		// 16 overdue reviews of varied stability, 4 falling due in 2 days.
		const state =
			i < 16 ? reviewState(NOW, 10 + i, 2 + i, -(1 + (i % 5))) : reviewState(NOW, 3, 9, 2);
		due.push(await patchCard(db, cards[0]!.id, state));
	}
	// 14 study days of 2 answers each (the tallies are kept by the review-log middleware).
	const logs = [];
	for (let d = 1; d <= 14; d++) {
		for (let k = 0; k < 2; k++) {
			logs.push({
				cardId: due[k]!.id,
				deckId: deck.id,
				reviewedAt: NOW - d * DAY + k * 60_000,
				rating: 3 as const,
				state: 2 as const,
				due: NOW - d * DAY,
				stability: 5,
				difficulty: 5,
				elapsedDays: 2,
				scheduledDays: 3,
				durationMs: 4000
			});
		}
	}
	await db.revlog.bulkAdd(logs);
});

afterEach(async () => {
	await dropDb(db);
});

describe('backlog-repo', () => {
	it('reads the due reviews, the usual load from the tallies and the days ahead', async () => {
		const read = await readBacklog(db, NOW, TZ);
		expect(read.due.map((i) => i.card.id).sort()).toEqual(
			due
				.slice(0, 16)
				.map((c) => c.id)
				.sort()
		);
		expect(read.usual).toEqual({ average: 2, days: 14, secondsPerReview: 4 });
		expect(read.existing[2]).toBe(4);
		expect(await readAhead(db, NOW, 1, TZ)).toBe(0);
		expect(await readAhead(db, NOW, 3, TZ)).toBe(4);
	});

	it('writes a spread in one transaction as manual reschedules, and undoes it exactly', async () => {
		const read = await readBacklog(db, NOW, TZ);
		const plan = planSpread(read.due, {
			now: NOW,
			timeZone: TZ,
			days: 8,
			cap: 2,
			existing: read.existing
		});
		const before = await db.cards.toArray();
		const logsBefore = await db.revlog.count();
		const { changes, skipped } = await applyBacklogMoves(db, plan.moves, NOW);
		expect(skipped).toBe(0);
		expect(changes.cards).toHaveLength(plan.moves.length);
		const manual = await db.revlog
			.where('cardId')
			.anyOf(plan.moves.map((m) => m.item.card.id))
			.filter((l) => l.rating === 0)
			.toArray();
		expect(manual).toHaveLength(plan.moves.length);
		// Replaying each moved card's log gives the stored card's due back.
		for (const move of plan.moves) {
			const stored = (await db.cards.get(move.item.card.id))!;
			expect(stored.due).toBe(move.due);
			const logs = await db.revlog.where('cardId').equals(stored.id).toArray();
			const replayed = replayCard(
				stored,
				logs,
				{ ...DEFAULT_PRESET, dayStartHour: 4 },
				{ timeZone: TZ }
			);
			expect(replayed.due).toBe(stored.due);
		}
		await undoChanges(db, changes);
		expect(await db.revlog.count()).toBe(logsBefore);
		const after = await db.cards.toArray();
		expect(after.map((c) => [c.id, c.due, c.rev])).toEqual(before.map((c) => [c.id, c.due, c.rev]));
	});

	it('leaves a card answered since the plan alone, and refuses an undo over a later change', async () => {
		const read = await readBacklog(db, NOW, TZ);
		const plan = planSpread(read.due, { now: NOW, timeZone: TZ, days: 8, cap: 2 });
		const answered = plan.moves[0]!.item.card.id;
		await patchCard(db, answered, { due: NOW + 5 * DAY });
		const { changes, skipped } = await applyBacklogMoves(db, plan.moves, NOW);
		expect(skipped).toBe(1);
		expect(changes.cards.map((c) => c.before!.id)).not.toContain(answered);
		await patchCard(db, changes.cards[0]!.before!.id, { due: NOW });
		await expect(undoChanges(db, changes)).rejects.toThrow(UndoConflictError);
	});
});
