/** Test helpers for the browser's storage: user decks and notes, cards put in a given state. */
import { CardState, Queue, type Card, type Deck, type Note } from '../core/model';
import type { RecallDb } from './db';
import { createDeck } from './deck-repo';
import { createNote, type NoteInput } from './note-repo';

export async function addDeck(db: RecallDb, title: string, now = 0): Promise<Deck> {
	return (await createDeck(db, { title }, now)).deck;
}

let seq = 0;

export async function addNote(
	db: RecallDb,
	deckId: string,
	overrides: Partial<NoteInput> = {},
	now = 0
): Promise<{ note: Note; cards: Card[] }> {
	seq++;
	return createNote(
		db,
		{
			deckId,
			type: 'basic',
			fields: { front: `Question ${seq}`, back: `Answer ${seq}` },
			tags: [],
			...overrides
		},
		now
	);
}

/** Changes stored cards directly (a test's shortcut past the scheduler). */
export async function patchCard(db: RecallDb, id: string, patch: Partial<Card>): Promise<Card> {
	const card = await db.cards.get(id);
	if (!card) throw new Error(`no card ${id}`);
	const next = { ...card, ...patch, rev: card.rev + 1 };
	await db.cards.put(next);
	return next;
}

/** A card in review: last seen `daysAgo` days before `now` with stability `stability`. */
export function reviewState(now: number, daysAgo: number, stability: number, dueInDays: number) {
	const DAY = 86_400_000;
	return {
		state: CardState.Review,
		queue: Queue.Review,
		stability,
		difficulty: 5,
		scheduledDays: daysAgo + dueInDays,
		reps: 3,
		lastReview: now - daysAgo * DAY,
		due: now + dueInDays * DAY
	} satisfies Partial<Card>;
}

/**
 * `count` basic notes with one card each, written straight to the tables (the fastest way to a
 * large collection). Every tenth card is in review, every hundredth suspended.
 */
export async function bulkCollection(db: RecallDb, deckId: string, count: number, now: number) {
	const notes: Note[] = [];
	const cards: Card[] = [];
	for (let i = 0; i < count; i++) {
		const id = `bulk-${i}`;
		notes.push({
			id,
			deckId,
			guid: id,
			type: 'basic',
			fields: { front: `Question number ${i} about topic ${i % 97}`, back: `Answer ${i}` },
			tags: i % 50 === 0 ? ['rare'] : ['common', `group::${i % 7}`],
			position: i,
			mtime: now
		});
		const base: Card = {
			id: `${id}/0`,
			noteId: id,
			deckId,
			ord: 0,
			queue: Queue.New,
			state: CardState.New,
			due: i * 100,
			stability: 0,
			difficulty: 0,
			scheduledDays: 0,
			learningSteps: 0,
			reps: 0,
			lapses: 0,
			rev: 0
		};
		const reviewed = i % 10 === 0 ? { ...base, ...reviewState(now, 5, 3 + (i % 40), i % 3) } : base;
		cards.push(i % 100 === 0 ? { ...reviewed, queue: Queue.Suspended } : reviewed);
	}
	await db.transaction('rw', db.notes, db.cards, async () => {
		await db.notes.bulkAdd(notes);
		await db.cards.bulkAdd(cards);
	});
}
