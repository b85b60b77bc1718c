/**
 * The browser's memory of the collection for one session: every card, and the parts of every
 * note a search reads, as the full scans of browse-repo.ts read them from IndexedDB. A second
 * search over everything (plain words, `prop:`, a sort no index serves) then runs in memory
 * instead of reading 100 000 cards and notes again.
 *
 * Scans read notes in pages by id, with the cards of those notes (the `noteId` index), so the
 * cache covers every note and card up to a note id (`covered`) and grows page by page; a scan
 * cut short (the user typed on) leaves what it read for the next one.
 *
 * It stays right through Dexie's `storagemutated` event, which reports every write to the
 * tables, from this tab, other tabs and workers: the cards and notes written are read again
 * before the next search (`refresh`). A write Dexie reports as a range rather than as keys (a
 * bulk write of 50 records or more, a clear) empties the cache: the next scan reads again.
 */
import { cmp, Dexie, RangeSet, type IntervalTree, type ObservabilitySet } from 'dexie';
import type { Card } from '../core/model';
import { noteForSearch, type NoteForSearch } from '../core/search';
import type { RecallDb } from './db';

/** Records changed one by one before the cache is emptied instead of patched. */
const MAX_DIRTY = 5000;

export class BrowseCache {
	/** Replaced, not emptied, by `clear()`: a scan going through the old maps keeps them whole. */
	cards = new Map<string, Card>();
	notes = new Map<string, NoteForSearch>();
	/**
	 * Every note with an id up to this one is held, with its cards; null: every note and card
	 * (the scan reached the end); undefined: nothing yet.
	 */
	covered: string | null | undefined = undefined;
	/** Bumped whenever the cache is emptied: a page read before must not be added after. */
	generation = 0;
	readonly #dirtyCards = new Set<string>();
	readonly #dirtyNotes = new Set<string>();

	constructor(readonly db: RecallDb) {}

	get complete(): boolean {
		return this.covered === null;
	}

	/** Whether a note id falls in what the cache holds. */
	holds(noteId: string): boolean {
		return this.covered === null || (this.covered !== undefined && noteId <= this.covered);
	}

	clear(): void {
		this.cards = new Map();
		this.notes = new Map();
		this.covered = undefined;
		this.#dirtyCards.clear();
		this.#dirtyNotes.clear();
		this.generation++;
	}

	/**
	 * Adds a page read after the note id `after` (exclusive; undefined: from the first note) up to
	 * `upTo` (inclusive; null: to the end). Only the page that continues what is held, read since
	 * the cache was last emptied, is kept.
	 */
	addPage(
		after: string | undefined,
		upTo: string | null,
		notes: NoteForSearch[],
		cards: Card[],
		generation: number
	): boolean {
		if (generation !== this.generation || this.covered !== after) return false;
		for (const note of notes) this.notes.set(note.id, note);
		for (const card of cards) this.cards.set(card.id, card);
		this.covered = upTo;
		return true;
	}

	/** Dexie reported a write to `table`: remember the keys, or empty the cache for a range. */
	mutated(table: 'cards' | 'notes', tree: IntervalTree): void {
		const dirty = table === 'cards' ? this.#dirtyCards : this.#dirtyNotes;
		for (const node of RangeSet(tree)) {
			if (cmp(node.from, node.to) !== 0 || typeof node.from !== 'string') {
				this.clear();
				return;
			}
			dirty.add(node.from);
		}
		if (this.#dirtyCards.size + this.#dirtyNotes.size > MAX_DIRTY) this.clear();
	}

	get dirty(): number {
		return this.#dirtyCards.size + this.#dirtyNotes.size;
	}

	/** Reads the records written since they were cached, and puts them in (or takes them out). */
	async refresh(): Promise<void> {
		if (this.dirty === 0) return;
		const generation = this.generation;
		const cardIds = [...this.#dirtyCards];
		const noteIds = [...this.#dirtyNotes];
		this.#dirtyCards.clear();
		this.#dirtyNotes.clear();
		const db = this.db;
		const [cards, notes] = await db.transaction('r', db.cards, db.notes, () =>
			Promise.all([db.cards.bulkGet(cardIds), db.notes.bulkGet(noteIds)])
		);
		if (generation !== this.generation) return;
		// Until the cache is complete, a record it does not hold stays dirty: a page read before
		// the write may still arrive with the old record.
		cardIds.forEach((id, i) => {
			const card = cards[i];
			if (card && this.holds(card.noteId)) this.cards.set(id, card);
			else this.cards.delete(id);
			if (!this.complete && !(card && this.holds(card.noteId))) this.#dirtyCards.add(id);
		});
		noteIds.forEach((id, i) => {
			const note = notes[i];
			if (note && this.holds(note.id)) this.notes.set(id, noteForSearch(note));
			else this.notes.delete(id);
			if (!this.complete && !(note && this.holds(note.id))) this.#dirtyNotes.add(id);
		});
	}
}

const caches = new Map<string, BrowseCache>();
let listening = false;

const PART = /^idb:\/\/(.*)\/(cards|notes)\/$/;

function onMutated(parts: ObservabilitySet): void {
	for (const [part, tree] of Object.entries(parts)) {
		if (!part.startsWith('idb://')) {
			// "Everything may have changed" (a page restored from the back-forward cache).
			for (const cache of caches.values()) cache.clear();
			continue;
		}
		const match = PART.exec(part);
		const cache = match && caches.get(match[1] as string);
		if (cache) cache.mutated(match[2] as 'cards' | 'notes', tree);
	}
}

/** The cache of `db` (one per database name; a new database object under a name starts over). */
export function browseCache(db: RecallDb): BrowseCache {
	if (!listening) {
		Dexie.on('storagemutated', onMutated);
		listening = true;
	}
	let cache = caches.get(db.name);
	if (cache?.db !== db) {
		cache = new BrowseCache(db);
		caches.set(db.name, cache);
	}
	return cache;
}

const releases = new Map<string, ReturnType<typeof setTimeout>>();

/** The browser page is open again: keep the cache of `db`. */
export function holdBrowseCache(db: RecallDb): void {
	clearTimeout(releases.get(db.name));
	releases.delete(db.name);
}

/**
 * The browser page closed: empty the cache of `db` after `ms` unless it opens again before.
 * Going back and forth between a search and its study keeps it; a phone studying for an hour
 * does not hold tens of megabytes of cards and notes it is not using.
 */
export function releaseBrowseCache(db: RecallDb, ms = 120_000): void {
	holdBrowseCache(db);
	releases.set(
		db.name,
		setTimeout(() => {
			releases.delete(db.name);
			caches.get(db.name)?.clear();
		}, ms)
	);
}

/** Forgets the cache of `db` (tests that delete their database). */
export function dropBrowseCache(db: RecallDb): void {
	if (caches.get(db.name)?.db === db) caches.delete(db.name);
}

/**
 * Resolves in a new task, so the page can paint and handle input in between (Chrome's
 * `scheduler.yield()` where there is one, a message otherwise: `setTimeout(0)` would wait 4 ms).
 */
export function nextTask(): Promise<void> {
	const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
	if (scheduler?.yield) return scheduler.yield();
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => resolve();
		channel.port2.postMessage(null);
	});
}
