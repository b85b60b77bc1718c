import type { SqlJsStatic } from 'sql.js';
import { ImportError, causeText, displayName, type ImportBundle } from '../bundle';
import { ByteBudget, checkFileSize, resolveLimits, type ImportLimits } from '../limits';
import { readCollection } from './collection';
import { convertCollection } from './convert';
import { extractMedia, mediaIndexError, readMediaIndex } from './media';
import { ProtoMessage } from './protobuf';
import { isSqlite, openSqlite } from './sqlite';
import { isZip, openZip, type ZipArchive } from './zip';
import { decompressZstd, isZstd } from './zstd';

export interface AnkiImportOptions {
	/** The file the user picked, for messages. */
	fileName: string;
	/** Import time, ms. */
	now: number;
	/** An initialised sql.js: Node passes its wasm path, the worker its bundled URL. */
	sql: SqlJsStatic;
	limits?: Partial<ImportLimits>;
}

/** Newest first: a package carries older collections only for older Anki versions. */
const COLLECTIONS = ['collection.anki21b', 'collection.anki21', 'collection.anki2'] as const;
/** PackageMetadata.version: 1 legacy (anki2), 2 legacy (anki21), 3 latest (anki21b, zstd). */
const PACKAGE_LATEST = 3;
/** What a current Anki puts in the old-format collection of a package older Ankis cannot read. */
const PLACEHOLDER = 'Please update to the latest Anki version';
/** What to do about a package that cannot be read. */
export const REEXPORT =
	'In Anki, export the deck again (File › Export…, “Anki Deck Package”), copy the new file over in full and import it.';

/**
 * Reads an Anki package (.apkg, .colpkg: any of the three generations) or a bare collection
 * (.anki2) into an ImportBundle. Synchronous and pure: meant to run inside the import worker.
 */
export function importAnki(bytes: Uint8Array, options: AnkiImportOptions): ImportBundle {
	const file = options.fileName;
	const limits = resolveLimits(options.limits);
	checkFileSize(bytes.length, file, limits);
	if (isSqlite(bytes)) return readBundle(bytes, undefined, options, limits);
	if (!isZip(bytes)) {
		throw new ImportError(
			'this file is not an Anki package: it is neither a zip archive nor an Anki collection, so it is damaged, incomplete or another kind of file renamed',
			{ file, advice: REEXPORT }
		);
	}
	const budget = new ByteBudget(limits, file);
	const archive = openZip(bytes, file, limits, budget);
	const version = packageVersion(archive, file);
	const entry = COLLECTIONS.find((name) => archive.has(name));
	if (!entry) {
		throw new ImportError(
			'this zip is not an Anki package: it has no collection.anki21b, collection.anki21 or collection.anki2',
			{ file }
		);
	}
	let collection = archive.read([entry]).get(entry) ?? new Uint8Array(0);
	if (isZstd(collection)) {
		collection = guard(file, entry, 'the collection is damaged', () =>
			decompressZstd(collection, (bound, peak) => budget.claim(bound, entry, peak))
		);
	}
	const bundle = readBundle(collection, entry, options, limits);
	if (archive.has('media')) {
		let list = archive.read(['media']).get('media') ?? new Uint8Array(0);
		// The latest format compresses the list (a protobuf); legacy ones write plain JSON.
		const latest = version >= PACKAGE_LATEST || isZstd(list);
		try {
			if (isZstd(list))
				list = decompressZstd(list, (bound, peak) => budget.claim(bound, 'media', peak));
			const index = readMediaIndex(list, latest);
			bundle.media = extractMedia(archive, index, {
				latest,
				budget,
				warnings: bundle.warnings
			});
		} catch (cause) {
			if (cause instanceof ImportError) throw cause;
			throw mediaIndexError(cause, file);
		}
	}
	return bundle;
}

function readBundle(
	bytes: Uint8Array,
	entry: string | undefined,
	options: AnkiImportOptions,
	limits: ImportLimits
): ImportBundle {
	const file = options.fileName;
	const db = openSqlite(bytes, options.sql, file, entry);
	try {
		const raw = readCollection(db, { file, entry, limits });
		const [only] = raw.notes;
		if (raw.notes.length === 1 && only?.flds.includes(PLACEHOLDER)) {
			throw new ImportError(
				'this package only holds the "please update Anki" placeholder, not the notes; export it again from Anki, or check that the file is complete',
				{ file, entry }
			);
		}
		if (raw.notes.length === 0)
			throw new ImportError(holdsNoNotes(raw), { file, advice: NO_NOTES_ADVICE });
		return convertCollection(raw, { file, now: options.now });
	} finally {
		db.close();
	}
}

const NO_NOTES_ADVICE =
	'In Anki, export the deck that holds the cards (File › Export…, “Anki Deck Package”, with that deck chosen) and import the new file.';

/** "this package holds no notes, only 2 decks ("Default", "Spanish") and 1 note type ("Basic")…" */
function holdsNoNotes(raw: {
	decks: { name: string; filtered: boolean }[];
	notetypes: { name: string }[];
}): string {
	const named = (n: number, one: string, names: string[]) => {
		const shown = names.slice(0, 3).map((name) => displayName(name));
		if (names.length > 3) shown.push('…');
		return `${n} ${n === 1 ? one : `${one}s`}${n > 0 ? ` (${shown.join(', ')})` : ''}`;
	};
	const decks = raw.decks.filter((d) => !d.filtered).map((d) => d.name);
	const types = raw.notetypes.map((t) => t.name);
	return `this package holds no notes, only ${named(decks.length, 'deck', decks)} and ${named(types.length, 'note type', types)}, which Recall imports with the notes that use them`;
}

/** 0 when there is no `meta` (legacy packages); refuses versions newer than Recall knows. */
function packageVersion(archive: ZipArchive, file: string): number {
	if (!archive.has('meta')) return 0;
	const meta = archive.read(['meta']).get('meta') ?? new Uint8Array(0);
	const version = guard(file, 'meta', 'the package description is damaged', () =>
		ProtoMessage.decode(meta).int(1)
	);
	if (version < 1 || version > PACKAGE_LATEST) {
		throw new ImportError(
			`the package format (version ${version}) is newer than Recall understands; in Anki, export it again with "Support older Anki versions" ticked`,
			{ file, entry: 'meta' }
		);
	}
	return version;
}

/** Runs a decoding step, turning a format error into an ImportError that names the entry. */
function guard<T>(file: string, entry: string, reason: string, run: () => T): T {
	try {
		return run();
	} catch (cause) {
		if (cause instanceof ImportError) throw cause;
		throw new ImportError(`${reason} (${causeText(cause)})`, { file, entry, cause });
	}
}
