/**
 * The page's side of the import worker: starts it, reports progress, and either takes the counts
 * of the import the worker wrote or reassembles the bundle from its messages. Cancelling
 * terminates the worker; a write it had begun is an open transaction, which IndexedDB then
 * aborts, so nothing is imported. A parse that runs past its time limit is stopped the same way:
 * a crafted file that sends a parser into a loop costs the user a message, not a dead tab.
 */
import { emptyBundle, type ImportBundle } from '$lib/core/import/bundle';
import type { TextPreview } from '$lib/core/import/text/preview';
import type { ImportCounts } from '$lib/storage/import-repo';
import type { ImportFormat } from './import-formats';
import type {
	ImportStage,
	OpenRequest,
	SerializedImportError,
	WorkerMessage
} from './import-protocol';
import { sqlWasmUrl } from './sql-wasm';

export type WorkerResult =
	| { kind: 'preview'; format: ImportFormat; preview: TextPreview }
	| { kind: 'bundle'; format: ImportFormat; bundle: ImportBundle }
	| { kind: 'written'; format: ImportFormat; counts: ImportCounts; warnings: string[] };

/** An import the worker refused: `message` names the file and the line or entry at fault. */
export class ImportFailure extends Error {
	readonly file?: string;
	readonly line?: number;
	readonly entry?: string;
	/** What the user can do about it, in a sentence. */
	readonly advice?: string;
	readonly storageFull: boolean;

	constructor(error: SerializedImportError) {
		super(error.message);
		this.name = 'ImportFailure';
		this.file = error.file;
		this.line = error.line;
		this.entry = error.entry;
		this.advice = error.advice;
		this.storageFull = error.storageFull ?? false;
	}
}

export class ImportCancelled extends Error {
	constructor() {
		super('Import cancelled: nothing was imported.');
		this.name = 'ImportCancelled';
	}
}

/** The parse ran past its time limit and the worker was stopped: nothing was imported. */
export class ImportTimedOut extends ImportFailure {
	readonly timeLimitMs: number;

	constructor(fileName: string, timeLimitMs: number) {
		super({
			message: `${fileName}: the import took too long and was stopped; nothing was imported.`,
			file: fileName,
			advice:
				'If the file is very large, split it (in Anki, export one deck at a time) and import each part.'
		});
		this.name = 'ImportTimedOut';
		this.timeLimitMs = timeLimitMs;
	}
}

export type ProgressListener = (stage: ImportStage, done: number, total: number) => void;

const MiB = 1024 * 1024;
/** Time for reading, parsing and rebuilding history, whatever the file's size. */
export const PARSE_TIME_BASE_MS = 120_000;
/** And per megabyte of file: a 512 MB package gets about ten and a half minutes. */
export const PARSE_TIME_PER_MB_MS = 1_000;

/**
 * The default limit for a file of `size` bytes: generous, since a slow phone parsing a large
 * honest package must never be stopped; it is there for parsers sent into a loop.
 */
export function parseTimeLimit(size: number): number {
	return PARSE_TIME_BASE_MS + Math.ceil(size / MiB) * PARSE_TIME_PER_MB_MS;
}

export interface WorkerRunOptions {
	/**
	 * Longest the worker may read, parse and rebuild history before it is stopped, ms (default:
	 * `parseTimeLimit(file.size)`). Handing rows over and writing are not counted: their work is
	 * bounded by what the parse produced, and stopping a write would throw away a good import.
	 */
	timeLimitMs?: number;
}

export interface WorkerRun {
	result: Promise<WorkerResult>;
	cancel(): void;
}

export function createImportWorker(): Worker {
	return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
}

export function runImportWorker(
	request: OpenRequest,
	onProgress: ProgressListener = () => {},
	create: () => Worker = createImportWorker,
	options: WorkerRunOptions = {}
): WorkerRun {
	const worker = create();
	let settle: { resolve: (r: WorkerResult) => void; reject: (e: Error) => void } | undefined;
	const result = new Promise<WorkerResult>((resolve, reject) => {
		settle = { resolve, reject };
	});
	const timeLimitMs = options.timeLimitMs ?? parseTimeLimit(request.file.size);
	// Terminating the worker stops a parser in a loop, which nothing inside the worker could.
	const deadline = setTimeout(() => {
		finish({ error: new ImportTimedOut(request.fileName, timeLimitMs) });
	}, timeLimitMs);
	const stopClock = () => clearTimeout(deadline);
	const finish = (outcome: { ok: WorkerResult } | { error: Error }) => {
		stopClock();
		worker.terminate();
		if ('ok' in outcome) settle?.resolve(outcome.ok);
		else settle?.reject(outcome.error);
		settle = undefined;
	};
	const bundle = emptyBundle();
	worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
		const message = event.data;
		// Rows arriving, or the write begun: the parse is over, and what is left is bounded by
		// what it produced.
		const parsing =
			message.type === 'progress' && message.stage !== 'transfer' && message.stage !== 'writing';
		if (!parsing) stopClock();
		switch (message.type) {
			case 'progress':
				onProgress(message.stage, message.done, message.total);
				break;
			case 'preview':
				finish({ ok: { kind: 'preview', format: message.format, preview: message.preview } });
				break;
			case 'notes':
				for (const row of message.rows) bundle.notes.push(row);
				break;
			case 'cards':
				for (const row of message.rows) bundle.cards.push(row);
				break;
			case 'revlog':
				for (const row of message.rows) bundle.revlog.push(row);
				break;
			case 'media':
				bundle.media.push(message.file);
				break;
			case 'done':
				Object.assign(bundle, message.head);
				finish({ ok: { kind: 'bundle', format: message.format, bundle } });
				break;
			case 'written':
				finish({
					ok: {
						kind: 'written',
						format: message.format,
						counts: message.counts,
						warnings: message.warnings
					}
				});
				break;
			case 'error':
				finish({ error: new ImportFailure(message.error) });
				break;
		}
	};
	worker.onerror = (event) => {
		event.preventDefault();
		const reason = event.message || 'the import worker stopped unexpectedly';
		finish({
			error: new ImportFailure({
				message: `${request.fileName}: ${reason}`,
				file: request.fileName,
				advice: 'Reload the page and import the file again.'
			})
		});
	};
	worker.postMessage({ ...request, sqlWasmUrl: request.sqlWasmUrl ?? sqlWasmUrl() });
	return { result, cancel: () => finish({ error: new ImportCancelled() }) };
}
