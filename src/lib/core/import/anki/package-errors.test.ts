import { strToU8, zipSync } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../bundle';
import type { ImportLimits } from '../limits';
import {
	BASIC,
	DECK,
	buildCollection,
	latestPackage,
	legacyPackage,
	placeholderCollection
} from '../testing/anki-fixtures';
import { NOW } from '../testing/anki-scenario';
import { loadSqlJs } from '../testing/node-sql';
import { protoEncode } from '../testing/proto-writer';
import { zstdClaiming, zstdRaw, zstdRleBomb } from '../testing/zstd-frames';
import { importAnki } from './package';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const oneNote = (schema = 11) =>
	buildCollection(sql, {
		schema,
		notes: [{ id: 1, mid: BASIC.id, fields: ['a', 'b'] }],
		cards: [{ id: 2, nid: 1, did: DECK.id }]
	});

function importError(bytes: Uint8Array, limits?: Partial<ImportLimits>): ImportError {
	try {
		importAnki(bytes, { fileName: 'deck.apkg', now: NOW, sql, limits });
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('the import did not fail');
}

describe('importing a damaged or hostile Anki file', () => {
	it.each([
		['a legacy', (c: Uint8Array) => legacyPackage(c)],
		['a current', (c: Uint8Array) => latestPackage(sql, c)]
	])('says what %s package without notes holds instead (decks, note types)', (_, pack) => {
		const error = importError(pack(buildCollection(sql, { schema: 18, notes: [], cards: [] })));
		expect(error.message).toBe(
			`deck.apkg: this package holds no notes, only 1 deck ("${DECK.name}") and 1 note type ("${BASIC.name}"), which Recall imports with the notes that use them`
		);
		expect(error.advice).toMatch(/^In Anki, export the deck that holds the cards/);
	});

	it('rejects an empty file', () => {
		expect(importError(new Uint8Array(0)).message).toBe('deck.apkg: the file is empty');
	});

	it('rejects a file that is neither a zip nor an SQLite collection', () => {
		const error = importError(strToU8('front,back\n'));
		expect(error.message).toBe(
			'deck.apkg: this file is not an Anki package: it is neither a zip archive nor an Anki collection, so it is damaged, incomplete or another kind of file renamed'
		);
		expect(error.advice).toMatch(/^In Anki, export the deck again/);
	});

	it('rejects a truncated zip with a clear message', () => {
		const whole = legacyPackage(oneNote());
		const error = importError(whole.subarray(0, Math.floor(whole.length / 2)));
		expect(error.message).toBe(
			'deck.apkg: the zip file is damaged or incomplete (was the download cut short?)'
		);
	});

	it('rejects a zip that is not an Anki package with a clear message', () => {
		const error = importError(zipSync({ 'notes.txt': strToU8('hello') }));
		expect(error.message).toBe(
			'deck.apkg: this zip is not an Anki package: it has no collection.anki21b, collection.anki21 or collection.anki2'
		);
	});

	it('rejects an SQLite file that lacks the Anki tables, naming the missing table', () => {
		const db = new sql.Database();
		db.exec('CREATE TABLE col (ver integer, crt integer); INSERT INTO col VALUES (11, 0);');
		const bytes = db.export();
		db.close();
		expect(importError(bytes).message).toBe(
			'deck.apkg: this is not an Anki collection: its "notes" table is missing'
		);
	});

	it('rejects a schema-18 collection without its notetypes table', () => {
		const db = new sql.Database(oneNote(18));
		db.exec('DROP TABLE notetypes');
		const bytes = db.export();
		db.close();
		expect(importError(legacyPackage(bytes)).reason).toBe(
			'the collection is incomplete: its "notetypes" table is missing'
		);
	});

	it('rejects a collection schema version newer than it knows (col.ver 19)', () => {
		const error = importError(legacyPackage(oneNote(19)));
		expect(error.entry).toBe('collection.anki2');
		expect(error.reason).toMatch(/^the collection uses schema version 19, newer than Recall/);
	});

	it('rejects an unknown package version in meta, naming the entry', () => {
		const error = importError(latestPackage(sql, oneNote(18), {}, 4));
		expect(error.message).toBe(
			'deck.apkg, entry "meta": the package format (version 4) is newer than Recall understands; in Anki, export it again with "Support older Anki versions" ticked'
		);
	});

	it('rejects a damaged meta entry', () => {
		const bytes = zipSync({ meta: new Uint8Array([0x08]), 'collection.anki2': oneNote() });
		expect(importError(bytes).reason).toMatch(/^the package description is damaged/);
	});

	it('never imports the "please update" placeholder as if it were the deck', () => {
		const bytes = zipSync({
			meta: protoEncode({ 1: 3 }),
			'collection.anki2': placeholderCollection(sql)
		});
		expect(importError(bytes).reason).toMatch(/only holds the "please update Anki" placeholder/);
	});

	it('rejects a damaged media list, naming the media entry', () => {
		const bytes = zipSync({ 'collection.anki2': oneNote(), media: strToU8('{not json') });
		expect(importError(bytes).message).toBe(
			'deck.apkg, entry "media": the list of media files is damaged'
		);
	});

	it('rejects a collection.anki21b that is not valid zstd', () => {
		const bytes = zipSync({
			meta: protoEncode({ 1: 3 }),
			'collection.anki21b': new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x08])
		});
		const error = importError(bytes);
		expect([error.entry, error.reason]).toEqual([
			'collection.anki21b',
			expect.stringMatching(/^the collection is damaged/)
		]);
	});
});

describe('zip and zstd bombs', () => {
	const tiny: Partial<ImportLimits> = { maxEntryBytes: 256 * 1024, maxTotalBytes: 512 * 1024 };

	it('refuses a member whose declared size exceeds the per-file limit, before inflating it', () => {
		const zeros = new Uint8Array(1024 * 1024);
		const error = importError(legacyPackage(oneNote(), { 'big.png': zeros }), tiny);
		expect(error.entry).toBe('0');
		expect(error.reason).toMatch(
			/^it would expand to 1 MB, more than the 256 KB allowed for one file; the package is damaged or a zip bomb$/
		);
	});

	it('refuses a package whose members together exceed the total limit', () => {
		const media = Object.fromEntries(
			Array.from({ length: 6 }, (_, i) => [`m${i}.png`, new Uint8Array(100 * 1024)])
		);
		expect(importError(legacyPackage(oneNote(), media), tiny).reason).toMatch(
			/^the package expands to more than 512 KB/
		);
	});

	it('refuses a zstd collection whose blocks would expand past the limit', () => {
		const bytes = zipSync(
			{ meta: protoEncode({ 1: 3 }), 'collection.anki21b': zstdRleBomb(64) },
			{ level: 0 }
		);
		const error = importError(bytes, tiny);
		expect([error.entry, error.reason]).toEqual([
			'collection.anki21b',
			expect.stringMatching(/would expand to 8.1 MB/)
		]);
	});

	it('refuses a zstd frame that claims 4 GB, with the default limits', () => {
		const bytes = zipSync({
			meta: protoEncode({ 1: 3 }),
			'collection.anki21b': zstdClaiming(0xffffffff)
		});
		expect(importError(bytes).reason).toMatch(/would expand to 4096 MB/);
	});

	it('refuses a zip listing more members than allowed', () => {
		const media = Object.fromEntries(
			Array.from({ length: 5 }, (_, i) => [`m${i}.png`, strToU8('x')])
		);
		expect(importError(legacyPackage(oneNote(), media), { maxEntries: 4 }).reason).toMatch(
			/lists more than 4 files/
		);
	});

	it('refuses a zip with a path-climbing (zip-slip) member name', () => {
		const bytes = zipSync({ 'collection.anki2': oneNote(), '../../etc/passwd': strToU8('x') });
		expect(importError(bytes).reason).toBe(
			'the package contains an unsafe file name "../../etc/passwd"'
		);
	});

	it('reads member names that are not UTF-8 without failing', () => {
		const bytes = zipSync({ 'collection.anki2': oneNote(), 'xx.bin': strToU8('x') }, { level: 0 });
		// Rewrite "xx" in both headers to bytes that are not UTF-8 (no UTF-8 flag is set).
		for (let i = 0; i < bytes.length - 6; i++) {
			if (bytes[i] === 0x78 && bytes[i + 1] === 0x78 && bytes[i + 2] === 0x2e)
				bytes.set([0xff, 0xfe], i);
		}
		const bundle = importAnki(bytes, { fileName: 'deck.apkg', now: NOW, sql });
		expect(bundle.notes).toHaveLength(1);
	});

	it('still reads a zstd member of ordinary size under the tiny limits', () => {
		const bytes = zipSync(
			{ meta: protoEncode({ 1: 3 }), 'collection.anki21b': zstdRaw(oneNote(18)) },
			{ level: 0 }
		);
		expect(
			importAnki(bytes, {
				fileName: 'd.apkg',
				now: NOW,
				sql,
				limits: { maxEntryBytes: 1024 * 1024 }
			}).notes
		).toHaveLength(1);
	});
});
