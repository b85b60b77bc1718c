/**
 * The backup and export actions of the Settings page: the whole-collection backup and its
 * restore (validated first, then confirmed, then one transaction), and per-deck exports. Files
 * are handed to `download`, which the component provides (it is the part that touches the DOM).
 */
import type { SqlJsStatic } from 'sql.js';
import {
	BACKUP_FILE_HINT,
	backupFileName,
	parseBackup,
	type RecallBackup
} from '$lib/core/export/backup';
import { collectionPackageName } from '$lib/core/export/apkg';
import { displayName, ImportError } from '$lib/core/import/bundle';
import { DEFAULT_LIMITS, checkFileSize } from '$lib/core/import/limits';
import type { Deck } from '$lib/core/model';
import { getDb, type RecallDb } from '$lib/storage/db';
import {
	createBackup,
	exportCollectionPackage,
	exportDeckApkg,
	exportDeckCsv,
	exportRevlogCsv,
	firstReviewAt,
	lastBackupAt,
	listDecks,
	recordBackup,
	restoreBackup
} from '$lib/storage/export-repo';
import { signedInToSync } from '$lib/storage/sync-signed-in';
import { nudgeDue } from './backup-due';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export type Download = (blob: Blob, fileName: string) => void;

export interface BackupActionsOptions {
	download: Download;
	db?: () => RecallDb;
	clock?: Clock;
	timeZone?: () => string | undefined;
	sql?: () => Promise<SqlJsStatic>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3 decks, 120 notes, 540 reviews" */
export function describeBackup(backup: RecallBackup): string {
	return `${plural(backup.decks.length, 'deck')}, ${plural(backup.notes.length, 'note')}, ${plural(backup.revlog.length, 'review')}`;
}

/** A deck title as a file name on any system: no separators, no reserved characters. */
export function fileNameFor(title: string, extension: string): string {
	const safe = title
		.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
		.replace(/\s+/g, ' ')
		.trim();
	return `${safe.slice(0, 80) || 'deck'}.${extension}`;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Why a chosen file is not restored, in words, with what to do instead. */
export function restoreRefusal(fileName: string, error: unknown): string {
	const from = `Nothing was restored from ${displayName(fileName)}`;
	if (error instanceof ImportError && error.entry !== undefined) {
		return `${from}: the backup is damaged (entry ${displayName(error.entry)} ${error.reason}). Try another copy; ${BACKUP_FILE_HINT}.`;
	}
	if (error instanceof ImportError) return sentence(`${from}: ${error.reason}`);
	return sentence(`${from}: ${error instanceof Error ? error.message : String(error)}`);
}

export { BACKUP_NUDGE_DAYS } from './backup-due';

export class BackupActions {
	decks = $state.raw<Deck[]>([]);
	lastBackup = $state<number | undefined>(undefined);
	/** Signed in to sync: a restore reaches the other devices too, and keeps every review. */
	signedIn = $state(false);
	/** When the oldest review was given: how long the collection has existed without a backup. */
	firstReview = $state<number | undefined>(undefined);
	busy = $state(false);
	/** The outcome of the last action, for the status region. */
	message = $state('');
	/** Why the chosen file cannot be restored, in words, shown beside the file picker. */
	restoreError = $state('');
	/** A validated backup waiting for the user to confirm that it replaces everything. */
	pendingRestore = $state.raw<{ fileName: string; backup: RecallBackup } | null>(null);

	readonly #options: Required<BackupActionsOptions>;

	constructor(options: BackupActionsOptions) {
		this.#options = {
			db: getDb,
			clock: systemClock,
			timeZone: deviceTimeZone,
			// sql.js (and its wasm) loads only when a deck is exported as .apkg.
			sql: () => import('$lib/workers/sql-wasm').then((m) => m.loadSqlJs()),
			...options
		};
	}

	get #db(): RecallDb {
		return this.#options.db();
	}

	async load(): Promise<void> {
		this.decks = await listDecks(this.#db);
		this.lastBackup = await lastBackupAt(this.#db);
		this.firstReview = await firstReviewAt(this.#db);
		this.signedIn = await signedInToSync(this.#db);
	}

	/** A nudge is due when the last download is older than 14 days (or there never was one). */
	nudgeDue(now: number = this.#options.clock()): boolean {
		return nudgeDue(this.lastBackup, this.firstReview, now);
	}

	/** Whole days since the last download, or null when there was none. */
	daysSinceBackup(now: number = this.#options.clock()): number | null {
		return this.lastBackup === undefined ? null : Math.floor((now - this.lastBackup) / 86_400_000);
	}

	/** Runs one action at a time; its error becomes the status message (or goes to `onError`). */
	async #act(
		failure: string,
		action: () => Promise<string>,
		onError?: (error: unknown) => void
	): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		try {
			this.message = await action();
		} catch (error) {
			if (onError) onError(error);
			else this.message = `${failure}: ${error instanceof Error ? error.message : String(error)}`;
		} finally {
			this.busy = false;
		}
	}

	downloadBackup(): Promise<void> {
		return this.#act('The backup could not be made', async () => {
			const now = this.#options.clock();
			const blob = await createBackup(this.#db, now);
			const name = backupFileName(now);
			this.#options.download(blob, name);
			await recordBackup(this.#db, now);
			this.lastBackup = now;
			return `Backup downloaded as ${name}.`;
		});
	}

	/** Reads and validates the file; nothing changes until confirmRestore. */
	chooseRestore(file: File): Promise<void> {
		this.pendingRestore = null;
		this.restoreError = '';
		return this.#act(
			'Nothing was restored',
			async () => {
				checkFileSize(file.size, file.name, DEFAULT_LIMITS);
				const backup = parseBackup(await file.text(), file.name);
				// Signed in or out since the page opened: the confirmation says what the restore does.
				this.signedIn = await signedInToSync(this.#db);
				this.pendingRestore = { fileName: file.name, backup };
				return '';
			},
			(error) => (this.restoreError = restoreRefusal(file.name, error))
		);
	}

	cancelRestore(): void {
		this.pendingRestore = null;
		this.message = 'Restore cancelled: nothing was changed.';
	}

	confirmRestore(): Promise<void> {
		const pending = this.pendingRestore;
		if (!pending) return Promise.resolve();
		this.restoreError = '';
		return this.#act(
			'Could not restore (nothing was changed)',
			async () => {
				const counts = await restoreBackup(this.#db, pending.backup);
				this.pendingRestore = null;
				await this.load();
				return `Restored ${plural(counts.decks, 'deck')}, ${plural(counts.notes, 'note')}, ${plural(counts.cards, 'card')}, ${plural(counts.reviews, 'review')} and ${plural(counts.media, 'media file')} from ${pending.fileName}.`;
			},
			(error) =>
				(this.restoreError = `The restore failed, so nothing was changed: ${error instanceof Error ? error.message : String(error)}`)
		);
	}

	exportApkg(deck: Deck): Promise<void> {
		return this.#act(`Could not export ${deck.title}`, async () => {
			const sql = await this.#options.sql();
			const bytes = await exportDeckApkg(this.#db, deck.id, {
				sql,
				now: this.#options.clock(),
				timeZone: this.#options.timeZone()
			});
			const name = fileNameFor(deck.title, 'apkg');
			this.#options.download(
				new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
				name
			);
			return `Exported ${deck.title} as ${name}.`;
		});
	}

	/** Every deck in one Anki package: `apkg` to merge into Anki, `colpkg` to replace its collection. */
	exportCollection(kind: 'apkg' | 'colpkg'): Promise<void> {
		const what = kind === 'colpkg' ? 'the collection' : 'all decks';
		return this.#act(`Could not export ${what}`, async () => {
			const sql = await this.#options.sql();
			const now = this.#options.clock();
			const bytes = await exportCollectionPackage(this.#db, kind, {
				sql,
				now,
				timeZone: this.#options.timeZone()
			});
			const name = collectionPackageName(kind, now);
			this.#options.download(
				new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
				name
			);
			return `Exported ${what} (${plural(this.decks.length, 'deck')}) as ${name}.`;
		});
	}

	exportCsv(deck: Deck): Promise<void> {
		return this.#act(`Could not export ${deck.title}`, async () => {
			const csv = await exportDeckCsv(this.#db, deck.id);
			const name = fileNameFor(deck.title, 'csv');
			this.#options.download(new Blob([csv], { type: 'text/csv;charset=utf-8' }), name);
			return `Exported ${deck.title} as ${name}.`;
		});
	}

	exportReviewLog(): Promise<void> {
		return this.#act('Could not export the review log', async () => {
			const csv = await exportRevlogCsv(this.#db);
			this.#options.download(
				new Blob([csv], { type: 'text/csv;charset=utf-8' }),
				'recall-review-log.csv'
			);
			return 'Exported the review log as recall-review-log.csv.';
		});
	}
}
