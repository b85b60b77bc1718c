/**
 * Hostile SQLite collections: what a crafted .anki2 can hold beyond damaged bytes — triggers and
 * views, columns computed on read, huge fields, more rows than the limits, odd schema versions,
 * columns of the wrong type. The importer must read without running anything from the file,
 * never write to it, refuse what Anki never writes, and read what it can.
 */
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportError, TIME_MAX } from '../bundle';
import type { ImportLimits } from '../limits';
import { BASIC, DECK, buildCollection, legacyPackage } from '../testing/anki-fixtures';
import { CID, NID, NID2, NOW, scenario } from '../testing/anki-scenario';
import { loadSqlJs } from '../testing/node-sql';
import { importAnki } from './package';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

/** A collection built by the fixtures, then changed with SQL the way a crafted file would be. */
function crafted(spec: Parameters<typeof buildCollection>[1], statements: string): Uint8Array {
	const db = new sql.Database(buildCollection(sql, spec));
	db.exec(statements);
	const bytes = db.export();
	db.close();
	return bytes;
}

/**
 * sql.js with every statement the importer runs recorded, and a look into each database just
 * before the importer closes it (the copy sql.js made of the file lives only until then).
 */
function spiedSql(beforeClose: (db: Database) => void = () => {}) {
	const statements: string[] = [];
	const Base = sql.Database;
	class Spied extends Base {
		override prepare(query: string, params?: Parameters<Database['prepare']>[1]) {
			statements.push(query);
			return super.prepare(query, params);
		}
		override exec(query: string, params?: Parameters<Database['exec']>[1]) {
			statements.push(query);
			return super.exec(query, params);
		}
		override run(query: string, params?: Parameters<Database['run']>[1]) {
			statements.push(query);
			return super.run(query, params);
		}
		override close() {
			beforeClose(this);
			super.close();
		}
	}
	return { sql: { ...sql, Database: Spied } as SqlJsStatic, statements };
}

const options = (s: SqlJsStatic = sql, limits?: Partial<ImportLimits>) => ({
	fileName: 'crafted.anki2',
	now: NOW,
	sql: s,
	limits
});

function refusal(bytes: Uint8Array, s: SqlJsStatic = sql, limits?: Partial<ImportLimits>) {
	try {
		importAnki(bytes, options(s, limits));
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return (error as ImportError).message;
	}
	throw new Error('the import did not fail');
}

/** A statement that only reads: SELECT, or PRAGMA table_info / table_xinfo. */
const READS = /^\s*(SELECT\b|PRAGMA table_x?info\()/i;

describe('a collection with triggers and views', () => {
	// Every trigger records that it ran; one would also wipe the cards if it ever fired.
	const TRAPS = `
		CREATE TABLE fired (what TEXT);
		${['notes', 'cards', 'revlog', 'col']
			.flatMap((table) =>
				['INSERT', 'UPDATE', 'DELETE'].map(
					(event) =>
						`CREATE TRIGGER trap_${table}_${event} AFTER ${event} ON ${table} BEGIN INSERT INTO fired VALUES ('${table} ${event}'); DELETE FROM cards; END;`
				)
			)
			.join('\n')}
		CREATE VIEW notes_view AS SELECT id, flds FROM notes;
		CREATE VIEW everything AS SELECT * FROM notes, cards, revlog;`;

	it('reads exactly what the plain collection holds, runs only reads, and never fires a trigger', () => {
		const plain = importAnki(buildCollection(sql, scenario(11)), options());
		const bytes = crafted(scenario(11), TRAPS);
		const before = bytes.slice();
		let fired: unknown[] = ['not checked'];
		const spy = spiedSql((db) => {
			fired = db.exec('SELECT what FROM fired')[0]?.values ?? [];
		});
		const bundle = importAnki(bytes, options(spy.sql));
		expect([bundle.notes, bundle.cards, bundle.revlog]).toEqual([
			plain.notes,
			plain.cards,
			plain.revlog
		]);
		expect(fired).toEqual([]);
		expect(spy.statements.filter((s) => !READS.test(s))).toEqual([]);
		// sql.js worked on its own copy: the file's bytes are as they were.
		expect(bytes).toEqual(before);
	});

	it('on a schema-18 collection, writes nothing but the private schema rewrite of Anki’s collation', () => {
		// Anki declares name columns `COLLATE unicase`, which sql.js cannot create: written here
		// into the schema text directly, as in a file Anki made.
		const bytes = crafted(
			scenario(18),
			`${TRAPS}
			PRAGMA writable_schema = ON;
			UPDATE sqlite_master SET sql = replace(sql, 'name text not null', 'name text not null COLLATE unicase') WHERE name = 'decks';
			PRAGMA writable_schema = RESET;`
		);
		let fired: unknown[] = ['not checked'];
		const spy = spiedSql((db) => {
			fired = db.exec('SELECT what FROM fired')[0]?.values ?? [];
		});
		const bundle = importAnki(bytes, options(spy.sql));
		expect(bundle.decks.map((d) => d.title)).toEqual(['Languages::German']);
		expect(fired).toEqual([]);
		const writes = spy.statements.filter((s) => !READS.test(s));
		expect(writes).toHaveLength(1);
		expect(writes[0]).toMatch(
			/^PRAGMA writable_schema = ON;\s+UPDATE sqlite_master SET sql = replace\(/
		);
	});

	it('refuses a view standing in for a table the importer reads', () => {
		const bytes = crafted(
			scenario(11),
			'DROP TABLE cards; CREATE VIEW cards AS SELECT * FROM revlog;'
		);
		expect(refusal(bytes)).toBe(
			'crafted.anki2: this is not an Anki collection: its "cards" table is missing'
		);
	});
});

describe('tables that compute values when read', () => {
	const NOTES = `id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, %FLDS%, sfld integer not null, csum integer not null, flags integer not null, data text not null`;

	it('refuses a generated column that would allocate 400 MB per row, before reading a row', () => {
		// A few kilobytes on disk; reading `flds` would make SQLite build a 400 MB blob per note.
		const bytes = crafted(
			scenario(11),
			`ALTER TABLE notes RENAME TO old_notes;
			CREATE TABLE notes (${NOTES.replace('%FLDS%', 'flds blob GENERATED ALWAYS AS (zeroblob(400000000)) VIRTUAL')});
			INSERT INTO notes (id, guid, mid, mod, usn, tags, sfld, csum, flags, data)
				SELECT id, guid, mid, mod, usn, tags, sfld, csum, flags, data FROM old_notes;
			DROP TABLE old_notes;`
		);
		expect(bytes.length).toBeLessThan(100_000);
		const spy = spiedSql();
		expect(refusal(bytes, spy.sql)).toBe(
			'crafted.anki2: the "notes" table computes its values when it is read (a generated column or virtual table), which Anki never writes; the file is damaged or crafted'
		);
		expect(spy.statements.some((s) => /FROM notes\b/.test(s) && /flds/.test(s))).toBe(false);
	});

	it('refuses a virtual table in place of the review log', () => {
		const bytes = crafted(
			scenario(11),
			'DROP TABLE revlog; CREATE VIRTUAL TABLE revlog USING fts3(id, cid, ease, ivl, time, type);'
		);
		expect(refusal(bytes)).toMatch(/^crafted\.anki2: the "revlog" table computes its values/);
	});
});

describe('huge fields and many rows', () => {
	it('imports a 5 MB field whole, from a bare collection and from a package', () => {
		const front = 'Grüße '.repeat(800_000);
		expect(new TextEncoder().encode(front).length).toBeGreaterThan(5_000_000);
		const spec = {
			notes: [{ id: 1, mid: BASIC.id, fields: [front, 'back'] }],
			cards: [{ id: 2, nid: 1, did: DECK.id }]
		};
		const collection = buildCollection(sql, spec);
		for (const bytes of [collection, legacyPackage(collection)]) {
			const bundle = importAnki(bytes, options());
			expect(bundle.notes[0]?.fields.Front).toBe(front);
			expect(bundle.notes[0]?.fields.Back).toBe('back');
		}
	});

	const manyNotes = (count: number) =>
		crafted(
			{},
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
			INSERT INTO notes SELECT i, 'g' || i, ${BASIC.id}, 1700000500, 0, '', 'front ' || i || char(31) || 'back', '', 0, 0, '' FROM n;
			INSERT INTO cards SELECT id + 1000000, id, ${DECK.id}, 0, 0, 0, 0, 0, id, 0, 2500, 0, 0, 0, 0, 0, 0, '' FROM notes;`
		);

	it('refuses more rows than limits.maxRows from the table’s count, without reading the rows', () => {
		const spy = spiedSql();
		expect(refusal(manyNotes(1001), spy.sql, { maxRows: 1000 })).toBe(
			'crafted.anki2: it has more than 1,000 rows in "notes", more than Recall imports at once'
		);
		expect(spy.statements.filter((s) => /^SELECT id, guid/.test(s))).toEqual([]);
		// At the limit, everything is read.
		const bundle = importAnki(manyNotes(1000), options(sql, { maxRows: 1000 }));
		expect([bundle.notes.length, bundle.cards.length]).toEqual([1000, 1000]);
	});

	it('imports a note with 150,000 cards without overflowing the stack', () => {
		// Spreading 150,000 values into Math.min threw "Maximum call stack size exceeded".
		const bytes = crafted(
			{ notes: [{ id: 1, mid: BASIC.id, fields: ['f', 'b'] }] },
			`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 149999)
			INSERT INTO cards SELECT 10 + i, 1, ${DECK.id}, i, 0, 0, 0, 0, i, 0, 2500, 0, 0, 0, 0, 0, 0, '' FROM n;`
		);
		const bundle = importAnki(bytes, options());
		expect(bundle.cards).toHaveLength(150_000);
		expect(bundle.cards.at(-1)?.id).toBe('anki-1/149999');
	});
});

describe('schema versions in col.ver', () => {
	const oneNote = {
		notes: [{ id: 1, mid: BASIC.id, fields: ['a', 'b'] }],
		cards: [{ id: 2, nid: 1, did: DECK.id }]
	};

	it.each([
		['0', 'the collection uses schema version 0, from Anki 2.0 or older'],
		['10', 'the collection uses schema version 10, from Anki 2.0 or older'],
		['-1', 'the collection uses schema version -1, from Anki 2.0 or older'],
		['19', 'the collection uses schema version 19, newer than Recall understands (11–18)'],
		[
			String(2 ** 40),
			`the collection uses schema version ${2 ** 40}, newer than Recall understands`
		],
		// An integer column keeps what does not convert losslessly: a real, a text, a blob.
		['11.5', "the collection's schema version is not a whole number; the file is damaged"],
		["'eleven'", "the collection's schema version is not a whole number; the file is damaged"],
		["x'0b'", "the collection's schema version is not a whole number; the file is damaged"]
	])('refuses ver = %s with a message saying so', (version, message) => {
		const bytes = crafted(oneNote, `UPDATE col SET ver = ${version};`);
		expect(refusal(bytes)).toContain(`crafted.anki2: ${message}`);
	});

	it('refuses a col row without a version', () => {
		// `ver` is NOT NULL in Anki's schema: only a rebuilt table can leave it out.
		const bytes = crafted(
			oneNote,
			`CREATE TABLE col2 AS SELECT * FROM col; DROP TABLE col; ALTER TABLE col2 RENAME TO col;
			UPDATE col SET ver = NULL;`
		);
		expect(refusal(bytes)).toBe(
			"crafted.anki2: the collection's schema version is missing; the file is damaged"
		);
	});

	it('names a schema-11 note type or deck whose stored name is not text by its id, not "[object Object]"', () => {
		const bytes = crafted(
			oneNote,
			`UPDATE col SET models = json_set(models, '$.${BASIC.id}.name', json('{"x":1}'), '$.${BASIC.id}.css', json('[1]')),
				decks = json_set(decks, '$.${DECK.id}.name', json('["A","B"]'));`
		);
		const bundle = importAnki(bytes, options());
		expect(bundle.models.map((m) => m.name)).toEqual([`Note type ${BASIC.id}`]);
		expect(bundle.models[0]?.css).toBe('');
		expect(bundle.decks.map((d) => d.title)).toEqual([`Deck ${DECK.id}`]);
		expect(JSON.stringify(bundle)).not.toContain('[object Object]');
	});

	it('reads schema 11 with JSON settings and 15–18 with tables', () => {
		for (const schema of [11, 15, 16, 17, 18]) {
			const bundle = importAnki(buildCollection(sql, scenario(schema)), options());
			expect([schema, bundle.notes.length, bundle.cards.length]).toEqual([schema, 5, 6]);
		}
	});
});

describe('a notes table with the wrong column types', () => {
	const RETYPED = `ALTER TABLE notes RENAME TO old_notes;
		CREATE TABLE notes (id text, guid blob, mid text, mod real, usn text, tags integer, flds blob, sfld blob, csum text, flags text, data blob);
		DROP TABLE old_notes;`;

	it('reads values whose type is wrong but whose content is right', () => {
		const bytes = crafted(
			{ cards: [{ id: 2, nid: 1_700_000_001_000, did: DECK.id }] },
			`${RETYPED}
			INSERT INTO notes VALUES ('1700000001000', CAST('g-1' AS BLOB), '${BASIC.id}', 1700000500.0, '0', 42,
				CAST('Haus' || char(31) || 'house' AS BLOB), NULL, NULL, NULL, NULL);`
		);
		const bundle = importAnki(bytes, options());
		expect(bundle.notes).toEqual([
			{
				id: 'anki-1700000001000',
				deckId: `anki-${DECK.id}`,
				guid: 'g-1',
				type: 'anki',
				fields: { Front: 'Haus', Back: 'house' },
				modelId: `anki-${BASIC.id}`,
				tags: ['42'],
				position: 0,
				mtime: 1_700_000_500_000
			}
		]);
		expect(bundle.warnings).toEqual([]);
	});

	it('skips notes whose id or note type is junk, saying how many, and keeps the rest', () => {
		const bytes = crafted(
			{
				cards: [
					{ id: 2, nid: 0, did: DECK.id },
					{ id: 3, nid: 5, did: DECK.id }
				]
			},
			`${RETYPED}
			INSERT INTO notes VALUES ('abc', 'g-a', '${BASIC.id}', 'soon', 0, '', 'a' || char(31) || 'b', '', 0, 0, '');
			INSERT INTO notes VALUES ('def', 'g-d', '${BASIC.id}', 1e999, 0, '', 'c' || char(31) || 'd', '', 0, 0, '');
			INSERT INTO notes VALUES (5, 'g-5', 'no type', 1, 0, '', 'e' || char(31) || 'f', '', 0, 0, '');`
		);
		const bundle = importAnki(bytes, options());
		// Both junk ids read as 0: the first such note is kept (with its card), the other skipped.
		expect(bundle.notes.map((n) => [n.id, n.guid, n.fields, n.mtime])).toEqual([
			['anki-0', 'g-a', { Front: 'a', Back: 'b' }, 0]
		]);
		expect(bundle.warnings).toEqual([
			'1 notes use a note type missing from the collection and were skipped.',
			'1 notes repeat the id of an earlier note and were skipped.'
		]);
	});
});

describe('damaged values in a sound collection (found by the fuzz test)', () => {
	const allFinite = (rows: object[]) =>
		rows.every((row) =>
			Object.values(row).every((v) => typeof v !== 'number' || Number.isFinite(v))
		);

	it('reads Infinity and times past any date as no value: every number finite, every time a date', () => {
		// SQLite keeps 9e999 as a REAL Infinity; JSON reads 1e999 as Infinity too.
		const bytes = crafted(
			scenario(11),
			`UPDATE cards SET ivl = 9e999 WHERE id = ${CID.katze};
			UPDATE cards SET odue = 1e308 WHERE id = ${CID.weg};
			UPDATE cards SET data = '{"s":1e999,"d":5}' WHERE id = ${CID.haus};
			UPDATE notes SET mod = 9e999 WHERE id = ${NID.katze};
			INSERT INTO revlog VALUES (9000000000000000000, ${CID.haus}, 0, 3, 4, 0, 2500, 5000, 1);`
		);
		const bundle = importAnki(bytes, options());
		for (const rows of [bundle.notes, bundle.cards, bundle.revlog]) {
			expect(allFinite(rows)).toBe(true);
		}
		const card = (cid: string) => bundle.cards.find((c) => c.id === cid);
		expect(card(`anki-${NID.katze}/0`)?.scheduledDays).toBe(0);
		expect(card(`anki-${NID2.weg}/0`)?.due).toBe(TIME_MAX);
		// The memory state Anki kept is impossible: it is rebuilt from the history instead.
		expect(bundle.cardsToReplay).toContain(`anki-${NID.haus}/0`);
		expect(bundle.notes.find((n) => n.id === `anki-${NID.katze}`)?.mtime).toBe(0);
		expect(bundle.revlog.every((r) => r.reviewedAt < TIME_MAX)).toBe(true);
		expect(bundle.warnings).toContain('1 review log entries have no valid date and were skipped.');
	});

	it('keeps the first of two cards with one note and card number, and of two note types with one id', () => {
		const copy = {
			id: String(BASIC.id),
			name: 'Basic copy',
			type: 0,
			css: '',
			flds: [],
			tmpls: []
		};
		const bytes = crafted(
			scenario(11),
			`INSERT INTO cards SELECT id + 1000, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data FROM cards WHERE id = ${CID.haus};
			UPDATE col SET models = json_set(models, '$.copy', json('${JSON.stringify(copy)}'));`
		);
		const bundle = importAnki(bytes, options());
		expect(bundle.cards.filter((c) => c.noteId === `anki-${NID.haus}`)).toHaveLength(1);
		expect(bundle.models.map((m) => m.name).sort()).toEqual(['Basic', 'Cloze']);
		expect(bundle.warnings).toContain(
			'1 cards repeat the card number of another card of their note and were skipped.'
		);
	});
});
