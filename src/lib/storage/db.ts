/**
 * The one Dexie database. Every schema change is a new `version()` with an upgrade function and a
 * test on data of the previous version (see db.browser.test.ts). Tables hold core model objects.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Card, Deck, MediaFile, Note, NoteModel, Preset, RevlogEntry } from '../core/model';

export interface MetaRow {
	key: string;
	value: unknown;
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
};

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

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = 1;

export function openDb(name = DB_NAME): RecallDb {
	const db = new Dexie(name) as RecallDb;
	db.version(1).stores(SCHEMA_V1);
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
