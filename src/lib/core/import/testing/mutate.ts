import { unzipSync, zipSync, type Zippable } from 'fflate';
import { decompress } from 'fzstd';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { zstdRaw } from './zstd-frames';

/**
 * Input mutation for the importer fuzz test (`../fuzz.test.ts`): a seeded PRNG, blind byte
 * mutations, and mutations that know the container (zip members and names, SQLite headers and
 * rows) so damage also reaches the code behind the first integrity check, not only the "zip is
 * damaged" branch. Everything is deterministic in the seed, so a failing case can be replayed.
 */

/** mulberry32: tiny, fast and good enough to pick mutations; the seed is a 32-bit integer. */
export class Rng {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	next(): number {
		this.#state = (this.#state + 0x6d2b79f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(list: readonly T[]): T {
		return list[this.int(list.length)] as T;
	}

	bytes(n: number): Uint8Array {
		return Uint8Array.from({ length: n }, () => this.int(256));
	}
}

/** A case seed from the run's seed and the case's place, so each case stands on its own. */
export function caseSeed(seed: number, group: string, index: number): number {
	let h = 2166136261 ^ seed;
	for (const c of `${group}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
	return h >>> 0;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

type ByteMutation = (rng: Rng, bytes: Uint8Array) => Uint8Array;

/** Values that sit on the edges of the integer fields formats store (lengths, counts, offsets). */
const EDGES = [
	[0x00],
	[0xff],
	[0x7f],
	[0x80],
	[0xff, 0xff],
	[0x00, 0x00, 0x00, 0x80],
	[0xff, 0xff, 0xff, 0xff],
	[0xff, 0xff, 0xff, 0x7f]
];

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
	'bit flips': (rng, bytes) => {
		const out = bytes.slice();
		const flips = 1 + rng.int(8);
		for (let i = 0; i < flips && out.length > 0; i++) {
			const at = rng.int(out.length);
			out[at] = (out[at] ?? 0) ^ (1 << rng.int(8));
		}
		return out;
	},
	truncation: (rng, bytes) => bytes.slice(0, rng.int(bytes.length + 1)),
	'byte insertion': (rng, bytes) => {
		const at = rng.int(bytes.length + 1);
		return concat(bytes.subarray(0, at), rng.bytes(1 + rng.int(64)), bytes.subarray(at));
	},
	'byte deletion': (rng, bytes) => {
		const at = rng.int(bytes.length + 1);
		const length = 1 + rng.int(Math.max(1, Math.floor(bytes.length / 16)));
		return concat(bytes.subarray(0, at), bytes.subarray(at + length));
	},
	'chunk duplication': (rng, bytes) => {
		const from = rng.int(bytes.length + 1);
		const chunk = bytes.slice(from, from + 1 + rng.int(4096));
		const to = rng.int(bytes.length + 1);
		return concat(bytes.subarray(0, to), chunk, bytes.subarray(to));
	},
	'edge values': (rng, bytes) => {
		const out = bytes.slice();
		const value = rng.pick(EDGES);
		if (out.length >= value.length) out.set(value, rng.int(out.length - value.length + 1));
		return out;
	},
	'zeroed header': (rng, bytes) => zeroHeader(rng, bytes)
};

/** One to three blind mutations in a row; returns the bytes and what was done. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): { bytes: Uint8Array; steps: string[] } {
	const steps: string[] = [];
	let out = bytes;
	const count = 1 + rng.int(3);
	for (let i = 0; i < count; i++) {
		const name = rng.pick(Object.keys(BYTE_MUTATIONS));
		out = (BYTE_MUTATIONS[name] as ByteMutation)(rng, out);
		steps.push(name);
	}
	return { bytes: out, steps };
}

/**
 * Zeroes (part of) a structure header where the bytes have one: a zip local header, central
 * directory entry or end record; SQLite's 100-byte file header or a b-tree page header; a zstd
 * frame header. Falls back to the first bytes of the file.
 */
export function zeroHeader(rng: Rng, bytes: Uint8Array): Uint8Array {
	const ranges: [number, number][] = [[0, Math.min(bytes.length, 32)]];
	for (let i = 0; i + 4 <= bytes.length; i++) {
		if (bytes[i] !== 0x50 || bytes[i + 1] !== 0x4b) continue;
		const kind = (bytes[i + 2] ?? 0) * 256 + (bytes[i + 3] ?? 0);
		if (kind === 0x0304) ranges.push([i, i + 30]);
		else if (kind === 0x0102) ranges.push([i, i + 46]);
		else if (kind === 0x0506) ranges.push([i, i + 22]);
	}
	if (isSqliteBytes(bytes)) {
		ranges.push([0, 100]);
		const size = ((bytes[16] ?? 0) << 8) | (bytes[17] ?? 0);
		const pageSize = size === 1 ? 65536 : size;
		if (pageSize >= 512) {
			for (let page = pageSize; page < bytes.length; page += pageSize) {
				ranges.push([page, page + 12]);
			}
			ranges.push([100, 112]);
		}
	}
	const [start, end] = rng.pick(ranges);
	const out = bytes.slice();
	// The whole header, or a random part of it: a half-zeroed header reaches other checks.
	const from = rng.chance(0.5) ? start : start + rng.int(Math.max(1, end - start));
	const to = rng.chance(0.5) ? end : from + 1 + rng.int(Math.max(1, end - from));
	out.fill(0, Math.min(from, out.length), Math.min(to, out.length));
	return out;
}

function isSqliteBytes(bytes: Uint8Array): boolean {
	return new TextDecoder('latin1').decode(bytes.subarray(0, 15)) === 'SQLite format 3';
}

/** Zip member names a crafted archive might carry, and the names an Anki package uses. */
export const HOSTILE_NAMES = [
	'../collection.anki2',
	'../../etc/passwd',
	'/abs/collection.anki2',
	'C:\\Windows\\system.ini',
	'dir/../../x',
	'a\u0000b',
	'tab\tname',
	'\u202eexe.png',
	'x'.repeat(2000),
	'collection.anki2',
	'collection.anki21',
	'collection.anki21b',
	'media',
	'meta',
	'0',
	'1'
];

/** The members of a zip, as a test (not the importer) reads them: only valid zips go in. */
export function unzipMembers(bytes: Uint8Array): Zippable {
	return unzipSync(bytes);
}

export function zipMembers(members: Zippable, rng: Rng): Uint8Array {
	return zipSync(members, { level: rng.chance(0.5) ? 0 : 6 });
}

/** Renames one member: to a hostile name, to another member's name (replacing it), or a swap. */
export function renameMember(rng: Rng, members: Zippable): { members: Zippable; step: string } {
	const names = Object.keys(members);
	const from = rng.pick(names);
	const out: Zippable = { ...members };
	const data = out[from] as Uint8Array;
	if (rng.chance(0.3) && names.length > 1) {
		const other = rng.pick(names.filter((n) => n !== from));
		out[from] = out[other] as Uint8Array;
		out[other] = data;
		return { members: out, step: `swapped zip members ${from} and ${other}` };
	}
	const to = rng.pick(HOSTILE_NAMES);
	delete out[from];
	out[to] = data;
	return { members: out, step: `renamed zip member ${from} to ${JSON.stringify(to.slice(0, 30))}` };
}

const NAME_BYTES = [0xff, 0xfe, 0xc3, 0x80, 0x2f, 0x5c, 0x2e, 0x2e, 0x00, 0x1f, 0x61, 0x3a];

/**
 * Overwrites a member's name bytes where the zip stores them, in the central directory and
 * (mostly) in the local header too: names that are not UTF-8, carry slashes, dots or control
 * characters, or disagree between the two headers.
 */
export function scrambleNameBytes(rng: Rng, zip: Uint8Array): Uint8Array {
	const out = zip.slice();
	const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
	const entries: { central: number; local: number; length: number }[] = [];
	for (let i = 0; i + 46 <= out.length; i++) {
		if (view.getUint32(i, true) !== 0x02014b50) continue;
		entries.push({
			central: i + 46,
			local: view.getUint32(i + 42, true) + 30,
			length: view.getUint16(i + 28, true)
		});
	}
	if (entries.length === 0) return out;
	const entry = rng.pick(entries);
	const name = Uint8Array.from({ length: entry.length }, () => rng.pick(NAME_BYTES));
	if (entry.central + entry.length <= out.length) out.set(name, entry.central);
	if (rng.chance(0.8) && entry.local + entry.length <= out.length) out.set(name, entry.local);
	return out;
}

/** A member's content as Anki wrote it: zstd members are unpacked so damage lands inside. */
export function memberContent(data: Uint8Array): { content: Uint8Array; zstd: boolean } {
	const zstd = data[0] === 0x28 && data[1] === 0xb5 && data[2] === 0x2f && data[3] === 0xfd;
	if (!zstd) return { content: data, zstd };
	try {
		return { content: decompress(data), zstd };
	} catch {
		return { content: data, zstd: false };
	}
}

export function repackContent(content: Uint8Array, zstd: boolean): Uint8Array {
	return zstd ? zstdRaw(content) : content;
}

/** Values SQLite can hold that an Anki column should not: wrong types, edges, huge, hostile. */
const SQL_VALUES: SqlValue[] = [
	null,
	0,
	-1,
	1,
	2,
	3,
	4,
	5,
	-2,
	-3,
	0.5,
	2 ** 31,
	2 ** 53 + 2,
	9.2e18,
	-9.2e18,
	1e308,
	Infinity,
	-Infinity,
	'',
	'abc',
	'12',
	'1e3',
	' 7 ',
	'\x1f\x1f\x1f',
	'{"s":5,"d":5,"lrt":1700000000}',
	'{"s":1e999,"d":5}',
	'{"s":-1,"d":11}',
	'<img src=x onerror=alert(1)>',
	'../../etc/passwd',
	new Uint8Array([0, 255, 0xc3]),
	new Uint8Array([0x0a, 0x03, 0x41, 0x42])
];

function sqlValue(rng: Rng): SqlValue {
	// A large text now and then: long fields must not slow reading down.
	if (rng.chance(0.02)) return 'x'.repeat(50_000 + rng.int(100_000));
	return rng.pick(SQL_VALUES);
}

const VERSIONS: SqlValue[] = [
	0,
	1,
	10,
	11,
	14,
	15,
	16,
	17,
	18,
	19,
	99,
	-1,
	2 ** 40,
	11.5,
	'x',
	null
];

/**
 * Damages the rows and schema of an SQLite collection with SQL, the way a buggy tool or a
 * hand-edited file would: wrong types and edge values in any column, rows deleted or repeated
 * (same note GUID, same card number), tables dropped or replaced by views, triggers added,
 * `col.ver` changed, the JSON and protobuf settings garbled. Returns `undefined` when sql.js
 * cannot open the bytes (they are then fed to the importer as they are).
 */
export function mutateSqlite(
	rng: Rng,
	sql: SqlJsStatic,
	bytes: Uint8Array
): { bytes: Uint8Array; steps: string[] } | undefined {
	let opened: Database | undefined;
	try {
		opened = new sql.Database(bytes);
		opened.exec('SELECT count(*) FROM sqlite_master');
	} catch {
		opened?.close();
		return undefined;
	}
	const db = opened;
	const steps: string[] = [];
	try {
		const tables = (db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? [])
			.map((row) => String(row[0]))
			.filter((name) => !name.startsWith('sqlite_'));
		const columns = (table: string) =>
			(db.exec(`PRAGMA table_info("${table}")`)[0]?.values ?? []).map((row) => String(row[1]));
		const count = 1 + rng.int(3);
		for (let i = 0; i < count && tables.length > 0; i++) {
			const table = rng.chance(0.6)
				? rng.pick(tables.filter((t) => ['notes', 'cards', 'revlog', 'col'].includes(t)))
				: rng.pick(tables);
			if (!table || !tables.includes(table)) continue;
			const cols = columns(table);
			const step = rng.int(10);
			const some = `WHERE rowid % ${2 + rng.int(3)} = ${rng.int(2)}`;
			const run = (statement: string, params: SqlValue[] = []) => {
				try {
					db.run(statement, params);
				} catch {
					// WITHOUT ROWID tables have no rowid to pick rows by: take them all.
					db.run(statement.replace(some, ''), params);
				}
			};
			try {
				if (step <= 3 && cols.length > 0) {
					const column = rng.pick(cols);
					const value = sqlValue(rng);
					run(`UPDATE "${table}" SET "${column}" = ? ${rng.chance(0.5) ? some : ''}`, [value]);
					steps.push(`set ${table}.${column} = ${describeValue(value)}`);
				} else if (step === 4) {
					run(`DELETE FROM "${table}" ${some}`);
					steps.push(`deleted rows of ${table}`);
				} else if (step === 5 && cols.length > 0) {
					// Repeats every row under new keys: the same GUIDs, note ids and card numbers twice.
					const shift = rng.pick([1, 1_000_000, 0]);
					const list = cols.map((c, k) => (k === 0 ? `"${c}" + ${shift}` : `"${c}"`)).join(', ');
					run(`INSERT OR IGNORE INTO "${table}" SELECT ${list} FROM "${table}"`);
					steps.push(`repeated rows of ${table} (key + ${shift})`);
				} else if (step === 6) {
					db.run(`DROP TABLE "${table}"`);
					if (rng.chance(0.5)) db.run(`CREATE VIEW "${table}" AS SELECT 1 AS id`);
					tables.splice(tables.indexOf(table), 1);
					steps.push(`dropped ${table}`);
				} else if (step === 7) {
					// Triggers only fire on writes; the importer must never write, so they never run.
					db.run(
						`CREATE TRIGGER IF NOT EXISTS fuzz_${i} AFTER UPDATE ON "${table}" BEGIN DELETE FROM "${table}"; END`
					);
					steps.push(`trigger on ${table}`);
				} else if (step === 8 && tables.includes('col')) {
					const version = rng.pick(VERSIONS);
					db.run('UPDATE col SET ver = ?', [version]);
					steps.push(`col.ver = ${describeValue(version)}`);
				} else {
					const blobColumn = cols.find((c) => ['models', 'decks', 'config', 'kind'].includes(c));
					if (!blobColumn) continue;
					const [row] = db.exec(`SELECT "${blobColumn}" FROM "${table}" LIMIT 1`)[0]?.values ?? [];
					const old = row?.[0];
					const oldBytes =
						old instanceof Uint8Array ? old : new TextEncoder().encode(String(old ?? ''));
					const damaged = mutateBytes(rng, oldBytes).bytes;
					const value = old instanceof Uint8Array ? damaged : new TextDecoder().decode(damaged);
					run(`UPDATE "${table}" SET "${blobColumn}" = ? ${some}`, [value]);
					steps.push(`garbled ${table}.${blobColumn}`);
				}
			} catch (error) {
				steps.push(`(${table}: ${(error as Error).message.slice(0, 40)})`);
			}
		}
		return { bytes: db.export(), steps };
	} finally {
		db.close();
	}
}

function describeValue(value: SqlValue): string {
	if (value instanceof Uint8Array) return `blob[${value.length}]`;
	if (typeof value === 'string')
		return JSON.stringify(value.length > 20 ? `${value.slice(0, 17)}…` : value);
	return String(value);
}

const utf8 = new TextEncoder();
const lenient = new TextDecoder();

/** JSON-aware edits: a value replaced, removed or repeated; numbers out of range; or bytes. */
export function mutateJsonText(rng: Rng, text: string): { text: string; steps: string[] } {
	const roll = rng.next();
	if (roll < 0.15) {
		const mutated = mutateBytes(rng, utf8.encode(text));
		return { text: lenient.decode(mutated.bytes), steps: mutated.steps };
	}
	if (roll < 0.3) {
		// Numbers JSON.stringify never writes but JSON.parse reads: Infinity, 0, unsafe integers.
		const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)];
		if (numbers.length === 0) return { text, steps: ['no number'] };
		const match = rng.pick(numbers);
		const value = rng.pick([
			'1e999',
			'-1e999',
			'1e-999',
			'9007199254740993',
			'-0',
			'1.5',
			'-1',
			'8.64e15'
		]);
		const at = match.index ?? 0;
		return {
			text: text.slice(0, at) + value + text.slice(at + match[0].length),
			steps: [`number ${value}`]
		};
	}
	if (roll < 0.35) {
		const at = text.indexOf('{', rng.int(text.length));
		const insert = rng.pick(['"__proto__":{"polluted":1},', '"constructor":{"prototype":{}},']);
		return {
			text: at < 0 ? text : text.slice(0, at + 1) + insert + text.slice(at + 1),
			steps: ['prototype keys']
		};
	}
	const value: unknown = JSON.parse(text);
	const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
	const walk = (node: unknown) => {
		if (slots.length > 5000 || typeof node !== 'object' || node === null) return;
		for (const key of Object.keys(node)) {
			const parent = node as Record<string, unknown>;
			slots.push({
				parent: Array.isArray(node) ? node : parent,
				key: Array.isArray(node) ? Number(key) : key
			});
			walk(parent[key]);
		}
	};
	walk(value);
	const steps: string[] = [];
	const count = 1 + rng.int(3);
	for (let i = 0; i < count && slots.length > 0; i++) {
		const { parent, key } = rng.pick(slots);
		const kind = rng.int(4);
		if (kind === 0) {
			if (Array.isArray(parent)) parent.splice(key as number, 1);
			else delete parent[key as string];
			steps.push(`removed ${key}`);
		} else if (kind === 1 && Array.isArray(parent)) {
			parent.push(structuredClone(parent[key as number]));
			steps.push(`repeated [${key}]`);
		} else {
			const replacement = rng.pick<unknown>([
				null,
				true,
				0,
				-1,
				1.5,
				1e308,
				'',
				' ',
				'x',
				'Not An Id',
				'{{c1::x',
				'<script>alert(1)</script>',
				[],
				{},
				[1, 'a'],
				{ a: 1 },
				'x'.repeat(20_000)
			]);
			(parent as Record<string | number, unknown>)[key] = replacement;
			steps.push(`${key} = ${JSON.stringify(replacement)?.slice(0, 20)}`);
		}
	}
	return { text: JSON.stringify(value), steps };
}
