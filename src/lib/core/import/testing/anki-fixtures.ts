import { strToU8, zipSync, type Zippable } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { protoEncode } from './proto-writer';
import { zstdRaw } from './zstd-frames';

/**
 * Small factories for Anki collections and packages, built with sql.js the way Anki lays them
 * out: schema 11 keeps note types and decks as JSON in `col`, schema 18 in tables with protobuf
 * configs. Defaults make a one-deck, Basic-note collection; tests override what they pin.
 */
export interface NotetypeSpec {
	id: number;
	name: string;
	kind?: 'standard' | 'cloze';
	fields: string[];
	templates: { name: string; front: string; back: string }[];
	css?: string;
}
export interface DeckSpec {
	id: number;
	/** Levels joined with "::". */
	name: string;
	description?: string;
	/** A filtered ("dynamic") deck: cards borrowed from their home deck (`odid`). */
	filtered?: boolean;
}
export interface NoteSpec {
	id: number;
	mid: number;
	fields: string[];
	guid?: string;
	tags?: string;
	mod?: number;
}
export interface CardSpec {
	id: number;
	nid: number;
	did: number;
	ord?: number;
	type?: number;
	queue?: number;
	due?: number;
	ivl?: number;
	reps?: number;
	lapses?: number;
	odue?: number;
	odid?: number;
	data?: string;
}
export interface RevlogSpec {
	id: number;
	cid: number;
	ease: number;
	ivl: number;
	time?: number;
	type: number;
}
export interface CollectionSpec {
	schema?: number;
	crt?: number;
	notetypes?: NotetypeSpec[];
	decks?: DeckSpec[];
	notes?: NoteSpec[];
	cards?: CardSpec[];
	revlog?: RevlogSpec[];
}

export const BASIC: NotetypeSpec = {
	id: 1_700_000_000_001,
	name: 'Basic',
	fields: ['Front', 'Back'],
	templates: [
		{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }
	],
	css: '.card { font-family: arial; }'
};
export const CLOZE: NotetypeSpec = {
	id: 1_700_000_000_002,
	name: 'Cloze',
	kind: 'cloze',
	fields: ['Text', 'Back Extra'],
	templates: [
		{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>\n{{Back Extra}}' }
	],
	css: '.cloze { font-weight: bold; }'
};
export const DECK: DeckSpec = {
	id: 1_700_000_000_100,
	name: 'Languages::German',
	description: 'Words'
};

const SCHEMA_11 = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);`;
const SCHEMA_18_TABLES = `
CREATE TABLE notetypes (id integer not null primary key, name text not null, mtime_secs integer not null, usn integer not null, config blob not null);
CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null, config blob not null, primary key (ntid, ord)) without rowid;
CREATE TABLE templates (ntid integer not null, ord integer not null, name text not null, mtime_secs integer not null, usn integer not null, config blob not null, primary key (ntid, ord)) without rowid;
CREATE TABLE decks (id integer primary key not null, name text not null, mtime_secs integer not null, usn integer not null, common blob not null, kind blob not null);
CREATE TABLE deck_config (id integer primary key not null, name text not null, mtime_secs integer not null, usn integer not null, config blob not null);
CREATE TABLE config (KEY text not null primary key, usn integer not null, mtime_secs integer not null, val blob not null) without rowid;`;

export function buildCollection(sql: SqlJsStatic, spec: CollectionSpec = {}): Uint8Array {
	const schema = spec.schema ?? 11;
	const notetypes = spec.notetypes ?? [BASIC];
	const decks = spec.decks ?? [DECK];
	const db = new sql.Database();
	db.exec(SCHEMA_11);
	if (schema >= 15) db.exec(SCHEMA_18_TABLES);
	const legacy = schema < 15;
	db.run('INSERT INTO col VALUES (1, ?, 0, 0, ?, 0, 0, 0, ?, ?, ?, ?, ?)', [
		spec.crt ?? 1_700_000_000,
		schema,
		legacy ? '{}' : '',
		legacy ? JSON.stringify(legacyModels(notetypes)) : '',
		legacy ? JSON.stringify(legacyDecks(decks)) : '',
		legacy ? '{}' : '',
		legacy ? '{}' : ''
	]);
	if (!legacy) insertTables(db, notetypes, decks);
	for (const n of spec.notes ?? []) {
		db.run('INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0, 0, ?)', [
			...[n.id, n.guid ?? `guid-${n.id}`, n.mid, n.mod ?? 1_700_000_500, n.tags ?? ''],
			...[n.fields.join('\x1f'), n.fields[0] ?? '', '']
		]);
	}
	for (const c of spec.cards ?? []) {
		db.run('INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 2500, ?, ?, 0, ?, ?, 0, ?)', [
			...[c.id, c.nid, c.did, c.ord ?? 0, c.type ?? 0, c.queue ?? c.type ?? 0, c.due ?? 0],
			...[c.ivl ?? 0, c.reps ?? 0, c.lapses ?? 0, c.odue ?? 0, c.odid ?? 0, c.data ?? '']
		]);
	}
	for (const r of spec.revlog ?? []) {
		db.run('INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, 2500, ?, ?)', [
			...[r.id, r.cid, r.ease, r.ivl, r.time ?? 5000, r.type]
		]);
	}
	const bytes = db.export();
	db.close();
	return bytes;
}

function legacyModels(notetypes: NotetypeSpec[]) {
	return Object.fromEntries(
		notetypes.map((nt) => [
			String(nt.id),
			{
				id: String(nt.id),
				name: nt.name,
				type: nt.kind === 'cloze' ? 1 : 0,
				css: nt.css ?? '',
				// Stored out of order on purpose: `ord`, not array order, is the position.
				flds: nt.fields.map((name, ord) => ({ name, ord })).reverse(),
				tmpls: nt.templates.map((t, ord) => ({ name: t.name, ord, qfmt: t.front, afmt: t.back }))
			}
		])
	);
}

function legacyDecks(decks: DeckSpec[]) {
	return Object.fromEntries(
		decks.map((d) => [
			String(d.id),
			{ id: d.id, name: d.name, desc: d.description ?? '', dyn: d.filtered ? 1 : 0 }
		])
	);
}

function insertTables(
	db: InstanceType<SqlJsStatic['Database']>,
	notetypes: NotetypeSpec[],
	decks: DeckSpec[]
) {
	for (const nt of notetypes) {
		const config = protoEncode({
			1: nt.kind === 'cloze' ? 1 : undefined,
			3: nt.css ?? '',
			255: 'x'
		});
		db.run('INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)', [nt.id, nt.name, config]);
		nt.fields.forEach((name, ord) =>
			db.run('INSERT INTO fields VALUES (?, ?, ?, ?)', [
				nt.id,
				ord,
				name,
				protoEncode({ 3: 'Arial', 4: 20 })
			])
		);
		nt.templates.forEach((t, ord) =>
			db.run('INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)', [
				...[nt.id, ord, t.name],
				protoEncode({ 1: t.front, 2: t.back, 8: 123456789 })
			])
		);
	}
	for (const d of decks) {
		const kind = d.filtered
			? protoEncode({ 2: protoEncode({ 1: 1 }) })
			: protoEncode({ 1: protoEncode({ 1: 1, 2: 10, 4: d.description ?? '' }) });
		db.run('INSERT INTO decks VALUES (?, ?, 0, 0, ?, ?)', [
			...[d.id, d.name.split('::').join('\x1f')],
			...[protoEncode({ 1: 1 }), kind]
		]);
	}
}

export type MediaSpec = Record<string, Uint8Array>;

/** A legacy package: collection.anki2 (or .anki21) + JSON media map + media members "0", "1", … */
export function legacyPackage(
	collection: Uint8Array,
	media: MediaSpec = {},
	name = 'collection.anki2'
): Uint8Array {
	const files: Zippable = { [name]: collection };
	const map: Record<string, string> = {};
	Object.entries(media).forEach(([file, data], i) => {
		map[String(i)] = file;
		files[String(i)] = data;
	});
	files.media = strToU8(JSON.stringify(map));
	return zipSync(files);
}

/** A latest package: meta v3, zstd collection.anki21b, placeholder anki2, zstd protobuf media. */
export function latestPackage(
	sql: SqlJsStatic,
	collection: Uint8Array,
	media: MediaSpec = {},
	version = 3,
	/** How each media file is framed: by default with its size; Anki's own are `zstdStreamed`. */
	frame: (data: Uint8Array) => Uint8Array = zstdRaw
): Uint8Array {
	const files: Zippable = {
		meta: protoEncode({ 1: version }),
		'collection.anki21b': zstdRaw(collection),
		'collection.anki2': placeholderCollection(sql)
	};
	const entries = Object.entries(media).map(([file, data], i) => {
		files[String(i)] = frame(data);
		return protoEncode({ 1: file, 2: data.length });
	});
	files.media = zstdRaw(protoEncode({ 1: entries }));
	return zipSync(files, { level: 0 });
}

export function placeholderCollection(sql: SqlJsStatic): Uint8Array {
	const text =
		'Please update to the latest Anki version, then import the .colpkg/.apkg file again.';
	return buildCollection(sql, {
		notes: [{ id: 1, mid: BASIC.id, fields: [text, ''] }],
		cards: [{ id: 2, nid: 1, did: DECK.id }]
	});
}
