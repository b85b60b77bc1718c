/**
 * Writes an import into the store in one transaction: on any error (a damaged row, a full disk,
 * a cancel) IndexedDB rolls it all back and the store is exactly as before. Duplicates are
 * handled as Anki does: notes are matched by GUID; a stored note is updated only when the
 * incoming one is newer and of the same type, otherwise skipped; never duplicated. Stored cards
 * keep their scheduling; review-log rows already stored (same card, same time) are not added
 * again, so importing the same package twice changes nothing.
 */
import { stableHash } from '$lib/core/import/hash';
import type { ImportBundle } from '$lib/core/import';
import type { Card, Deck, Note, NoteModel, RevlogEntry } from '$lib/core/model';
import type { RecallDb } from './db';
import { ensureDefaultPreset } from './presets';
import { isQuotaError } from './errors';
import { withNoteHtml } from '../core/render/prepare';

export interface ImportCounts {
	/** Added. */
	notes: number;
	cards: number;
	reviews: number;
	media: number;
	/** Stored notes replaced by a newer version. */
	updated: number;
	/** Incoming notes already stored unchanged, or not newer than the stored version. */
	skipped: number;
}

export interface WriteOptions {
	/** Rows per bulk write: each is one short task for the page. */
	chunkSize?: number;
	/** Rows written so far, of all rows. */
	onProgress?: (done: number, total: number) => void;
	/** Aborting rolls the whole import back; the abort reason is thrown. */
	signal?: AbortSignal;
}

export class StorageFullError extends Error {
	constructor(cause?: unknown) {
		super(
			'Storage is full: the browser would not give Recall more space, so nothing was imported. Free up space on this device (delete files or apps you no longer need, or decks in Recall), then import the file again.',
			{ cause }
		);
		this.name = 'StorageFullError';
	}
}

export { isQuotaError };

const titleKey = (title: string) => title.normalize('NFC').toLowerCase();
const reviewKey = (cardId: string, reviewedAt: number) => `${cardId}\u0000${reviewedAt}`;

function sameContent(stored: Note, incoming: Note, modelId: string | undefined): boolean {
	return (
		stored.type === incoming.type &&
		stored.modelId === modelId &&
		stored.source === incoming.source &&
		JSON.stringify(stored.fields) === JSON.stringify(incoming.fields) &&
		JSON.stringify(stored.tags) === JSON.stringify(incoming.tags)
	);
}

function chunked<T>(rows: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

export function toBlob(data: Uint8Array, type: string): Blob {
	return new Blob([data as Uint8Array<ArrayBuffer>], { type });
}

export async function writeImport(
	db: RecallDb,
	bundle: ImportBundle,
	options: WriteOptions = {}
): Promise<ImportCounts> {
	const size = options.chunkSize ?? 2000;
	// Blobs are made before the transaction: only IndexedDB may be awaited inside it.
	const media = bundle.media.map((m) => ({
		name: m.name,
		type: m.type,
		data: toBlob(m.data, m.type)
	}));
	const total = bundle.notes.length + bundle.cards.length + bundle.revlog.length + media.length;
	let done = 0;
	const step = (n: number) => {
		done += n;
		options.onProgress?.(done, total);
		options.signal?.throwIfAborted();
	};
	const tables = [db.decks, db.models, db.notes, db.cards, db.revlog, db.media, db.presets];
	try {
		return await db.transaction('rw', tables, async () => {
			options.signal?.throwIfAborted();
			await ensureDefaultPreset(db);
			const counts: ImportCounts = {
				notes: 0,
				cards: 0,
				reviews: 0,
				media: 0,
				updated: 0,
				skipped: 0
			};
			const decks = await planDecks(db, bundle.decks);
			const models = await planModels(db, bundle.models);
			const usedDecks = new Set<string>();
			const usedModels = new Set<string>();

			// Notes: matched by GUID (stored first, then earlier rows of this import).
			const storeEmpty = (await db.notes.count()) === 0;
			const noteIds = new Map<string, string>();
			const storedNotes = new Set<string>();
			const byGuid = new Map<string, string>();
			for (const chunk of chunked(bundle.notes, size)) {
				const found = storeEmpty
					? []
					: await db.notes
							.where('guid')
							.anyOf(chunk.map((n) => n.guid))
							.toArray();
				const stored = new Map(found.map((n) => [n.guid, n]));
				const fresh = chunk.filter((n) => !stored.has(n.guid) && !byGuid.has(n.guid));
				const taken = storeEmpty ? [] : await db.notes.bulkGet(fresh.map((n) => n.id));
				const takenIds = new Set(taken.flatMap((n) => (n ? [n.id] : [])));
				const adds: Note[] = [];
				const puts: Note[] = [];
				for (const note of chunk) {
					const modelId =
						note.modelId === undefined ? undefined : (models.map.get(note.modelId) ?? note.modelId);
					const earlier = byGuid.get(note.guid);
					const match = stored.get(note.guid);
					if (earlier !== undefined) {
						noteIds.set(note.id, earlier);
						counts.skipped++;
					} else if (match) {
						noteIds.set(note.id, match.id);
						byGuid.set(note.guid, match.id);
						storedNotes.add(match.id);
						const newer =
							note.mtime > match.mtime && note.type === match.type && modelId === match.modelId;
						if (!newer || sameContent(match, note, modelId)) {
							counts.skipped++;
							continue;
						}
						const updated: Note = {
							...match,
							fields: note.fields,
							tags: note.tags,
							mtime: note.mtime
						};
						if (note.source !== undefined) updated.source = note.source;
						else delete updated.source;
						// Cards rendered once, here: the study screen shows the stored HTML.
						puts.push(withNoteHtml(updated));
						if (modelId) usedModels.add(modelId);
						counts.updated++;
					} else {
						// Another note already has this id (two Anki collections can share note ids).
						const id = takenIds.has(note.id) ? `${note.id}~${stableHash(note.guid)}` : note.id;
						noteIds.set(note.id, id);
						byGuid.set(note.guid, id);
						const deckId = decks.map.get(note.deckId) ?? note.deckId;
						const added: Note = { ...note, id, deckId };
						if (modelId !== undefined) {
							added.modelId = modelId;
							usedModels.add(modelId);
						}
						adds.push(withNoteHtml(added));
						usedDecks.add(deckId);
						counts.notes++;
					}
				}
				await db.notes.bulkAdd(adds);
				await db.notes.bulkPut(puts);
				step(chunk.length);
			}

			// Cards: a stored card keeps its scheduling; only missing ones are added.
			const cardIds = new Map<string, string>();
			const cardDeck = new Map<string, string>();
			const storedCards: string[] = [];
			for (const chunk of chunked(bundle.cards, size)) {
				const wanted = chunk.flatMap((card) => {
					const noteId = noteIds.get(card.noteId);
					return noteId === undefined ? [] : [{ card, noteId, id: `${noteId}/${card.ord}` }];
				});
				const maybeStored = wanted.filter((w) => storedNotes.has(w.noteId));
				const found = await db.cards.bulkGet(maybeStored.map((w) => w.id));
				const stored = new Map(found.flatMap((c) => (c ? [[c.id, c] as const] : [])));
				const adds: Card[] = [];
				for (const { card, noteId, id } of wanted) {
					cardIds.set(card.id, id);
					const existing = stored.get(id);
					if (existing) {
						if (!cardDeck.has(id)) storedCards.push(id);
						cardDeck.set(id, existing.deckId);
					} else if (!cardDeck.has(id)) {
						const deckId = decks.map.get(card.deckId) ?? card.deckId;
						adds.push({ ...card, id, noteId, deckId, rev: 0 });
						cardDeck.set(id, deckId);
						usedDecks.add(deckId);
					}
				}
				await db.cards.bulkAdd(adds);
				counts.cards += adds.length;
				step(chunk.length);
			}

			// Review log: rows already stored for a card (same time) are history already there.
			const known = new Set<string>();
			for (const chunk of chunked(storedCards, size)) {
				await db.revlog
					.where('cardId')
					.anyOf(chunk)
					.each((r) => known.add(reviewKey(r.cardId, r.reviewedAt)));
			}
			for (const chunk of chunked(bundle.revlog, size)) {
				const adds: RevlogEntry[] = [];
				for (const entry of chunk) {
					const cardId = cardIds.get(entry.cardId);
					if (cardId === undefined) continue;
					const key = reviewKey(cardId, entry.reviewedAt);
					if (known.has(key)) continue;
					known.add(key);
					const row: RevlogEntry = {
						...entry,
						cardId,
						deckId: cardDeck.get(cardId) ?? entry.deckId
					};
					delete row.id;
					adds.push(row);
				}
				await db.revlog.bulkAdd(adds);
				counts.reviews += adds.length;
				step(chunk.length);
			}

			// Media: a name already stored is kept (notes refer to files by name).
			const have = await db.media.bulkGet(media.map((m) => m.name));
			const newMedia = media.filter((m, i) => !have[i]);
			const unique = [...new Map(newMedia.map((m) => [m.name, m])).values()];
			await db.media.bulkAdd(unique);
			counts.media = unique.length;
			step(media.length);

			const presets = new Set(await db.presets.toCollection().primaryKeys());
			await db.decks.bulkAdd(
				decks.fresh
					.filter((d) => usedDecks.has(d.id))
					.map((d) => (presets.has(d.presetId) ? d : { ...d, presetId: 'default' }))
			);
			await db.models.bulkAdd(models.fresh.filter((m) => usedModels.has(m.id)));
			return counts;
		});
	} catch (error) {
		if (isQuotaError(error)) throw new StorageFullError(error);
		throw error;
	}
}

/** An incoming deck joins the stored deck with its id, else the one with its name (any case). */
async function planDecks(db: RecallDb, incoming: Deck[]) {
	const stored = await db.decks.toArray();
	const byId = new Map(stored.map((d) => [d.id, d]));
	const byTitle = new Map(stored.map((d) => [titleKey(d.title), d]));
	const map = new Map<string, string>();
	const fresh: Deck[] = [];
	for (const deck of incoming) {
		const match = byId.get(deck.id) ?? byTitle.get(titleKey(deck.title));
		map.set(deck.id, match ? match.id : deck.id);
		if (!match) fresh.push(deck);
	}
	return { map, fresh };
}

/**
 * A note type already stored under the same id is kept as it is; if its fields differ, the
 * incoming one is stored beside it under a new id (as Anki does), so neither set of notes breaks.
 */
async function planModels(db: RecallDb, incoming: NoteModel[]) {
	const map = new Map<string, string>();
	const fresh: NoteModel[] = [];
	const stored = await db.models.bulkGet(incoming.map((m) => m.id));
	for (const [i, model] of incoming.entries()) {
		const existing = stored[i];
		if (!existing) {
			map.set(model.id, model.id);
			fresh.push(model);
		} else if (JSON.stringify(existing.fields) === JSON.stringify(model.fields)) {
			map.set(model.id, model.id);
		} else {
			const id = `${model.id}-${stableHash(model.fields.join('\u001f'))}`;
			map.set(model.id, id);
			if (!(await db.models.get(id))) fresh.push({ ...model, id });
		}
	}
	return { map, fresh };
}
