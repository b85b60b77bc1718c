import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Deck } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { replayCard } from '../core/scheduling/replay';
import { gradeCard } from '../core/scheduling/scheduler';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import { addDeck, addNote, patchCard, reviewState } from './browse-testing';
import {
	addTags,
	buryCards,
	deleteNotesOfCards,
	forgetCards,
	moveCards,
	parseTags,
	removeTags,
	rescheduleCards,
	suspendCards,
	unburyCards,
	unsuspendCards
} from './bulk-actions';
import { undoChanges, UndoConflictError } from './changes';
import type { RecallDb } from './db';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const NOW = Date.UTC(2026, 10, 23, 12);
const TOMORROW = Date.UTC(2026, 10, 24, 4);
const DAY = 86_400_000;

let db: RecallDb;
let deck: Deck;
let other: Deck;
let ids: string[];

beforeEach(async () => {
	db = freshDb();
	deck = await addDeck(db, 'Deck');
	other = await addDeck(db, 'Other');
	const a = await addNote(db, deck.id, { fields: { front: 'a', back: 'A' }, tags: ['x'] });
	const b = await addNote(db, deck.id, { type: 'reversed', fields: { front: 'b', back: 'B' } });
	ids = [...a.cards, ...b.cards].map((c) => c.id);
	await patchCard(db, ids[0]!, reviewState(NOW, 10, 10, 0));
});

afterEach(async () => {
	await dropDb(db);
});

const all = async (): Promise<Card[]> => (await db.cards.bulkGet(ids)) as Card[];
const queues = async () => (await all()).map((c) => c.queue);

describe('bulk actions on cards, one transaction each, undoable', () => {
	it('suspends and unsuspends only the cards that change, and undoes', async () => {
		const before = await all();
		const suspended = await suspendCards(db, ids);
		expect(await queues()).toEqual([Queue.Suspended, Queue.Suspended, Queue.Suspended]);
		expect(suspended.cards).toHaveLength(3);
		expect((await suspendCards(db, ids)).cards).toHaveLength(0);
		await undoChanges(db, suspended);
		expect(await all()).toEqual(before);

		await suspendCards(db, [ids[0]!]);
		const restored = await unsuspendCards(db, ids);
		expect(restored.cards.map((c) => c.after?.id)).toEqual([ids[0]]);
		expect(await queues()).toEqual([Queue.Review, Queue.New, Queue.New]);
	});

	it('buries until the next study day, leaves suspended cards alone, unburies', async () => {
		await suspendCards(db, [ids[1]!]);
		const buried = await buryCards(db, ids, TOMORROW);
		expect(await queues()).toEqual([Queue.Buried, Queue.Suspended, Queue.Buried]);
		expect((await all())[0]?.buriedUntil).toBe(TOMORROW);
		expect(buried.cards).toHaveLength(2);
		await unburyCards(db, ids);
		expect(await queues()).toEqual([Queue.Review, Queue.Suspended, Queue.New]);
	});

	it('forgets studied cards with a reset row in the review log, undone with the row', async () => {
		const forgotten = await forgetCards(db, ids, NOW);
		const [card] = await all();
		expect(card).toMatchObject({ state: CardState.New, queue: Queue.New, stability: 0, reps: 3 });
		const logs = await db.revlog.toArray();
		expect(logs).toMatchObject([{ cardId: ids[0], rating: 0, stability: 0, scheduledDays: 0 }]);
		expect(forgotten.revlog[0]?.after?.id).toBe(logs[0]?.id);
		await undoChanges(db, forgotten);
		expect(await db.revlog.count()).toBe(0);
		expect((await all())[0]?.state).toBe(CardState.Review);
	});

	it('sets a due date, and replaying the review log gives the same card', async () => {
		const card = (await all())[1]!;
		const graded = gradeCard(card, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, card, graded.card, graded.log, null);
		await rescheduleCards(db, ids, 5, NOW + 1000, 'UTC');
		const [studied, learnt, fresh] = await all();
		expect(studied).toMatchObject({ state: CardState.Review, scheduledDays: 5, stability: 10 });
		expect(learnt).toMatchObject({
			state: CardState.Review,
			queue: Queue.Review,
			scheduledDays: 5
		});
		expect(learnt?.due).toBe(NOW + 1000 + 5 * DAY);
		expect(learnt?.stability).toBe(graded.card.stability);
		expect(fresh).toMatchObject({ state: CardState.Review, scheduledDays: 5, stability: 0 });
		const logs = await db.revlog.where('cardId').equals(ids[1]!).toArray();
		expect(logs.map((l) => l.rating)).toEqual([3, 0]);
		const replayed = replayCard(learnt!, logs, DEFAULT_PRESET, { timeZone: 'UTC' });
		expect(replayed).toMatchObject({
			due: learnt?.due,
			scheduledDays: 5,
			state: CardState.Review,
			stability: learnt?.stability
		});
	});

	it('moves cards, and a note whose cards all moved follows them', async () => {
		const moved = await moveCards(db, [ids[1]!, ids[2]!, ids[0]!], other.id);
		expect((await all()).map((c) => c.deckId)).toEqual([other.id, other.id, other.id]);
		const notes = await db.notes.toArray();
		expect(notes.map((n) => n.deckId)).toEqual([other.id, other.id]);
		expect(moved.keptBuiltin).toBe(0);
		await undoChanges(db, moved.changes);
		expect((await all()).map((c) => c.deckId)).toEqual([deck.id, deck.id, deck.id]);
		expect((await db.notes.toArray()).map((n) => n.deckId)).toEqual([deck.id, deck.id]);

		await moveCards(db, [ids[1]!], other.id);
		expect((await db.notes.get((await all())[1]!.noteId))?.deckId).toBe(deck.id);
	});

	it('leaves cards of built-in decks where they are (their updates find cards by deck)', async () => {
		await syncBuiltinDeck(db, recallDeck({ id: 'builtin', notes: [deckNote({ id: 'q' })] }), NOW);
		const moved = await moveCards(db, ['builtin/q/0', ids[0]!], other.id);
		expect(moved.keptBuiltin).toBe(1);
		expect((await db.cards.get('builtin/q/0'))?.deckId).toBe('builtin');
		expect((await all())[0]?.deckId).toBe(other.id);
		await moveCards(db, [ids[0]!], 'builtin');
		expect((await all())[0]?.deckId).toBe('builtin');
		expect((await db.notes.get((await all())[0]!.noteId))?.deckId).toBe(other.id);
	});

	it('adds and removes tags on the notes, ignoring case, and clears a leech mark on cards', async () => {
		expect(parseTags('  verbs Verbs  lang::fr ')).toEqual(['verbs', 'lang::fr']);
		const added = await addTags(db, ids, ['X', 'leech'], NOW);
		const [a, b] = await all();
		expect((await db.notes.get(a!.noteId))?.tags).toEqual(['x', 'leech']);
		expect((await db.notes.get(b!.noteId))?.tags).toEqual(['X', 'leech']);
		expect(added.notes).toHaveLength(2);
		await patchCard(db, ids[0]!, { tags: ['leech'] });
		await removeTags(db, ids, ['LEECH', 'x'], NOW + 1);
		expect((await db.notes.toArray()).map((n) => n.tags)).toEqual([[], []]);
		expect((await all())[0]?.tags).toEqual([]);
	});

	it('deletes notes with all their cards and reviews, and undo brings everything back', async () => {
		const card = (await all())[0]!;
		const graded = gradeCard(card, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, card, graded.card, graded.log, null);
		const before = {
			cards: await db.cards.toArray(),
			notes: await db.notes.toArray(),
			logs: await db.revlog.toArray()
		};

		const deleted = await deleteNotesOfCards(db, [ids[0]!, ids[1]!]);
		expect(await db.notes.count()).toBe(0);
		expect(await db.cards.count()).toBe(0);
		expect(await db.revlog.count()).toBe(0);

		await undoChanges(db, deleted);
		expect(await db.cards.toArray()).toEqual(before.cards);
		expect(await db.notes.toArray()).toEqual(before.notes);
		expect(await db.revlog.toArray()).toEqual(before.logs);
	});

	it('refuses to undo when a card changed since, and writes nothing', async () => {
		const suspended = await suspendCards(db, ids);
		await unsuspendCards(db, [ids[2]!]);
		await expect(undoChanges(db, suspended)).rejects.toBeInstanceOf(UndoConflictError);
		expect(await queues()).toEqual([Queue.Suspended, Queue.Suspended, Queue.New]);
	});
});
