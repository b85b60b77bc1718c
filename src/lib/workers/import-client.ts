/**
 * The page's side of the import worker: starts it, reports progress, and either takes the counts
 * of the import the worker wrote or reassembles the bundle from its messages. Cancelling
 * terminates the worker; a write it had begun is an open transaction, which IndexedDB then
 * aborts, so nothing is imported.
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

export type WorkerResult =
	| { kind: 'preview'; format: ImportFormat; preview: TextPreview }
	| { kind: 'bundle'; format: ImportFormat; bundle: ImportBundle }
	| { kind: 'written'; format: ImportFormat; counts: ImportCounts; warnings: string[] };

/** An import the worker refused: `message` names the file and the line or entry at fault. */
export class ImportFailure extends Error {
	readonly file?: string;
	readonly line?: number;
	readonly entry?: string;
	readonly storageFull: boolean;

	constructor(error: SerializedImportError) {
		super(error.message);
		this.name = 'ImportFailure';
		this.file = error.file;
		this.line = error.line;
		this.entry = error.entry;
		this.storageFull = error.storageFull ?? false;
	}
}

export class ImportCancelled extends Error {
	constructor() {
		super('Import cancelled: nothing was imported.');
		this.name = 'ImportCancelled';
	}
}

export type ProgressListener = (stage: ImportStage, done: number, total: number) => void;

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
	create: () => Worker = createImportWorker
): WorkerRun {
	const worker = create();
	let settle: { resolve: (r: WorkerResult) => void; reject: (e: Error) => void } | undefined;
	const result = new Promise<WorkerResult>((resolve, reject) => {
		settle = { resolve, reject };
	});
	const finish = (outcome: { ok: WorkerResult } | { error: Error }) => {
		worker.terminate();
		if ('ok' in outcome) settle?.resolve(outcome.ok);
		else settle?.reject(outcome.error);
		settle = undefined;
	};
	const bundle = emptyBundle();
	worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
		const message = event.data;
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
				file: request.fileName
			})
		});
	};
	worker.postMessage(request);
	return { result, cancel: () => finish({ error: new ImportCancelled() }) };
}
