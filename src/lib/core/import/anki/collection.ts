import { ImportError } from '../bundle';
import { checkRowCount, type ImportLimits } from '../limits';
import { readLegacyModelsAndDecks } from './schema11';
import { readTableModelsAndDecks } from './schema15';
import { num, str, type SqliteReader } from './sqlite';

/**
 * An Anki collection's rows as Anki names them, before any mapping to Recall's model. Reading
 * and mapping are separate so each schema generation only has to produce these shapes.
 */
export interface RawNotetype {
	id: number;
	name: string;
	kind: 'standard' | 'cloze';
	fields: string[];
	templates: { name: string; front: string; back: string }[];
	css: string;
}

export interface RawDeck {
	id: number;
	/** Hierarchy joined with `::`, as Anki shows it. */
	name: string;
	description: string;
	filtered: boolean;
}

export interface RawNote {
	id: number;
	guid: string;
	mid: number;
	/** Seconds. */
	mod: number;
	tags: string;
	flds: string;
}

export interface RawCard {
	id: number;
	nid: number;
	did: number;
	ord: number;
	type: number;
	queue: number;
	due: number;
	ivl: number;
	reps: number;
	lapses: number;
	odue: number;
	odid: number;
	data: string;
}

export interface RawRevlog {
	id: number;
	cid: number;
	ease: number;
	ivl: number;
	time: number;
	type: number;
}

export interface RawCollection {
	schema: number;
	/** Collection creation, seconds: review due dates count days from it. */
	crt: number;
	notetypes: RawNotetype[];
	decks: RawDeck[];
	notes: RawNote[];
	cards: RawCard[];
	revlog: RawRevlog[];
	warnings: string[];
}

export interface CollectionPlace {
	file: string;
	entry?: string;
	limits: ImportLimits;
}

/** Every table the importer reads, in both schema generations. */
const READ_TABLES = new Set([
	'col',
	'notes',
	'cards',
	'revlog',
	'notetypes',
	'fields',
	'templates',
	'decks'
]);

/** Schema 11 is Anki 2.1's legacy layout; 18 is current (2.1.50+). Newer would be guesswork. */
export const SCHEMA_MIN = 11;
export const SCHEMA_MAX = 18;

export function readCollection(db: SqliteReader, place: CollectionPlace): RawCollection {
	const { file, entry } = place;
	for (const table of ['col', 'notes', 'cards', 'revlog']) {
		if (!db.hasTable(table)) {
			throw new ImportError(`this is not an Anki collection: its "${table}" table is missing`, {
				file,
				entry
			});
		}
	}
	const computed = [...READ_TABLES].find((table) => db.hasTable(table) && db.computesOnRead(table));
	if (computed) {
		throw new ImportError(
			`the "${computed}" table computes its values when it is read (a generated column or virtual table), which Anki never writes; the file is damaged or crafted`,
			{ file, entry }
		);
	}
	const [col] = db.all('SELECT ver, crt FROM col LIMIT 1');
	if (!col) throw new ImportError('the collection is empty (no "col" row)', { file, entry });
	if (typeof col[0] !== 'number' || !Number.isInteger(col[0])) {
		throw new ImportError(
			`the collection's schema version is ${col[0] === null ? 'missing' : 'not a whole number'}; the file is damaged`,
			{ file, entry }
		);
	}
	const schema = col[0];
	if (schema > SCHEMA_MAX) {
		throw new ImportError(
			`the collection uses schema version ${schema}, newer than Recall understands (${SCHEMA_MIN}–${SCHEMA_MAX}); export it from Anki with "Support older Anki versions" ticked`,
			{ file, entry }
		);
	}
	if (schema < SCHEMA_MIN) {
		throw new ImportError(
			`the collection uses schema version ${schema}, from Anki 2.0 or older; open it in a current Anki and export it again`,
			{ file, entry }
		);
	}
	for (const table of ['notes', 'cards', 'revlog']) {
		const [count] = db.all(`SELECT count(*) FROM ${table}`);
		checkRowCount(num(count?.[0]), `rows in "${table}"`, file, place.limits);
	}
	const warnings: string[] = [];
	const meta =
		schema >= 15
			? readTableModelsAndDecks(db, { file, entry })
			: readLegacyModelsAndDecks(db, { file, entry }, warnings);
	return { schema, crt: num(col[1]), ...meta, ...readRows(db), warnings };
}

function readRows(db: SqliteReader): Pick<RawCollection, 'notes' | 'cards' | 'revlog'> {
	const notes = db
		.all('SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id')
		.map((row) => ({
			id: num(row[0]),
			guid: str(row[1]),
			mid: num(row[2]),
			mod: num(row[3]),
			tags: str(row[4]),
			flds: str(row[5])
		}));
	// `data` (where Anki keeps FSRS memory state) is absent from collections before 2.1.28.
	const data = db.hasColumn('cards', 'data') ? 'data' : "''";
	const cardQuery = `SELECT id, nid, did, ord, type, queue, due, ivl, reps, lapses, odue, odid, ${data} FROM cards ORDER BY id`;
	const cards = db.all(cardQuery).map((row) => ({
		id: num(row[0]),
		nid: num(row[1]),
		did: num(row[2]),
		ord: num(row[3]),
		type: num(row[4]),
		queue: num(row[5]),
		due: num(row[6]),
		ivl: num(row[7]),
		reps: num(row[8]),
		lapses: num(row[9]),
		odue: num(row[10]),
		odid: num(row[11]),
		data: str(row[12])
	}));
	const revlog = db
		.all('SELECT id, cid, ease, ivl, time, type FROM revlog ORDER BY id')
		.map((row) => ({
			id: num(row[0]),
			cid: num(row[1]),
			ease: num(row[2]),
			ivl: num(row[3]),
			time: num(row[4]),
			type: num(row[5])
		}));
	return { notes, cards, revlog };
}
