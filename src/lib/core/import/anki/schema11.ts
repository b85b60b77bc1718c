import { ImportError } from '../bundle';
import type { RawDeck, RawNotetype } from './collection';
import { str, type SqliteReader } from './sqlite';

/** A name or template as stored: text (or a number), else `fallback`, never "[object Object]". */
function text(value: unknown, fallback = ''): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return fallback;
}

/**
 * Schema 11 (Anki 2.1 legacy, and `collection.anki2`/`.anki21` in packages): note types and decks
 * are JSON objects keyed by id in the single `col` row.
 */
export function readLegacyModelsAndDecks(
	db: SqliteReader,
	place: { file: string; entry?: string },
	warnings: string[]
): { notetypes: RawNotetype[]; decks: RawDeck[] } {
	const [row] = db.all('SELECT models, decks FROM col LIMIT 1');
	const models = parseJsonObject(str(row?.[0]), 'note types', place);
	const decks = parseJsonObject(str(row?.[1]), 'decks', place);
	const notetypes: RawNotetype[] = [];
	for (const value of Object.values(models)) {
		const model = asRecord(value);
		const id = Number(model?.id);
		if (!model || !Number.isFinite(id)) {
			warnings.push('A note type in the collection is unreadable and was skipped.');
			continue;
		}
		notetypes.push({
			id,
			name: text(model.name, `Note type ${id}`),
			kind: model.type === 1 ? 'cloze' : 'standard',
			fields: byOrd(model.flds).map((field) => text(field.name)),
			templates: byOrd(model.tmpls).map((template) => ({
				name: text(template.name),
				front: text(template.qfmt),
				back: text(template.afmt)
			})),
			css: text(model.css)
		});
	}
	const rawDecks: RawDeck[] = [];
	for (const value of Object.values(decks)) {
		const deck = asRecord(value);
		const id = Number(deck?.id);
		if (!deck || !Number.isFinite(id)) continue;
		rawDecks.push({
			id,
			name: text(deck.name, `Deck ${id}`),
			description: text(deck.desc),
			filtered: deck.dyn === 1 || deck.dyn === true
		});
	}
	return { notetypes, decks: rawDecks };
}

function parseJsonObject(
	text: string,
	what: string,
	place: { file: string; entry?: string }
): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(text);
		const record = asRecord(value);
		if (record) return record;
	} catch (cause) {
		throw new ImportError(`the collection's ${what} are damaged (not JSON)`, { ...place, cause });
	}
	throw new ImportError(`the collection's ${what} are damaged (not a JSON object)`, place);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

/** Fields and templates carry their position in `ord`; JSON arrays are not trusted to be sorted. */
function byOrd(list: unknown): Record<string, unknown>[] {
	if (!Array.isArray(list)) return [];
	return list
		.map(asRecord)
		.filter((item): item is Record<string, unknown> => item !== undefined)
		.map((item, index) => ({ item, ord: Number(item.ord ?? index) }))
		.sort((a, b) => a.ord - b.ord)
		.map(({ item }) => item);
}
