/**
 * One import on the import page: a file goes to the worker (parsing and history replay happen
 * there), text files stop at a preview for the user to map the columns, then the bundle is
 * written in one transaction. `message` is what the page's status region says at the end.
 */
import type { TextMapping, TextPreview } from '$lib/core/import';
import { getDb, type RecallDb } from '$lib/storage/db';
import { StorageFullError, writeImport, type ImportCounts } from '$lib/storage/import-repo';
import { takeSnapshotOffThread } from '$lib/workers/snapshot-client';
import { getPreset } from '$lib/storage/presets';
import { ImportCancelled, ImportFailure, runImportWorker } from '$lib/workers/import-client';
import { titleFromFileName } from '$lib/workers/import-files';
/** The extensions the picker offers (the page's own list, without loading a parser). */
export { ACCEPTED_EXTENSIONS } from '$lib/workers/import-files';
import type { ImportStage, OpenRequest } from '$lib/workers/import-protocol';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export type ImportPhase = 'idle' | 'working' | 'preview' | 'done' | 'failed' | 'cancelled';
export type JobStage = ImportStage;

/** The columns the user maps; -1 is "none". */
export interface ColumnChoice {
	front: number;
	back: number;
	tags: number;
	deck: number;
	guid: number;
}
export const COLUMN_ROLES = ['front', 'back', 'tags', 'deck', 'guid'] as const;

/** `{ [key]: mapping[key] }` when the mapping has that column and it is not `taken`. */
function pick<K extends keyof TextMapping>(
	mapping: TextMapping,
	key: K,
	taken: number[] = []
): Partial<TextMapping> {
	const column = mapping[key];
	return column !== undefined && !taken.includes(column) ? { [key]: column } : {};
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Imported 196 notes, 196 cards, 237 reviews, 3 media files; 2 notes updated, 5 skipped." */
export function importSummary(counts: ImportCounts): string {
	let text = `Imported ${plural(counts.notes, 'note')}, ${plural(counts.cards, 'card')}, ${plural(counts.reviews, 'review')}`;
	if (counts.media > 0) text += `, ${plural(counts.media, 'media file')}`;
	const others = [];
	if (counts.updated > 0) others.push(`${plural(counts.updated, 'note')} updated`);
	if (counts.skipped > 0) others.push(`${counts.skipped} skipped (already in Recall)`);
	return others.length > 0 ? `${text}; ${others.join(', ')}.` : `${text}.`;
}

/**
 * "Could not import: deck.apkg: <what is wrong>. Nothing was imported. <what to do>." The
 * reason names the file and the place; the advice, when the importer gave one, what to do.
 */
export function failureText(reason: string, advice?: string): string {
	let text = `Could not import: ${reason.trim()}`;
	if (!/[.?!]$/.test(text)) text += '.';
	if (!/nothing was imported/i.test(text)) text += ' Nothing was imported.';
	return advice ? `${text} ${advice}` : text;
}

/** Overall progress: each stage fills its share of the bar. */
const SPANS: Record<JobStage, [number, number]> = {
	reading: [0, 0.05],
	parsing: [0.05, 0.3],
	history: [0.3, 0.4],
	transfer: [0.4, 0.5],
	writing: [0.5, 1]
};

export const STAGE_LABELS: Record<JobStage, string> = {
	reading: 'Reading the file…',
	parsing: 'Reading the notes…',
	history: 'Rebuilding memory from the review history…',
	transfer: 'Preparing…',
	writing: 'Saving…'
};

export interface ImportJobOptions {
	db?: () => RecallDb;
	clock?: Clock;
	timeZone?: () => string | undefined;
	run?: typeof runImportWorker;
	/**
	 * The worker writes the import itself (default), so the page does none of the IndexedDB
	 * work; false writes it here from the bundle the worker posts back.
	 */
	writeInWorker?: boolean;
}

export class ImportJob {
	phase = $state<ImportPhase>('idle');
	stage = $state<JobStage>('reading');
	progress = $state(0);
	fileName = $state('');
	preview = $state.raw<TextPreview | null>(null);
	columns = $state<ColumnChoice>({ front: 0, back: 1, tags: -1, deck: -1, guid: -1 });
	deckTitle = $state('');
	/** The outcome, for the status region: counts, or what went wrong and where. */
	message = $state('');
	warnings = $state.raw<string[]>([]);
	readonly busy = $derived(this.phase === 'working');

	#file: File | null = null;
	#detected: TextMapping | null = null;
	#abort: AbortController | null = null;
	/** Bumped by every start and reset: a superseded import's outcome is dropped. */
	#generation = 0;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	readonly #timeZone: () => string | undefined;
	readonly #runWorker: typeof runImportWorker;
	readonly #writeInWorker: boolean;

	constructor(options: ImportJobOptions = {}) {
		this.#db = options.db ?? getDb;
		this.#clock = options.clock ?? systemClock;
		this.#timeZone = options.timeZone ?? deviceTimeZone;
		this.#runWorker = options.run ?? runImportWorker;
		this.#writeInWorker = options.writeInWorker ?? true;
	}

	/** Starts on a file: text files stop at the preview, others are imported at once. */
	async choose(file: File): Promise<void> {
		this.cancel();
		this.#file = file;
		this.fileName = file.name;
		this.preview = null;
		this.#detected = null;
		await this.#open();
	}

	/** Imports the previewed text file with the columns the user mapped. */
	async confirmColumns(): Promise<void> {
		if (this.phase !== 'preview' || !this.#detected) return;
		const { front, back, tags, deck, guid } = $state.snapshot(this.columns);
		const optional = (column: number) => (column >= 0 ? column : undefined);
		const mapping: TextMapping = {
			front,
			back,
			...(optional(tags) !== undefined ? { tags } : {}),
			...(optional(deck) !== undefined ? { deck } : {}),
			...(optional(guid) !== undefined ? { guid } : {}),
			// Not offered in the preview: kept as the file's headers or names state them.
			...pick(this.#detected, 'notetype'),
			// …unless the user gave that column another role.
			...pick(this.#detected, 'extra', [front, back, tags, deck, guid]),
			...pick(this.#detected, 'reversePrompt', [front, back, tags, deck, guid])
		};
		await this.#open(mapping);
	}

	/** Stops the worker, or rolls back a write in progress; nothing is imported either way. */
	cancel(): void {
		this.#abort?.abort(new ImportCancelled());
	}

	/** Back to choosing a file (after a preview the user does not want, or to import another). */
	reset(): void {
		this.cancel();
		this.#generation++;
		this.phase = 'idle';
		this.preview = null;
		this.message = '';
		this.warnings = [];
		this.progress = 0;
	}

	#report(stage: JobStage, done: number, total: number): void {
		const [from, to] = SPANS[stage];
		this.stage = stage;
		this.progress = from + (to - from) * (total > 0 ? Math.min(1, done / total) : 0);
	}

	async #open(mapping?: TextMapping): Promise<void> {
		const file = this.#file;
		if (!file) return;
		const generation = ++this.#generation;
		const current = () => generation === this.#generation;
		// One signal cancels whatever is under way: the worker, or the write (rolled back).
		const abort = new AbortController();
		this.#abort = abort;
		this.phase = 'working';
		this.message = '';
		this.warnings = [];
		this.#report('reading', 0, 1);
		const db = this.#db();
		try {
			const request: OpenRequest = {
				file,
				fileName: file.name,
				now: this.#clock(),
				timeZone: this.#timeZone(),
				preset: await getPreset(db, 'default'),
				...(mapping ? { mapping, deckTitle: this.deckTitle } : {}),
				// A copy of the collection to go back to, taken when the file has parsed and is
				// about to be written: a file that is refused leaves no snapshot behind.
				...(this.#writeInWorker
					? { write: { dbName: db.name }, snapshot: { reason: 'import' } }
					: {})
			};
			abort.signal.throwIfAborted();
			const run = this.#runWorker(request, (stage, done, total) => {
				if (current()) this.#report(stage, done, total);
			});
			abort.signal.addEventListener('abort', () => run.cancel(), { once: true });
			const result = await run.result;
			if (!current()) return;
			if (result.kind === 'preview') {
				const detected = result.preview.detected.mapping;
				this.#detected = detected;
				this.columns = {
					front: detected.front,
					back: detected.back,
					tags: detected.tags ?? -1,
					deck: detected.deck ?? -1,
					guid: detected.guid ?? -1
				};
				this.deckTitle = result.preview.fileHeaders?.deck || titleFromFileName(file.name);
				this.preview = result.preview;
				this.phase = 'preview';
				return;
			}
			let counts = result.kind === 'written' ? result.counts : undefined;
			if (result.kind === 'bundle') {
				this.#report('writing', 0, 1);
				await takeSnapshotOffThread(db, 'import', this.#clock(), this.#timeZone());
				abort.signal.throwIfAborted();
				counts = await writeImport(db, result.bundle, {
					signal: abort.signal,
					onProgress: (done, total) => this.#report('writing', done, total)
				});
			}
			if (!current() || !counts) return;
			this.progress = 1;
			this.warnings = result.kind === 'bundle' ? result.bundle.warnings : result.warnings;
			this.message = importSummary(counts);
			this.phase = 'done';
		} catch (error) {
			if (!current()) return;
			if (error instanceof ImportCancelled) {
				this.phase = 'cancelled';
				this.message = error.message;
			} else {
				const text = error instanceof Error ? error.message : String(error);
				this.phase = 'failed';
				const full =
					error instanceof StorageFullError ||
					(error instanceof ImportFailure && error.storageFull);
				this.message = full
					? text
					: failureText(text, error instanceof ImportFailure ? error.advice : undefined);
			}
		} finally {
			if (this.#abort === abort) this.#abort = null;
		}
	}
}
