/**
 * Messages between the import page and the import worker. The bundle crosses in pieces (rows in
 * chunks, each media file on its own with its bytes transferred) so that no single message takes
 * the page long to receive.
 */
import type {
	ImportBundle,
	ImportLimits,
	ImportedMedia,
	TextMapping,
	TextPreview
} from '$lib/core/import';
import type { Card, Note, Preset, RevlogEntry } from '$lib/core/model';
import type { ImportCounts } from '$lib/storage/import-repo';
import type { ImportFormat } from './import-formats';

export interface OpenRequest {
	file: Blob;
	fileName: string;
	/** Import time, ms. */
	now: number;
	/** Study days of the replayed history. */
	timeZone?: string;
	/** Preset whose FSRS parameters rebuild memory state from history. */
	preset: Preset;
	/**
	 * Text files without a mapping stop at a preview for the user to check the columns; with one
	 * they are imported. Other formats are imported at once.
	 */
	mapping?: TextMapping;
	deckTitle?: string;
	html?: boolean;
	/**
	 * A local snapshot to take just before the write begins (never for a file that fails to
	 * parse): the reason stored with it ('import').
	 */
	snapshot?: { reason: string };
	limits?: Partial<ImportLimits>;
	/** Rows per message. */
	chunkSize?: number;
	/**
	 * Write the import here, into this database, instead of posting the bundle back: the
	 * thousands of IndexedDB writes then cost the page nothing (storage/import-repo, one
	 * transaction, as on the page).
	 */
	write?: { dbName: string; chunkSize?: number };
	/** Where sql.js's wasm is (the page's copy; runImportWorker fills it in). */
	sqlWasmUrl?: string;
}

export type ImportStage = 'reading' | 'parsing' | 'history' | 'transfer' | 'writing';

export interface SerializedImportError {
	message: string;
	file?: string;
	line?: number;
	entry?: string;
	/** What the user can do about it, in a sentence. */
	advice?: string;
	/** The browser refused to store more: the message says what to do. */
	storageFull?: boolean;
}

export type BundleHead = Pick<ImportBundle, 'decks' | 'models' | 'warnings'>;

export type WorkerMessage =
	| { type: 'progress'; stage: ImportStage; done: number; total: number }
	| { type: 'preview'; format: ImportFormat; preview: TextPreview }
	| { type: 'notes'; rows: Note[] }
	| { type: 'cards'; rows: Card[] }
	| { type: 'revlog'; rows: RevlogEntry[] }
	| { type: 'media'; file: ImportedMedia }
	| { type: 'done'; format: ImportFormat; head: BundleHead }
	| { type: 'written'; format: ImportFormat; counts: ImportCounts; warnings: string[] }
	| { type: 'error'; error: SerializedImportError };
