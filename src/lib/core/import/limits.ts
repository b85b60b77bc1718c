import { ImportError } from './bundle';

/**
 * Ceilings that keep a damaged or hostile file from exhausting the tab's memory. Packages are
 * unzipped in memory, so the totals bound what the worker holds at once; tests pass tiny values.
 */
export interface ImportLimits {
	/** Largest file accepted, bytes. The caller checks `File.size` before reading the file. */
	maxFileBytes: number;
	/** Most members a zip may list (Anki packages hold one per media file). */
	maxEntries: number;
	/** Largest single member once decompressed (a collection or one media file), bytes. */
	maxEntryBytes: number;
	/** All decompressed bytes of one import together, bytes. */
	maxTotalBytes: number;
	/** Most rows of a text file, and of each Anki table (notes, cards, revlog). */
	maxRows: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ImportLimits> = Object.freeze({
	maxFileBytes: 512 * MiB,
	maxEntries: 100_000,
	maxEntryBytes: 512 * MiB,
	maxTotalBytes: 1024 * MiB,
	maxRows: 2_000_000
});

export function resolveLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
	return { ...DEFAULT_LIMITS, ...overrides };
}

export function formatBytes(bytes: number): string {
	if (bytes >= MiB) return `${Math.round((bytes / MiB) * 10) / 10} MB`;
	if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
	return `${bytes} bytes`;
}

const TOO_LARGE =
	'Split it into smaller files (in Anki, export one deck at a time, without media if need be) and import each.';

/** For the caller to run on `File.size` before reading: a file this large is refused unread. */
export function checkFileSize(size: number, file: string, limits: ImportLimits): void {
	if (size === 0) {
		throw new ImportError('the file is empty', {
			file,
			advice: 'The download or copy may have failed: get the file again, then import it.'
		});
	}
	if (size > limits.maxFileBytes) {
		throw new ImportError(
			`the file is ${formatBytes(size)}, larger than the ${formatBytes(limits.maxFileBytes)} Recall can import`,
			{ file, advice: TOO_LARGE }
		);
	}
}

/**
 * Counts decompressed bytes against the limits before they are allocated, so a zip or zstd
 * bomb is refused from its declared sizes rather than discovered by running out of memory.
 */
export class ByteBudget {
	#used = 0;

	constructor(
		private readonly limits: ImportLimits,
		private readonly file: string
	) {}

	get used(): number {
		return this.#used;
	}

	/**
	 * Charges `bytes` (what the member decompresses to) to the total; `peak` (at least `bytes`:
	 * what decoding it holds at once, with working buffers freed after) to the per-file limit.
	 */
	claim(bytes: number, entry: string, peak = bytes): void {
		if (Math.max(bytes, peak) > this.limits.maxEntryBytes) {
			throw new ImportError(
				`it would expand to ${formatBytes(Math.max(bytes, peak))}, more than the ${formatBytes(this.limits.maxEntryBytes)} allowed for one file; the package is damaged or a zip bomb`,
				{ file: this.file, entry }
			);
		}
		if (this.#used + bytes > this.limits.maxTotalBytes) {
			throw new ImportError(
				`the package expands to more than ${formatBytes(this.limits.maxTotalBytes)}; it is damaged, a zip bomb, or too large to import`,
				{ file: this.file, entry }
			);
		}
		this.#used += bytes;
	}
}

export function checkRowCount(count: number, what: string, file: string, limits: ImportLimits) {
	if (count > limits.maxRows) {
		throw new ImportError(
			`it has more than ${limits.maxRows.toLocaleString('en')} ${what}, more than Recall imports at once`,
			{ file, advice: TOO_LARGE }
		);
	}
}

/**
 * Most cloze openers (`{{c1::`) one field may hold. Real notes have a handful; the cloze parser
 * (`render/cloze.ts`) copies unterminated openers back level by level and recurses once per
 * nesting level, so 15,000 of them in a crafted field take seconds (and deeper nesting
 * overflows the stack) when the note is imported or shown. Such a field is damage, not a note.
 */
export const MAX_CLOZE_OPENERS = 1000;

/** Whether `text` holds more cloze openers than any note has; stops counting at the limit. */
export function tooManyClozes(text: string): boolean {
	let count = 0;
	for (let at = text.indexOf('{{c'); at >= 0; at = text.indexOf('{{c', at + 3)) {
		if (++count > MAX_CLOZE_OPENERS) return true;
	}
	return false;
}
