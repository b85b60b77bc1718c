/**
 * The one Dexie database. Every schema change is a new `version()` with an upgrade function and a
 * test on data of the previous version (see db.browser.test.ts). Tables hold core model objects.
 */
import { Dexie, type EntityTable, type Table, type Transaction } from 'dexie';
import type { Card, Deck, MediaFile, Note, NoteModel, Preset, RevlogEntry } from '../core/model';
import type { NoteHtml } from '../core/render/stored';
import type { StoredTally } from '../core/stats/buckets';
import { buildAllTallies, reviewTallyMiddleware, TALLY_TABLE } from './review-tallies';
import type { FieldRecord, ReviewRecord } from '../core/sync/protocol';
import { CARD_TALLY_TABLE, buildAllCardTallies, cardTallyMiddleware } from './card-tallies';
import type { StoredCardTally } from '../core/stats/card-tallies';
import {
	NOTE_SEARCH_TABLE,
	buildAllSearchRows,
	noteSearchMiddleware,
	type NoteSearchRow
} from './note-search';
import { PACK_TABLE, type SearchPackRow } from './note-search-packs';
import {
	ACCOUNT_KEY,
	OUTBOX_TABLE,
	setSignedIn,
	syncOutboxMiddleware,
	type OutboxRow
} from './sync-outbox';

// Dexie switches its debug mode on for every page served from localhost: an async stack trace
// task (console.createTask) for each table operation and promise, which a browser under a
// debugger or automation records. `npm start` serves the production build from localhost, and
// the benchmarks and end-to-end tests run it there, so only the development server keeps it.
if (!import.meta.env.DEV) Dexie.debug = false;

export interface MetaRow {
	key: string;
	value: unknown;
}

/** An automatic local copy of the whole collection (gzip of a Recall backup). */
export interface SnapshotRow {
	id?: number;
	createdAt: number;
	/** Why it was taken: 'daily', 'import', 'delete', 'reschedule', 'migration', 'restore'. */
	reason: string;
	/** Cards and reviews at the time, to help choose. */
	cards: number;
	reviews: number;
	data: Blob;
}

export type RecallDb = Dexie & {
	decks: EntityTable<Deck, 'id'>;
	notes: EntityTable<Note, 'id'>;
	cards: EntityTable<Card, 'id'>;
	revlog: EntityTable<RevlogEntry, 'id'>;
	media: EntityTable<MediaFile, 'name'>;
	presets: EntityTable<Preset, 'id'>;
	models: EntityTable<NoteModel, 'id'>;
	meta: EntityTable<MetaRow, 'key'>;
	snapshots: EntityTable<SnapshotRow, 'id'>;
	/** Derived: the review log summed per deck and UTC quarter hour (storage/review-tallies.ts). */
	reviewTallies: Table<StoredTally, [string, number]>;
	/** v4: records queued to push to the sync server (storage/sync-outbox.ts). */
	syncOutbox: Table<OutboxRow, string>;
	/** v4: pulled reviews of cards this device does not have (yet), kept, never dropped. */
	syncPending: Table<ReviewRecord, string>;
	/**
	 * v5: pulled field records kept aside — of an object not complete yet (its other fields in a
	 * later page) or deleted (its tombstone, so a late edit does not bring it back).
	 */
	syncParked: Table<ParkedField, string>;
	/** v6, derived: the cards counted per deck, due quarter hour and last review (storage/card-tallies.ts). */
	cardTallies: Table<StoredCardTally, [string, number, number]>;
	/** v6, derived: each note's search text (storage/note-search.ts). */
	noteSearch: Table<NoteSearchRow, string>;
	/** v8, a derived cache: the search texts packed 500 to a record (storage/note-search-packs.ts). */
	noteSearchPacks: Table<SearchPackRow, string>;
};

/** A pulled field record kept aside (key: `fieldKey(record)`). */
export interface ParkedField {
	key: string;
	entity: string;
	id: string;
	record: FieldRecord;
}

export const DB_NAME = 'recall';

/** Schema version 1. */
export const SCHEMA_V1 = {
	decks: 'id',
	notes: 'id, deckId, guid, *tags',
	// [deckId+queue+due]: every part of the review queue is one range query on this index.
	cards: 'id, noteId, deckId, [deckId+queue+due], due',
	revlog: '++id, cardId, reviewedAt, [deckId+reviewedAt]',
	media: 'name',
	presets: 'id',
	models: 'id',
	meta: 'key'
};

/** Schema version 2: local snapshots. */
export const SCHEMA_V2 = { ...SCHEMA_V1, snapshots: '++id, createdAt' };

/**
 * Schema version 3: review tallies per deck and UTC day (in quarter-hour slots), kept up to date
 * with every review-log write by a DBCore middleware, so statistics never read a year of log.
 */
export const SCHEMA_V3 = { ...SCHEMA_V2, [TALLY_TABLE]: '[deckId+day], day' };

/**
 * Schema version 4: sync. The outbox of records to push (filled by a DBCore middleware in the
 * same transaction as each review-log write) and pulled reviews of cards not on this device.
 * Reviews from before version 4 are pushed from the log itself on the first sync.
 */
export const SCHEMA_V4 = { ...SCHEMA_V3, [OUTBOX_TABLE]: 'key', syncPending: 'id, cardId' };

/**
 * Schema version 5: the whole collection syncs (notes, decks, cards, note types, presets, the
 * study time zone), not only reviews. Pulled fields that cannot be applied yet are parked.
 */
export const SCHEMA_V5 = { ...SCHEMA_V4, syncParked: 'key, [entity+id]' };

/**
 * Schema version 6: derived tables kept up to date at write time by DBCore middlewares, so
 * statistics never read every card and a search for words never reads every note and card:
 * card tallies (counts, due forecast, memory states per deck) and each note's search text.
 */
export const SCHEMA_V6 = {
	...SCHEMA_V5,
	[CARD_TALLY_TABLE]: '[deckId+kind+day]',
	[NOTE_SEARCH_TABLE]: 'id'
};

/**
 * v7: no new table or index; notes gain `html`, their cards rendered once at write time
 * (core/render/stored.ts), filled in for the notes already stored by `upgradeToV7`.
 */
export const SCHEMA_V7 = { ...SCHEMA_V6 };

/**
 * v8: the notes' search texts packed a few hundred to a record for a cold word search
 * (note-search-packs.ts). A cache the search builds when it needs it: the upgrade adds the table
 * empty, and the first search after it builds the packs from the search rows.
 */
export const SCHEMA_V8 = { ...SCHEMA_V7, [PACK_TABLE]: 'from, stale' };

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = 8;

/** Renders a note's cards for `note.html` (core/render/prepare.ts `prepareNoteHtml`). */
export type NotePreparer = (note: Note) => NoteHtml | undefined;

let notePreparer: NotePreparer | undefined;

/**
 * The renderer the v7 upgrade uses. It brings marked, so it is not imported here (this module
 * is on every page's first load): the opener loads it and sets it when a migration is pending
 * (health.ts). Without it the upgrade leaves notes as they are, and their cards are rendered
 * when shown, as before.
 */
export function setNotePreparer(prepare: NotePreparer | undefined): void {
	notePreparer = prepare;
}

/** v4 → v7: every stored note gets its cards' HTML (Anki notes and raw HTML are left as they are). */
export async function upgradeToV7(
	tx: Transaction,
	prepare: NotePreparer | undefined = notePreparer
): Promise<void> {
	if (!prepare) return;
	await tx
		.table('notes')
		.toCollection()
		.modify((note: Note) => {
			const html = prepare(note);
			if (html) note.html = html;
			else delete note.html;
		});
}

/**
 * v1 → v2. Besides the new table, it repairs what version 1 could leave behind: a deck without
 * a preset and a card without the `rev` counter the stale-write check relies on.
 */
export async function upgradeToV2(tx: Transaction): Promise<void> {
	await tx
		.table('decks')
		.toCollection()
		.modify((deck: Partial<Deck>) => {
			if (typeof deck.presetId !== 'string' || deck.presetId === '') deck.presetId = 'default';
		});
	await tx
		.table('cards')
		.toCollection()
		.modify((card: Partial<Card>) => {
			if (typeof card.rev !== 'number' || !Number.isFinite(card.rev)) card.rev = 0;
		});
}

/**
 * v2 → v3: the review tallies, summed from the whole review log a page at a time; the per-scope
 * day tallies version 2 cached in `meta` are no longer read and go.
 */
export async function upgradeToV3(tx: Transaction): Promise<void> {
	await tx.table(TALLY_TABLE).bulkPut(await buildAllTallies(tx.table('revlog')));
	await tx.table('meta').where(':id').startsWith('stats:day-tallies:').delete();
}

/**
 * v4 → v5. A device signed in under version 4 pushed its reviews only: its account is marked to
 * push the collection itself on its next sync (the entity bootstrap starts from the first table).
 */
export async function upgradeToV5(tx: Transaction): Promise<void> {
	const row = (await tx.table('meta').get(ACCOUNT_KEY)) as MetaRow | undefined;
	if (row && row.value && typeof row.value === 'object') {
		await tx.table('meta').put({
			key: ACCOUNT_KEY,
			value: { ...(row.value as object), entities: { table: 0, after: '' } }
		});
	}
}

/** v4 → v6: the card tallies and the notes' search texts, from every card and note a page at a time. */
export async function upgradeToV6(tx: Transaction): Promise<void> {
	await tx.table(CARD_TALLY_TABLE).bulkPut(await buildAllCardTallies(tx.table('cards')));
	await tx.table(NOTE_SEARCH_TABLE).bulkPut(await buildAllSearchRows(tx.table('notes')));
}

export function openDb(name = DB_NAME): RecallDb {
	const db = openDbV7(name);
	db.version(8).stores(SCHEMA_V8);
	return db;
}

/** Opens a database with the version-7 schema (no search packs): data of the previous version. */
export function openDbV7(name: string): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
	db.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
	db.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3);
	db.version(4).stores(SCHEMA_V4);
	db.version(5).stores(SCHEMA_V5).upgrade(upgradeToV5);
	db.version(6).stores(SCHEMA_V6).upgrade(upgradeToV6);
	db.version(7)
		.stores(SCHEMA_V7)
		.upgrade((tx) => upgradeToV7(tx));
	db.use(reviewTallyMiddleware);
	db.use(syncOutboxMiddleware);
	db.use(cardTallyMiddleware);
	db.use(noteSearchMiddleware);
	// Whether writes are queued to push is known before the first write.
	// A database of a newer version has no tables this build knows: the opener reports that.
	db.on('ready', async () => {
		try {
			setSignedIn((await db.meta.get(ACCOUNT_KEY)) !== undefined);
		} catch {
			setSignedIn(false);
		}
	});
	return db;
}

/** Opens a database with the version-4 schema (no parked fields, card tallies or stored HTML): data of the previous version. */
export function openDbV4(name: string): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
	db.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
	db.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3);
	db.version(4).stores(SCHEMA_V4);
	db.use(reviewTallyMiddleware);
	return db;
}

/** Opens a database with the version-3 schema (and no outbox): data of the previous version. */
export function openDbV3(name: string): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
	db.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
	db.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3);
	db.use(reviewTallyMiddleware);
	return db;
}

/** Opens a database with only the version-1 schema: tests build "data of the previous version". */
export function openDbV1(name: string): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
	return db;
}

/** Opens a database with the version-2 schema (and no tally upkeep): data of the previous version. */
export function openDbV2(name: string): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
	db.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
	return db;
}

let shared: RecallDb | undefined;

/** The app's database, opened on first use. */
export function getDb(): RecallDb {
	shared ??= openDb();
	return shared;
}

/** Tests and restores swap the database (e.g. a fresh name per test). */
export function setDb(db: RecallDb | undefined): void {
	shared = db;
}
