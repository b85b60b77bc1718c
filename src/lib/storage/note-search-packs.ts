/**
 * The notes' search texts (note-search.ts) packed a few hundred to a record, so a cold search
 * for words reads ~200 records for 100 000 notes instead of 100 000: IndexedDB's cost is per
 * record (≈ 8.5 µs each here, however small), not per byte.
 *
 * The packs partition the note ids: a pack holds every search row from its key (`from`) up to
 * the next pack's key, the first pack's key being '' (below every id); no pack at all is one
 * stale range over everything. They are a cache, rebuilt by the search that needs them:
 *
 * - a note write marks the packs covering the notes it wrote stale (`t: null`) in the same
 *   transaction (the note-search middleware calls `stalePacks`), and a clear of the notes drops
 *   them all; nothing else is read or rewritten on a write;
 * - a search reads every pack, and rebuilds the stale ones from the search rows of their range
 *   in a readwrite transaction over both tables (`searchTextPages`), so a note written meanwhile
 *   either came before (its row is read) or marks the new pack stale again. A range grown past
 *   `PACK_SIZE` rows is split into several packs; the rebuild first deletes any pack inside the
 *   range (another tab's search may have rebuilt and split it since this one read the list), so
 *   the packs always partition the ids.
 */
import type { DBCoreMutateResponse, DBCoreTable, DBCoreTransaction } from 'dexie';
import type { RecallDb } from './db';
import type { NoteSearchRow } from './note-search';

export const PACK_TABLE = 'noteSearchPacks';
/** Search rows per pack when one is built (≈ 30 kB of text at 60 characters a note). */
export const PACK_SIZE = 500;
/**
 * Stale packs rebuilt per transaction, and search rows read per stale range in it (the rest is
 * rebuilt by the next transaction).
 */
const BATCH = { ranges: 10, rows: 2_000 };
/** Entries handed to the search at a time (it yields to the page between them). */
const PAGE = 10_000;

/**
 * A pack: its search rows as JSON `[id, text][]`, or null when a write made it stale (and then
 * `stale: 1`, indexed, so whether anything is stale is one count).
 */
export interface SearchPackRow {
	from: string;
	t: string | null;
	stale?: 1;
}

const STALE = (from: string): SearchPackRow => ({ from, t: null, stale: 1 });

/** Dexie's DBCoreRangeType.Any: every key. */
const ANY = { type: 3, lower: -Infinity, lowerOpen: false, upper: [[]], upperOpen: false } as const;

/** The key of the pack holding `id`: the greatest key ≤ id; undefined when below the first. */
function packOf(keys: readonly string[], id: string): string | undefined {
	let lo = 0;
	let hi = keys.length - 1;
	let found: string | undefined;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const key = keys[mid] as string;
		if (key <= id) {
			found = key;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return found;
}

/**
 * In a transaction that wrote notes: marks the packs holding `ids` stale, or drops every pack
 * ('all': the notes were cleared). One read of the packs' keys and one write.
 */
export async function stalePacks(
	packs: DBCoreTable,
	trans: DBCoreTransaction,
	ids: readonly unknown[] | 'all'
): Promise<void> {
	const check = (done: DBCoreMutateResponse) => {
		if (done.numFailures > 0) throw Object.values(done.failures)[0];
	};
	if (ids === 'all') return check(await packs.mutate({ type: 'deleteRange', trans, range: ANY }));
	if (ids.length === 0) return;
	const query = { index: packs.schema.primaryKey, range: ANY };
	const keys = (await packs.query({ trans, values: false, query })).result as string[];
	const touched = new Set<string>();
	for (const id of ids) {
		const key = typeof id === 'string' ? packOf(keys, id) : undefined;
		if (key !== undefined) touched.add(key);
	}
	if (touched.size > 0)
		check(await packs.mutate({ type: 'put', trans, values: [...touched].map(STALE) }));
}

/** One search entry: a note id and its search text (null: match the note itself). */
export type SearchEntry = readonly [id: string, text: string | null];

interface Range {
	from: string;
	/** Exclusive; null: to the end. */
	to: string | null;
}

function rowsIn(db: RecallDb, { from, to }: Range, limit: number) {
	const where = db.noteSearch.where(':id');
	const rows = to === null ? where.aboveOrEqual(from) : where.between(from, to, true, false);
	return rows.limit(limit).toArray();
}

/** Packs for one range's rows, `PACK_SIZE` to a pack; the first keeps the range's key. */
function packed(range: Range, rows: readonly NoteSearchRow[]): SearchPackRow[] {
	const out: SearchPackRow[] = [];
	for (let k = 0; k === 0 || k < rows.length; k += PACK_SIZE) {
		const part = rows.slice(k, k + PACK_SIZE);
		out.push({
			from: k === 0 ? range.from : (part[0] as NoteSearchRow).id,
			t: JSON.stringify(part.map((r) => [r.id, r.t]))
		});
	}
	return out;
}

interface Rebuilt {
	entries: SearchEntry[];
	/** What is left of ranges longer than the batch's rows: a stale pack now starts each. */
	rest: Range[];
}

/** Reads up to `limit` rows of each range, and the rest of each that has more. */
async function readRanges(db: RecallDb, ranges: readonly Range[], limit: number) {
	const read = await Promise.all(ranges.map((r) => rowsIn(db, r, limit + 1)));
	return ranges.map((range, i) => {
		const rows = read[i] as NoteSearchRow[];
		const next = rows.length > limit ? (rows.pop() as NoteSearchRow) : undefined;
		return { range, rows, rest: next ? { from: next.id, to: range.to } : undefined };
	});
}

/**
 * Rebuilds stale ranges, at most `limit` rows of each (the rest is left as a stale pack for the
 * next call), and returns their entries. Reading the rows and writing their packs is one
 * transaction; if the write fails (e.g. the disk is full) the rows are read again without it, so
 * the search still answers.
 */
async function rebuild(db: RecallDb, ranges: readonly Range[], limit: number): Promise<Rebuilt> {
	const done = (read: Awaited<ReturnType<typeof readRanges>>): Rebuilt => ({
		entries: read.flatMap((r) => r.rows.map((row): SearchEntry => [row.id, row.t])),
		rest: read.flatMap((r) => (r.rest ? [r.rest] : []))
	});
	try {
		return await db.transaction('rw', db.noteSearch, db.noteSearchPacks, async () => {
			const read = await readRanges(db, ranges, limit);
			// The range is made anew: packs another tab's search made inside it meanwhile go.
			await Promise.all(
				ranges.map(({ from, to }) => {
					const where = db.noteSearchPacks.where(':id');
					return (to === null ? where.above(from) : where.between(from, to, false, false)).delete();
				})
			);
			await db.noteSearchPacks.bulkPut(
				read.flatMap(({ range, rows, rest }) => [
					...packed(range, rows),
					...(rest ? [STALE(rest.from)] : [])
				])
			);
			return done(read);
		});
	} catch {
		return db.transaction('r', db.noteSearch, async () =>
			done(await readRanges(db, ranges, limit))
		);
	}
}

/**
 * Every note's search entry, in pages of about `PAGE`: fresh packs as stored, stale ranges
 * rebuilt on the way, a bounded number of rows per transaction (see the top of the file).
 */
export async function* searchTextPages(
	db: RecallDb,
	signal?: AbortSignal,
	{ staleOnly = false }: { staleOnly?: boolean } = {}
): AsyncGenerator<SearchEntry[]> {
	// Packing only: the keys and which are stale, not the packed texts.
	const packs: SearchPackRow[] = staleOnly
		? await Promise.all([
				db.noteSearchPacks.toCollection().primaryKeys(),
				db.noteSearchPacks.where('stale').equals(1).primaryKeys()
			]).then(([keys, stale]) => {
				const marked = new Set(stale);
				return keys.map((from) => (marked.has(from) ? STALE(from) : { from, t: '' }));
			})
		: await db.noteSearchPacks.toArray();
	// Below the first pack (none at all: everything) nothing is packed yet.
	if (packs[0]?.from !== '') packs.unshift(STALE(''));
	let page: SearchEntry[] = [];
	const stale: Range[] = [];
	for (let i = 0; i <= packs.length; i++) {
		const pack = packs[i];
		if (pack?.t === null) stale.push({ from: pack.from, to: packs[i + 1]?.from ?? null });
		else if (pack && !staleOnly) {
			for (const entry of JSON.parse(pack.t) as SearchEntry[]) page.push(entry);
		}
		// Rebuild a batch once there is one (and whatever is left at the end).
		while (stale.length >= BATCH.ranges || (pack === undefined && stale.length > 0)) {
			const { entries, rest } = await rebuild(db, stale.splice(0, BATCH.ranges), BATCH.rows);
			signal?.throwIfAborted();
			for (const entry of entries) page.push(entry);
			stale.push(...rest);
			if (page.length >= PAGE) {
				yield page;
				page = [];
			}
		}
		if (page.length >= PAGE) {
			yield page;
			page = [];
		}
	}
	if (page.length > 0) yield page;
}

/**
 * Rebuilds the stale packs ahead of a search, so the first cold search for words after a large
 * write does not pay for it: the import worker calls it after writing an import, off the page's
 * thread. Whether there is anything to do costs three counts. Stops when `signal` aborts.
 */
export async function packSearchTexts(db: RecallDb, signal?: AbortSignal): Promise<boolean> {
	const [stale, packs, rows] = await Promise.all([
		db.noteSearchPacks.where('stale').equals(1).count(),
		db.noteSearchPacks.count(),
		db.noteSearch.count()
	]);
	if (stale === 0 && (packs > 0 || rows === 0)) return false;
	for await (const page of searchTextPages(db, signal, { staleOnly: true })) void page;
	return true;
}
