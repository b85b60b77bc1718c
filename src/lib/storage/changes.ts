/**
 * Edits made from the browser (bulk actions, note edits, deck changes) as change sets: every
 * record touched with its value before and after. An action writes its set in the transaction
 * that read the records; undo writes the befores back in one transaction, after checking that
 * nothing changed the records since (a grade in another tab, a later edit).
 */
import type { Card, Deck, Note, RevlogEntry } from '../core/model';
import type { RecallDb } from './db';

/** One record: absent `before` means it was created, absent `after` that it was deleted. */
export interface Change<T> {
	before?: T;
	after?: T;
}

export interface ChangeSet {
	decks: Change<Deck>[];
	notes: Change<Note>[];
	cards: Change<Card>[];
	revlog: Change<RevlogEntry>[];
}

export function emptyChanges(): ChangeSet {
	return { decks: [], notes: [], cards: [], revlog: [] };
}

export function changeCount(changes: ChangeSet): number {
	return changes.decks.length + changes.notes.length + changes.cards.length;
}

export class UndoConflictError extends Error {
	constructor() {
		super('Some of these cards changed since (a review, another tab): nothing was undone.');
		this.name = 'UndoConflictError';
	}
}

type Keyed = { id?: string | number };

function keyOf<T extends Keyed>(change: Change<T>): string | number {
	const key = (change.after ?? change.before)?.id;
	if (key === undefined) throw new Error('A change without a key');
	return key;
}

/** The tables a change set touches, for the transaction that writes it. */
export function changeTables(db: RecallDb) {
	return [db.decks, db.notes, db.cards, db.revlog];
}

/**
 * Writes a change set. Must run inside a transaction over changeTables(db). New revlog rows get
 * their ids here (written into the returned set, so undo can remove them); rows that had an id
 * (restored by an undo) keep it.
 */
export async function writeChanges(db: RecallDb, changes: ChangeSet): Promise<ChangeSet> {
	const deletes = <T extends Keyed>(list: Change<T>[]) =>
		list.filter((c) => c.after === undefined).map((c) => keyOf(c));
	const puts = <T>(list: Change<T>[]) =>
		list.filter((c) => c.after !== undefined).map((c) => c.after as T);

	await db.decks.bulkDelete(deletes(changes.decks) as string[]);
	await db.decks.bulkPut(puts(changes.decks));
	await db.notes.bulkDelete(deletes(changes.notes) as string[]);
	await db.notes.bulkPut(puts(changes.notes));
	await db.cards.bulkDelete(deletes(changes.cards) as string[]);
	await db.cards.bulkPut(puts(changes.cards));
	await db.revlog.bulkDelete(deletes(changes.revlog) as number[]);
	const logs = puts(changes.revlog);
	await db.revlog.bulkPut(logs.filter((l) => l.id !== undefined));
	const fresh = logs.filter((l) => l.id === undefined);
	const ids = (await db.revlog.bulkAdd(fresh, { allKeys: true })) as number[];
	const withIds = new Map(fresh.map((log, i) => [log, { ...log, id: ids[i] }]));
	return {
		...changes,
		revlog: changes.revlog.map((c) =>
			c.after && withIds.has(c.after) ? { ...c, after: withIds.get(c.after) } : c
		)
	};
}

function invert(changes: ChangeSet): ChangeSet {
	const flip = <T>(list: Change<T>[]): Change<T>[] =>
		list.map((c) => ({
			...(c.after !== undefined ? { before: c.after } : {}),
			...(c.before !== undefined ? { after: c.before } : {})
		}));
	return {
		decks: flip(changes.decks),
		notes: flip(changes.notes),
		cards: flip(changes.cards),
		revlog: flip(changes.revlog)
	};
}

/** What the set's records look like now, compared by the field each write bumps. */
async function unchangedSince(db: RecallDb, changes: ChangeSet): Promise<boolean> {
	const cardIds = changes.cards.map((c) => keyOf(c) as string);
	const noteIds = changes.notes.map((c) => keyOf(c) as string);
	const [cards, notes] = await Promise.all([db.cards.bulkGet(cardIds), db.notes.bulkGet(noteIds)]);
	const cardsOk = changes.cards.every((c, i) => cards[i]?.rev === c.after?.rev);
	const notesOk = changes.notes.every((c, i) => notes[i]?.mtime === c.after?.mtime);
	return cardsOk && notesOk;
}

/** Puts every record back as it was before the change set; throws UndoConflictError if one moved on. */
export async function undoChanges(db: RecallDb, changes: ChangeSet): Promise<void> {
	await db.transaction('rw', changeTables(db), async () => {
		if (!(await unchangedSince(db, changes))) throw new UndoConflictError();
		await writeChanges(db, invert(changes));
	});
}
