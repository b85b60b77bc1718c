/**
 * Loads the served built-in decks into the store on first run, and merges a changed version by
 * stable note id (core/decks/records.ts): new notes added, edited notes updated in place with
 * their history, removed notes retired. One transaction per deck.
 */
import { contentHash } from '../core/decks/hash';
import type { RecallDeck } from '../core/decks/recall-deck';
import { deckRecord, noteRecords, planDeckMerge, type MergePlan } from '../core/decks/records';
import { newCard, suspend, unsuspend } from '../core/scheduling/card-actions';
import { ensureDefaultPreset } from './presets';
import type { RecallDb } from './db';
import type { NoteHtml } from '../core/render/stored';

/** Cards rendered at build time: deck id → note id → stored HTML. */
export type BuiltinHtml = Record<string, Record<string, NoteHtml>>;

export interface BuiltinSyncResult {
	deckId: string;
	status: 'created' | 'merged' | 'unchanged';
	counts: MergePlan['counts'];
}

/** Hash of what matters in a served deck (the JSON text is not stable across builds). */
export function deckHash(deck: RecallDeck): string {
	return contentHash(JSON.stringify(deck));
}

export async function syncBuiltinDeck(
	db: RecallDb,
	deck: RecallDeck,
	now: number,
	html: Record<string, NoteHtml> = {}
): Promise<BuiltinSyncResult> {
	const hash = deckHash(deck);
	return db.transaction('rw', [db.decks, db.notes, db.cards, db.presets], async () => {
		await ensureDefaultPreset(db);
		const stored = await db.decks.get(deck.id);
		const zero = { added: 0, updated: 0, retired: 0, unchanged: deck.notes.length };
		if (stored?.contentHash === hash) return { deckId: deck.id, status: 'unchanged', counts: zero };
		const [notes, cards] = await Promise.all([
			db.notes.where('deckId').equals(deck.id).toArray(),
			db.cards.where('deckId').equals(deck.id).toArray()
		]);
		const incoming = noteRecords(deck, now).map((n) =>
			html[n.id] ? { ...n, html: html[n.id] } : n
		);
		const plan = planDeckMerge(notes, cards, incoming, now);
		const record = deckRecord(deck, 'builtin', now, hash);
		await db.decks.put(
			stored ? { ...record, presetId: stored.presetId, createdAt: stored.createdAt } : record
		);
		await db.notes.bulkPut(plan.putNotes);
		await db.cards.bulkAdd(plan.addCards.map((stub) => newCard(stub)));
		const touched = await db.cards.bulkGet([...plan.retireCardIds, ...plan.restoreCardIds]);
		const retire = new Set(plan.retireCardIds);
		await db.cards.bulkPut(
			touched
				.filter((c) => c !== undefined)
				.map((c) => (retire.has(c.id) ? suspend(c) : unsuspend(c)))
		);
		return { deckId: deck.id, status: stored ? 'merged' : 'created', counts: plan.counts };
	});
}

/**
 * `loadHtml` gives the cards rendered at build time; it is called only when a deck is to be
 * written (first run, a changed deck), not on a start where every deck is unchanged.
 */
export async function syncBuiltinDecks(
	db: RecallDb,
	decks: RecallDeck[],
	now: number,
	loadHtml?: () => Promise<BuiltinHtml>
): Promise<BuiltinSyncResult[]> {
	let html: BuiltinHtml = {};
	if (loadHtml) {
		const stored = await db.decks.bulkGet(decks.map((d) => d.id));
		if (decks.some((d, i) => stored[i]?.contentHash !== deckHash(d))) html = await loadHtml();
	}
	const results: BuiltinSyncResult[] = [];
	for (const deck of decks) results.push(await syncBuiltinDeck(db, deck, now, html[deck.id]));
	return results;
}
