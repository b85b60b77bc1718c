import { joinDeckPath } from '../../decks/deck-title';
import { ImportError } from '../bundle';
import type { RawDeck, RawNotetype } from './collection';
import { ProtoMessage } from './protobuf';
import { blob, num, str, type SqliteReader } from './sqlite';

/**
 * Schema 15–18 (Anki 2.1.28+; `collection.anki21b` is 18): note types, their fields and
 * templates, and decks live in their own tables, with settings in protobuf blobs. Field numbers
 * below are from Anki's proto files (notetypes.proto, decks.proto).
 */
const NotetypeConfig = { kind: 1, css: 3 } as const;
const KIND_CLOZE = 1;
const TemplateConfig = { front: 1, back: 2 } as const;
const DeckKind = { normal: 1, filtered: 2 } as const;
const NormalDeck = { description: 4 } as const;

export function readTableModelsAndDecks(
	db: SqliteReader,
	place: { file: string; entry?: string }
): { notetypes: RawNotetype[]; decks: RawDeck[] } {
	for (const table of ['notetypes', 'fields', 'templates', 'decks']) {
		if (!db.hasTable(table)) {
			throw new ImportError(`the collection is incomplete: its "${table}" table is missing`, place);
		}
	}
	const decode = (bytes: Uint8Array, what: string): ProtoMessage => {
		try {
			return ProtoMessage.decode(bytes);
		} catch (cause) {
			throw new ImportError(`the settings of ${what} are damaged`, { ...place, cause });
		}
	};

	const notetypes = new Map<number, RawNotetype>();
	for (const [id, name, config] of db.all('SELECT id, name, config FROM notetypes')) {
		const message = decode(blob(config), `note type "${str(name)}"`);
		notetypes.set(num(id), {
			id: num(id),
			name: str(name),
			kind: message.int(NotetypeConfig.kind) === KIND_CLOZE ? 'cloze' : 'standard',
			fields: [],
			templates: [],
			css: message.string(NotetypeConfig.css)
		});
	}
	for (const [ntid, , name] of db.all('SELECT ntid, ord, name FROM fields ORDER BY ntid, ord')) {
		notetypes.get(num(ntid))?.fields.push(str(name));
	}
	const templateRows = db.all('SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord');
	for (const [ntid, , name, config] of templateRows) {
		const message = decode(blob(config), `card template "${str(name)}"`);
		notetypes.get(num(ntid))?.templates.push({
			name: str(name),
			front: message.string(TemplateConfig.front),
			back: message.string(TemplateConfig.back)
		});
	}

	const decks = db.all('SELECT id, name, kind FROM decks').map(([id, name, kind]): RawDeck => {
		// Stored names separate levels with U+001F; Anki shows them joined with "::".
		const title = joinDeckPath(str(name).split('\x1f'));
		const container = decode(blob(kind), `deck "${title}"`);
		const normal = container.bytes(DeckKind.normal);
		return {
			id: num(id),
			name: title,
			description: normal ? decode(normal, `deck "${title}"`).string(NormalDeck.description) : '',
			filtered: container.has(DeckKind.filtered)
		};
	});
	return { notetypes: [...notetypes.values()], decks };
}
