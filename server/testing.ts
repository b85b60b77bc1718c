/**
 * The databases the server tests run against: PGlite always; a real PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) reaches one — each run in a fresh database of its own,
 * dropped afterwards. In CI (CI=true) a missing PostgreSQL is a failure, not a skip.
 */
import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type Db } from './db';
import { migrate } from './schema';

export interface Backend {
	name: string;
	open: () => Promise<{ db: Db; dispose: () => Promise<void> }>;
}

async function postgresBackend(): Promise<Backend | string> {
	const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
	const ci = process.env.CI === 'true' || process.env.CI === '1';
	if (!url) {
		const reason =
			'no PostgreSQL: set TEST_DATABASE_URL (or DATABASE_URL) to postgres://… (.ci/run does)';
		if (ci) throw new Error(`CI must test against PostgreSQL 15, but there is ${reason}`);
		return reason;
	}
	try {
		const admin = await openPostgres(url, { max: 1 });
		await admin.query('select 1');
		await admin.close();
	} catch (e) {
		const reason = `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')} is not reachable (${(e as Error).message})`;
		if (ci) throw new Error(`CI must test against PostgreSQL 15, but ${reason}`);
		return reason;
	}
	return {
		name: 'PostgreSQL',
		async open() {
			const name = `recall_test_${randomBytes(6).toString('hex')}`;
			const admin = await openPostgres(url, { max: 1 });
			await admin.exec(`create database ${name}`);
			const target = new URL(url);
			target.pathname = `/${name}`;
			const db = await openPostgres(target.href);
			await migrate(db);
			return {
				db,
				async dispose() {
					await db.close();
					await admin.exec(`drop database if exists ${name}`);
					await admin.close();
				}
			};
		}
	};
}

const pglite: Backend = {
	name: 'PGlite',
	async open() {
		const db = await openPglite('memory://');
		await migrate(db);
		return { db, dispose: () => db.close() };
	}
};

const pg = await postgresBackend();
export const backends: Backend[] = typeof pg === 'string' ? [pglite] : [pglite, pg];
/** Why the PostgreSQL half is skipped, or null when it runs. */
export const postgresSkipReason: string | null = typeof pg === 'string' ? pg : null;
if (postgresSkipReason)
	console.warn(`Server tests against PostgreSQL are SKIPPED: ${postgresSkipReason}.`);
