/**
 * Opening the database and what can go wrong with it, in words a user can act on: IndexedDB
 * missing (some private modes), a database written by a newer Recall, another tab upgrading it,
 * the browser closing the connection (iOS does in the background), a full disk.
 */
import { SCHEMA_VERSION, setNotePreparer, type RecallDb } from './db';
import { isQuotaError } from './errors';

export type DbProblem = 'unavailable' | 'newer-version' | 'upgraded-elsewhere' | 'blocked';

export const DB_MESSAGES: Record<DbProblem, string> = {
	unavailable:
		'This browser is not letting Recall store anything (private browsing?). You can look around, but nothing you study will be kept.',
	'newer-version':
		'Your flashcards were saved by a newer version of Recall. Please update: reload the page (or reinstall the app) to get the latest version.',
	'upgraded-elsewhere':
		'Recall was updated in another tab. Reload this page to continue; nothing has been lost.',
	blocked: 'Recall is being updated. Close its other tabs or windows to finish.'
};

export const STORAGE_FULL_MESSAGE =
	'Storage is full: nothing was saved from this last action. Free some space on the device (or delete decks you no longer use), then try again. Everything saved before is intact.';

/** Which problem an error from opening or using the database means, if any. */
export function classifyDbError(e: unknown): DbProblem | 'quota' | null {
	const err = e as { name?: string } | null;
	if (isQuotaError(e)) return 'quota';
	// Dexie wraps the browser's error (AbortError.inner, sometimes twice): look down the chain.
	const names: (string | undefined)[] = [];
	for (let x = e as { name?: string; inner?: unknown } | null, i = 0; x && i < 5; i++) {
		names.push(x.name);
		x = x.inner as typeof x;
	}
	if (names.includes('VersionError')) return 'newer-version';
	if (names.includes('MissingAPIError') || names.includes('InvalidAccessError'))
		return 'unavailable';
	if (err?.name === 'OpenFailedError' || err?.name === 'SecurityError') return 'unavailable';
	return null;
}

/** Words for any error from a write: storage full gets its own advice. */
export function describeDbError(e: unknown): string {
	const kind = classifyDbError(e);
	if (kind === 'quota') return STORAGE_FULL_MESSAGE;
	if (kind) return DB_MESSAGES[kind];
	return `The change could not be saved (${e instanceof Error ? e.message : String(e)}). Nothing was changed.`;
}

/**
 * Opens the database and watches it. Reports problems through `report` and a schema migration
 * while it runs through `migrating`; never throws, so the app can still render (read-only or
 * with a banner). `now` (the state layer's clock) stamps the snapshot taken before a migration.
 */
export async function openWatched(
	db: RecallDb,
	report: (p: DbProblem) => void,
	{ now, migrating = () => {} }: { now: () => number; migrating?: (running: boolean) => void }
): Promise<boolean> {
	db.on('versionchange', () => {
		// A newer tab wants to upgrade: step aside instead of blocking it forever.
		db.close();
		report('upgraded-elsewhere');
		return false;
	});
	db.on('blocked', () => report('blocked'));
	if (typeof indexedDB === 'undefined') {
		report('unavailable');
		return false;
	}
	try {
		// A schema migration is a moment to keep a copy of the collection as it was. The snapshot
		// code (backup writer, gzip) loads only then, not on every start.
		const pending = await migrationPending(db.name);
		// A large collection takes a while to bring up to this version (seconds for a million
		// reviews): say so instead of looking stuck.
		if (pending) migrating(true);
		try {
			const before = pending
				? await import('./snapshots')
						.then((m) => m.snapshotBeforeMigration(db.name, now()))
						.catch(() => null)
				: null;
			// The v7 upgrade renders the stored notes' cards; its renderer (marked) loads only then.
			if (pending) await loadNotePreparer();
			await db.open();
			if (before) await db.snapshots.add(before);
		} finally {
			if (pending) migrating(false);
		}
		// Dexie 4 opens a database of a higher version as it is; this build must not write to a
		// schema it does not know.
		// (Dexie stores version n as IndexedDB version 10·n.)
		if (db.backendDB().version > SCHEMA_VERSION * 10) {
			db.close();
			report('newer-version');
			return false;
		}
		return true;
	} catch (e) {
		report(classifyDbError(e) === 'newer-version' ? 'newer-version' : 'unavailable');
		return false;
	}
}

async function loadNotePreparer(): Promise<void> {
	try {
		setNotePreparer((await import('../core/render/prepare')).prepareNoteHtml);
	} catch {
		// Not loaded (a chunk missing after a deploy): the cards are rendered when shown.
	}
}

/** Whether the database on disk is older than this build's schema (a migration will run). */
async function migrationPending(name: string): Promise<boolean> {
	if (typeof indexedDB.databases !== 'function') return false;
	const found = (await indexedDB.databases()).find((d) => d.name === name);
	return !!found?.version && found.version < SCHEMA_VERSION * 10;
}

/** Connection-level failures worth one retry after reopening (not data errors). */
export function isConnectionLost(e: unknown): boolean {
	const err = e as { name?: string; message?: string; inner?: { name?: string } } | null;
	return (
		err?.name === 'DatabaseClosedError' ||
		err?.inner?.name === 'InvalidStateError' ||
		err?.name === 'InvalidStateError' ||
		/connection is closing|database connection is closing/i.test(err?.message ?? '')
	);
}

/** Runs a database action; if the browser dropped the connection, reopens and tries once more. */
export async function withReconnect<T>(db: RecallDb, action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (e) {
		if (!isConnectionLost(e)) throw e;
		if (!db.isOpen()) await db.open();
		return action();
	}
}
