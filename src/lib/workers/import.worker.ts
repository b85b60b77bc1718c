/**
 * The import worker: reads the file, parses it (core/import), rebuilds FSRS memory state from the
 * review history, and posts the bundle back in pieces. All the slow work of an import happens
 * here, so the page stays responsive; cancelling is terminating the worker.
 */
import {
	ImportError,
	causeText,
	checkFileSize,
	previewText,
	resolveLimits
} from '$lib/core/import';
import { replayImportedMemory } from '$lib/core/import/memory';
import { openDb } from '$lib/storage/db';
import { StorageFullError, writeImport } from '$lib/storage/import-repo';
import { packSearchTexts } from '$lib/storage/note-search-packs';
import { takeSnapshot } from '$lib/storage/snapshots';
import { detectFormat, importAdvice, parseImport } from './import-formats';
import type { OpenRequest, SerializedImportError, WorkerMessage } from './import-protocol';
import { loadSqlJsFrom } from './sql-js';

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
	self.postMessage(message, { transfer });
}

function serializeError(error: unknown, fileName: string): SerializedImportError {
	if (error instanceof ImportError) {
		const advice = error.advice ?? importAdvice(fileName, error.reason);
		return {
			message: error.message,
			file: error.file,
			line: error.line,
			entry: error.entry,
			...(advice ? { advice } : {})
		};
	}
	if (error instanceof StorageFullError) return { message: error.message, storageFull: true };
	// Not the importer's own refusal (a bug, or the browser failing): said briefly, on one line.
	return {
		message: `${fileName}: the file could not be imported (${causeText(error)})`,
		file: fileName,
		advice: 'Reload the page and import the file again; if it fails again, the file is damaged.'
	};
}

function chunks<T>(rows: T[], size: number, send: (rows: T[]) => void): void {
	for (let i = 0; i < rows.length; i += size) send(rows.slice(i, i + size));
}

/** A media file's bytes are transferred, not copied; a view into a larger buffer is cut out first. */
function ownBuffer(data: Uint8Array): Uint8Array<ArrayBuffer> {
	const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
	return whole && data.buffer instanceof ArrayBuffer
		? (data as Uint8Array<ArrayBuffer>)
		: new Uint8Array(data);
}

async function open(request: OpenRequest): Promise<void> {
	const { fileName } = request;
	const limits = resolveLimits(request.limits);
	post({ type: 'progress', stage: 'reading', done: 0, total: request.file.size });
	// Refused from its size alone, before a byte of it is read into memory.
	checkFileSize(request.file.size, fileName, limits);
	const bytes = new Uint8Array(await request.file.arrayBuffer());
	post({ type: 'progress', stage: 'parsing', done: 0, total: bytes.length });
	const format = detectFormat(fileName, bytes.subarray(0, 4096));
	if (format === 'text' && !request.mapping) {
		post({ type: 'preview', format, preview: previewText(bytes, fileName, limits) });
		return;
	}
	if (format === 'anki' && !request.sqlWasmUrl) throw new Error('no sql.js wasm URL was given');
	const sql = format === 'anki' ? await loadSqlJsFrom(request.sqlWasmUrl!) : undefined;
	const parsed = parseImport(format, bytes, fileName, { ...request, limits }, sql);
	const bundle = replayImportedMemory(parsed, request.preset, {
		timeZone: request.timeZone,
		onProgress: (done, total) => post({ type: 'progress', stage: 'history', done, total })
	});
	if (request.write) {
		// Said before the first row is written: it tells the page the parse is over (its time
		// limit covers the parse, not the write).
		const rows = bundle.notes.length + bundle.cards.length + bundle.revlog.length;
		post({ type: 'progress', stage: 'writing', done: 0, total: rows + bundle.media.length });
		const db = openDb(request.write.dbName);
		try {
			// The copy to go back to is taken only now, when the file has parsed and is written.
			if (request.snapshot) {
				await takeSnapshot(db, request.snapshot.reason, request.now, request.timeZone);
			}
			const counts = await writeImport(db, bundle, {
				chunkSize: request.write.chunkSize,
				onProgress: (done, total) => post({ type: 'progress', stage: 'writing', done, total })
			});
			// The new notes' search texts packed here, off the page's thread, so the first search for
			// words does not pack them. A cache: should it fail, the search packs them instead.
			await packSearchTexts(db).catch(() => false);
			post({ type: 'written', format, counts, warnings: bundle.warnings });
		} finally {
			db.close();
		}
		return;
	}
	const size = request.chunkSize ?? 5000;
	const total = bundle.notes.length + bundle.cards.length + bundle.revlog.length;
	let sent = 0;
	const progress = (n: number) => {
		sent += n;
		post({ type: 'progress', stage: 'transfer', done: sent, total });
	};
	chunks(bundle.notes, size, (rows) => (post({ type: 'notes', rows }), progress(rows.length)));
	chunks(bundle.cards, size, (rows) => (post({ type: 'cards', rows }), progress(rows.length)));
	chunks(bundle.revlog, size, (rows) => (post({ type: 'revlog', rows }), progress(rows.length)));
	for (const media of bundle.media) {
		const data = ownBuffer(media.data);
		post({ type: 'media', file: { ...media, data } }, [data.buffer]);
	}
	const { decks, models, warnings } = bundle;
	post({ type: 'done', format, head: { decks, models, warnings } });
}

self.onmessage = (event: MessageEvent<OpenRequest>) => {
	open(event.data).catch((error: unknown) => {
		post({ type: 'error', error: serializeError(error, event.data.fileName) });
	});
};
