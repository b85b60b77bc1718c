/**
 * The search text of every note (core/search `searchText`: each field's plain text, as words
 * and `field:` match it), kept beside the notes at write time by a DBCore middleware on the notes
 * table, as the tallies are (review-tallies.ts): every add, put, delete, range delete and clear
 * of notes writes or removes the note's row in the same IndexedDB transaction. A search decided
 * by words alone then reads these small rows instead of every note and card (browse-repo.ts).
 *
 * The same write marks stale the packs of these rows that a cold search reads
 * (note-search-packs.ts, schema v8).
 *
 * A transaction without the table (an upgrade from before version 6, which builds the rows
 * afterwards from every note) passes through; one without the packs (before version 8) leaves
 * them alone.
 */
import type {
	DBCore,
	DBCoreMutateRequest,
	DBCoreMutateResponse,
	DBCoreTable,
	DBCoreTransaction,
	Middleware
} from 'dexie';
import type { Note } from '../core/model';
import { searchText } from '../core/search/search-text';
import type { RecallDb } from './db';
import { PACK_TABLE, stalePacks } from './note-search-packs';

export const NOTE_SEARCH_TABLE = 'noteSearch';
const NOTES = 'notes';
const PAGE = 10_000;
/** Dexie's DBCoreRangeType.Any: the whole table (`clear()`). */
const RANGE_ANY = 3;

/** One note's search text; `t` null when the note must be matched itself (see searchText). */
export interface NoteSearchRow {
	id: string;
	t: string | null;
}

export const searchRowOf = (note: Note): NoteSearchRow => ({ id: note.id, t: searchText(note) });

async function mutateKept(
	notes: DBCoreTable,
	texts: DBCoreTable,
	packs: DBCoreTable | undefined,
	req: DBCoreMutateRequest
): Promise<DBCoreMutateResponse> {
	const { trans } = req;
	let gone: unknown[] = [];
	if (req.type === 'deleteRange' && req.range.type !== RANGE_ANY) {
		gone = await notes
			.query({
				trans,
				values: false,
				query: { index: notes.schema.primaryKey, range: req.range }
			})
			.then((r) => r.result);
	}
	const res = await notes.mutate(req);
	const keep = (i: number) => res.failures[i] === undefined;
	try {
		let follow: DBCoreMutateRequest | null = null;
		let written: readonly unknown[] | 'all' = [];
		if (req.type === 'add' || req.type === 'put') {
			const values = (req.values as Note[]).filter((_, i) => keep(i)).map(searchRowOf);
			if (values.length > 0) follow = { type: 'put', trans, values };
			written = values.map((v) => v.id);
		} else if (req.type === 'delete') {
			const keys = req.keys.filter((_, i) => keep(i));
			if (keys.length > 0) follow = { type: 'delete', trans, keys };
			written = keys;
		} else if (req.type === 'deleteRange') {
			if (res.numFailures > 0) throw Object.values(res.failures)[0];
			follow =
				req.range.type === RANGE_ANY
					? { type: 'deleteRange', trans, range: req.range }
					: gone.length > 0
						? { type: 'delete', trans, keys: gone }
						: null;
			written = req.range.type === RANGE_ANY ? 'all' : gone;
		}
		if (follow) {
			const done = await texts.mutate(follow);
			if (done.numFailures > 0) throw Object.values(done.failures)[0];
		}
		if (packs) await stalePacks(packs, trans, written);
	} catch (e) {
		// The notes are written but their search texts are not: the transaction must not commit.
		try {
			(trans as unknown as IDBTransaction).abort();
		} catch {
			// Already finished or aborting.
		}
		throw e;
	}
	return res;
}

function reaches(trans: DBCoreTransaction, table: string): boolean {
	const names = (trans as unknown as Partial<IDBTransaction>).objectStoreNames;
	return names === undefined || names.contains(table);
}

/** The middleware (see the top of the file), at the tallies' level. */
export const noteSearchMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'NoteSearch',
	level: 1.5,
	create(down) {
		if (!down.schema.tables.some((t) => t.name === NOTE_SEARCH_TABLE)) return down;
		const packed = down.schema.tables.some((t) => t.name === PACK_TABLE);
		const kept = packed ? [NOTE_SEARCH_TABLE, PACK_TABLE] : [NOTE_SEARCH_TABLE];
		return {
			...down,
			transaction(stores, mode, options) {
				const widen = mode === 'readwrite' && stores.includes(NOTES);
				const missing = widen ? kept.filter((t) => !stores.includes(t)) : [];
				return down.transaction(
					missing.length > 0 ? [...stores, ...missing] : stores,
					mode,
					options
				);
			},
			table(name) {
				const table = down.table(name);
				if (name !== NOTES) return table;
				const texts = down.table(NOTE_SEARCH_TABLE);
				const packs = packed ? down.table(PACK_TABLE) : undefined;
				return {
					...table,
					mutate: (req: DBCoreMutateRequest) =>
						reaches(req.trans, NOTE_SEARCH_TABLE)
							? mutateKept(
									table,
									texts,
									packs && reaches(req.trans, PACK_TABLE) ? packs : undefined,
									req
								)
							: table.mutate(req)
				};
			}
		};
	}
};

/** The search rows of every note, a page of ids at a time (the v6 upgrade). */
export async function buildAllSearchRows(notes: RecallDb['notes']): Promise<NoteSearchRow[]> {
	const rows: NoteSearchRow[] = [];
	let page = await notes.orderBy(':id').limit(PAGE).toArray();
	while (page.length > 0) {
		for (const note of page) rows.push(searchRowOf(note));
		if (page.length < PAGE) break;
		page = await notes.where(':id').above(page.at(-1)!.id).limit(PAGE).toArray();
	}
	return rows;
}
