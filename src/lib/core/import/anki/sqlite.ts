import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { ImportError, causeText } from '../bundle';

/**
 * The seam between the importer and sql.js: the caller initialises sql.js its own way (Node
 * with a file path to the wasm, the worker with a bundled URL) and passes the SqlJsStatic in.
 */
export interface SqliteReader {
	hasTable(name: string): boolean;
	hasColumn(table: string, column: string): boolean;
	/**
	 * Whether reading the table runs code from the file: a virtual table, or a generated column
	 * (`GENERATED ALWAYS AS (zeroblob(1e9))` allocates a gigabyte per row read). Anki writes
	 * neither, so the importer refuses such tables before reading a row.
	 */
	computesOnRead(table: string): boolean;
	/** Rows as arrays, columns in the order of the SELECT. */
	all(query: string): SqlValue[][];
	close(): void;
}

const MAGIC = 'SQLite format 3\0';

export function isSqlite(bytes: Uint8Array): boolean {
	if (bytes.length < MAGIC.length) return false;
	for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
	return true;
}

export function openSqlite(
	bytes: Uint8Array,
	sql: SqlJsStatic,
	file: string,
	entry?: string
): SqliteReader {
	if (!isSqlite(bytes)) {
		throw new ImportError('the collection is not an SQLite database', { file, entry });
	}
	const db: Database = new sql.Database(bytes);
	const fail = (cause: unknown) =>
		new ImportError(`the collection database is damaged or incomplete (${causeText(cause)})`, {
			file,
			entry,
			cause
		});
	const all = (query: string): SqlValue[][] => {
		try {
			const statement = db.prepare(query);
			try {
				const rows: SqlValue[][] = [];
				while (statement.step()) rows.push(statement.get());
				return rows;
			} finally {
				statement.free();
			}
		} catch (cause) {
			throw fail(cause);
		}
	};
	relaxUnicase(db, fail);
	const tables = new Set(
		all("SELECT name FROM sqlite_master WHERE type = 'table'").map((row) => String(row[0]))
	);
	return {
		hasTable: (name) => tables.has(name),
		hasColumn: (table, column) =>
			// Table names come from this module's own constants, never from the file.
			all(`PRAGMA table_info(${table})`).some((row) => row[1] === column),
		computesOnRead: (table) => {
			const [row] = all(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '${table}'`);
			if (/^\s*create\s+virtual\b/i.test(str(row?.[0]))) return true;
			// table_xinfo's last column, `hidden`: 1 for a virtual table's hidden column, 2 and 3
			// for generated columns; a plain column is 0.
			return all(`PRAGMA table_xinfo(${table})`).some((column) => num(column[6]) !== 0);
		},
		all,
		close: () => db.close()
	};
}

/**
 * Anki registers a `unicase` collation in its own SQLite and declares name columns with it
 * (schema 15+); sql.js has no way to register a collation, and SQLite refuses to read tables
 * that use an unknown one. The copy sql.js opened is private to this import, so its schema is
 * rewritten to the default collation: full scans, the only reads made here, are unaffected.
 */
function relaxUnicase(db: Database, fail: (cause: unknown) => ImportError): void {
	try {
		const [uses] = db.exec("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%collate unicase%'");
		if (!uses || uses.values[0]?.[0] === 0) return;
		db.exec(`PRAGMA writable_schema = ON;
			UPDATE sqlite_master SET sql = replace(replace(sql, 'COLLATE unicase', ''), 'collate unicase', '')
			WHERE sql LIKE '%collate unicase%';
			PRAGMA writable_schema = RESET;`);
	} catch (cause) {
		throw fail(cause);
	}
}

/**
 * Typed cell readers: SQLite is dynamically typed, so a damaged row may hold anything. A REAL
 * column can even hold ±Infinity, which no Anki column means: it reads as 0 like other junk.
 */
export function num(value: SqlValue | undefined): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return 0;
}

const utf8 = new TextDecoder();

export function str(value: SqlValue | undefined): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	if (value instanceof Uint8Array) return utf8.decode(value);
	return '';
}

export function blob(value: SqlValue | undefined): Uint8Array {
	if (value instanceof Uint8Array) return value;
	if (typeof value === 'string') return new TextEncoder().encode(value);
	return new Uint8Array(0);
}
