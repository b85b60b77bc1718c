/**
 * The server's one database interface, with two drivers running the same SQL: PGlite (PostgreSQL
 * in WASM, in-process, data in a local folder — the default) and postgres.js (a real PostgreSQL,
 * when DATABASE_URL is set). Parameters are `$1…`; JSON is bound as text and cast
 * (`$1::text::jsonb`), which both drivers pass through unchanged.
 */
import { closeSync, fsyncSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Param = string | number | boolean | null | Uint8Array;

export interface Queryable {
	query<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T[]>;
}

export interface Db extends Queryable {
	readonly kind: 'pglite' | 'postgres';
	/** Runs `work` in one transaction, again from the start on a serialization failure or deadlock. */
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	/** Makes what has committed durable before a reply acknowledges it (PGlite: fsync the WAL). */
	durable(): Promise<void>;
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
}

/** 40001 serialization_failure, 40P01 deadlock_detected: the transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

export function isRetryable(e: unknown): boolean {
	return (
		typeof e === 'object' && e !== null && RETRYABLE.has(String((e as { code?: unknown }).code))
	);
}

export async function withRetry<T>(run: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run();
		} catch (e) {
			if (!isRetryable(e) || attempt >= MAX_ATTEMPTS) throw e;
			await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
		}
	}
}

/** fsync every WAL segment written since the last call, and the WAL folder itself. */
function fsyncWal(dataDir: string, since: { ms: number }): void {
	const wal = join(dataDir, 'pg_wal');
	const started = Date.now();
	for (const name of readdirSync(wal)) {
		if (!/^[0-9A-F]{24}$/.test(name)) continue;
		const path = join(wal, name);
		if (statSync(path).mtimeMs + 1000 < since.ms) continue;
		const fd = openSync(path, 'r+');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	}
	const dir = openSync(wal, 'r');
	try {
		fsyncSync(dir);
	} finally {
		closeSync(dir);
	}
	since.ms = started;
}

/** PGlite on `dataDir` (a folder; `memory://` for a throwaway database). */
export async function openPglite(dataDir: string): Promise<Db> {
	const { PGlite } = await import('@electric-sql/pglite');
	const pg = await PGlite.create(dataDir);
	const onDisk = !dataDir.startsWith('memory://');
	const synced = { ms: 0 };
	const wrap = (q: {
		query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;
	}): Queryable => ({
		async query<T>(sql: string, params: Param[] = []) {
			return (await q.query(sql, params)).rows as T[];
		}
	});
	return {
		kind: 'pglite',
		...wrap(pg),
		transaction: (work) => withRetry(() => pg.transaction((tx) => work(wrap(tx)))),
		durable() {
			if (onDisk) fsyncWal(dataDir, synced);
			return Promise.resolve();
		},
		async exec(sql) {
			await pg.exec(sql);
		},
		async close() {
			await pg.close();
		}
	};
}

/** A real PostgreSQL through postgres.js. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
	const { default: postgres } = await import('postgres');
	const sql = postgres(url, {
		max: options.max ?? 20,
		onnotice: () => {},
		// int8 as a JS number (sequence numbers and ms times stay far below 2^53).
		types: {
			bigint: {
				to: 20,
				from: [20],
				serialize: (v: number) => String(v),
				parse: (v: string) => Number(v)
			}
		}
	});
	type Unsafe = { unsafe: (text: string, params: never[]) => PromiseLike<unknown> };
	const wrap = (q: Unsafe): Queryable => ({
		async query<T>(text: string, params: Param[] = []) {
			return (await q.unsafe(text, params as never[])) as T[];
		}
	});
	return {
		kind: 'postgres',
		...wrap(sql),
		transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
			withRetry(async () => (await sql.begin((tx) => work(wrap(tx as unknown as Unsafe)))) as T),
		async durable() {
			// PostgreSQL has fsynced the WAL at commit (synchronous_commit).
		},
		async exec(text) {
			await sql.unsafe(text);
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}

/** DATABASE_URL set: that PostgreSQL; otherwise PGlite in `dataDir` (default ./recall-data). */
export async function openDatabase(
	env: { DATABASE_URL?: string; RECALL_DATA?: string } = process.env
): Promise<Db> {
	if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
	return openPglite(env.RECALL_DATA ?? './recall-data');
}
