/**
 * How the collection's stored objects travel as field records (protocol.ts), and back.
 *
 * - A **note** is one field per property, its text fields one each (`f.<name>`), so two devices
 *   editing different fields of one note both keep their edit.
 * - A **card** carries only what a user sets on it: its note, ordinal and deck (a deck move),
 *   tags, its flag (Anki's seven colours), whether it is held out of study (`held`: suspended /
 *   buried, with `buriedUntil`) and,
 *   while new, its introduction order (`position`). Its memory state is never sent: every device
 *   replays it from the merged review log.
 * - A **deck**, **model** (Anki note type) and **preset** are one field per property (each
 *   preset option is a field).
 * - A **setting** is one field of a collection-wide setting (`setting/study`: the study time zone).
 * - A deletion is the tombstone field `_deleted` (merge.ts); an object created again after a
 *   deletion sends `_deleted: false`.
 *
 * Pure: the storage layer's outbox middleware diffs objects with `entityFields`, the pull builds
 * them back with `buildEntity`.
 */
import { createDefaultPreset } from '../scheduling/preset';
import { Queue, type Card, type Deck, type Note, type NoteModel, type Preset } from '../model';
import { canonicalJson, fieldWins } from './merge';
import { DELETED, type Entity, type FieldRecord, type Json } from './protocol';

/** The store tables that sync field by field, and their entity names. */
export const SYNCED_TABLES = {
	presets: 'preset',
	models: 'model',
	decks: 'deck',
	notes: 'note',
	cards: 'card'
} as const satisfies Record<string, Entity>;
export type SyncedTable = keyof typeof SYNCED_TABLES;
export const SYNCED_TABLE_NAMES = Object.keys(SYNCED_TABLES) as SyncedTable[];

export const TABLE_OF: Record<string, SyncedTable> = {
	preset: 'presets',
	model: 'models',
	deck: 'decks',
	note: 'notes',
	card: 'cards'
};

/** Collection-wide settings every device must share (replay depends on them). */
export interface StudySettings {
	/** IANA zone whose midnight (plus the preset's day-start hour) starts a study day. */
	timeZone?: string;
}
export const STUDY_SETTINGS_ID = 'study';

const NOTE_FIELD = 'f.';

type Stored = Note | Card | Deck | NoteModel | Preset | StudySettings;

const json = (v: unknown): Json => (v === undefined ? null : (v as Json));

/**
 * An object's synced fields. Absent optional properties are `null`, so that clearing one (a
 * removed tag list, an unburied card) travels too. A card's `position` is only there while the
 * card is new (later its `due` is a time, replayed from the log).
 */
export function entityFields(entity: Entity, value: Stored): Record<string, Json> {
	const out: Record<string, Json> = {};
	if (entity === 'card') {
		const c = value as Card;
		out.noteId = c.noteId;
		out.deckId = c.deckId;
		out.ord = c.ord;
		out.tags = json(c.tags);
		out.flag = json(c.flag);
		out.held =
			c.queue === Queue.Suspended ? 'suspended' : c.queue === Queue.Buried ? 'buried' : null;
		out.buriedUntil = c.queue === Queue.Buried ? json(c.buriedUntil) : null;
		if (c.state === 0) out.position = c.due;
		return out;
	}
	for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
		if (k === 'id' || v === undefined) continue;
		if (entity === 'note' && k === 'fields') {
			for (const [name, text] of Object.entries(v as Record<string, string>)) {
				out[NOTE_FIELD + name] = text;
			}
		} else out[k] = v as Json;
	}
	return out;
}

/**
 * The field records that take `before` to `after` (either absent: created / deleted), each
 * stamped by `stamp()`. Unchanged fields send nothing.
 */
export function diffEntity(
	entity: Entity,
	id: string,
	before: Stored | undefined,
	after: Stored | undefined,
	stamp: () => string
): FieldRecord[] {
	const rec = (field: string, value: Json): FieldRecord => ({
		kind: 'field',
		entity,
		id,
		field,
		value,
		hlc: stamp()
	});
	if (!after) return before ? [rec(DELETED, true)] : [];
	const next = entityFields(entity, after);
	const prev = before ? entityFields(entity, before) : {};
	const out: FieldRecord[] = [];
	for (const [k, v] of Object.entries(next)) {
		// A card back to new (an undone first grade, a reset) keeps the position it was created with.
		if (k === 'position' && before && !(k in prev)) continue;
		if (!(k in prev) || canonicalJson(prev[k]) !== canonicalJson(v)) out.push(rec(k, v));
	}
	for (const k of Object.keys(prev)) {
		// A card's position goes once it is studied; any other field that goes is cleared.
		if (!(k in next) && k !== 'position') out.push(rec(k, null));
	}
	if (!before) out.push(rec(DELETED, false));
	return out;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The object `fields` describe, laid over `existing` (the local copy) when there is one. Without
 * a local copy the fields must be enough to make one (a note's deck and type, a card's note,
 * deck and ordinal, …): otherwise `undefined`, and the caller keeps the fields until the rest
 * arrives.
 */
export function buildEntity(
	entity: Entity,
	id: string,
	fields: Record<string, Json>,
	existing: Stored | undefined
): Stored | undefined {
	if (entity === 'card') return buildCard(id, fields, existing as Card | undefined);
	const base: Record<string, unknown> = existing
		? structuredClone(existing as Record<string, unknown>)
		: baseOf(entity, id);
	for (const [k, v] of Object.entries(fields)) {
		if (k === DELETED) continue;
		if (entity === 'note' && k.startsWith(NOTE_FIELD)) {
			const name = k.slice(NOTE_FIELD.length);
			const noteFields = { ...((base.fields as Record<string, string>) ?? {}) };
			if (v === null) delete noteFields[name];
			else noteFields[name] = typeof v === 'string' ? v : JSON.stringify(v);
			base.fields = noteFields;
		} else if (v === null) delete base[k];
		else base[k] = v;
	}
	base.id = id;
	return complete(entity, base) ? (base as unknown as Stored) : undefined;
}

function baseOf(entity: Entity, id: string): Record<string, unknown> {
	if (entity === 'preset') return { ...createDefaultPreset(), id };
	if (entity === 'note') return { id, fields: {}, tags: [], position: 0, mtime: 0 };
	if (entity === 'deck') return { id, description: '', version: 0, presetId: 'default' };
	if (entity === 'model') return { id, css: '' };
	return { id };
}

function complete(entity: Entity, o: Record<string, unknown>): boolean {
	switch (entity) {
		case 'note':
			return isText(o.deckId) && isText(o.type) && isText(o.guid);
		case 'deck':
			return isText(o.title) && isText(o.origin) && isNum(o.createdAt);
		case 'model':
			return isText(o.name) && Array.isArray(o.fields) && Array.isArray(o.templates);
		case 'preset':
			return isText(o.name);
		default:
			return true;
	}
}

function buildCard(
	id: string,
	f: Record<string, Json>,
	existing: Card | undefined
): Card | undefined {
	let card: Card;
	if (existing) card = { ...existing };
	else {
		if (!isText(f.noteId) || !isText(f.deckId) || !isNum(f.ord)) return undefined;
		card = {
			id,
			noteId: f.noteId,
			deckId: f.deckId,
			ord: f.ord,
			queue: Queue.New,
			state: 0,
			due: isNum(f.position) ? f.position : 0,
			stability: 0,
			difficulty: 0,
			scheduledDays: 0,
			learningSteps: 0,
			reps: 0,
			lapses: 0,
			rev: 0
		};
	}
	if (isText(f.noteId)) card.noteId = f.noteId;
	if (isText(f.deckId)) card.deckId = f.deckId;
	if (isNum(f.ord)) card.ord = f.ord;
	if ('tags' in f) {
		if (Array.isArray(f.tags)) card.tags = f.tags.filter(isText);
		else delete card.tags;
	}
	if ('flag' in f) {
		if (isNum(f.flag) && Number.isInteger(f.flag) && f.flag >= 1 && f.flag <= 7) {
			card.flag = f.flag;
		} else delete card.flag;
	}
	if (isNum(f.position) && card.state === 0) card.due = f.position;
	if ('held' in f) {
		if (f.held === 'suspended') card.queue = Queue.Suspended;
		else if (f.held === 'buried') card.queue = Queue.Buried;
		// Back in study: the queue follows the state (the replay sets it exactly).
		else if (card.queue < 0) card.queue = card.state as Queue;
	}
	if ('buriedUntil' in f) {
		if (isNum(f.buriedUntil) && card.queue === Queue.Buried) card.buriedUntil = f.buriedUntil;
		else delete card.buriedUntil;
	}
	return card;
}

/** Groups field records by entity and id (`note\0id` → field → the winning record). */
export function groupFields(
	records: readonly FieldRecord[]
): Map<string, Map<string, FieldRecord>> {
	const out = new Map<string, Map<string, FieldRecord>>();
	for (const r of records) {
		const key = `${r.entity}\u0000${r.id}`;
		let fields = out.get(key);
		if (!fields) out.set(key, (fields = new Map()));
		if (fieldWins(r, fields.get(r.field))) fields.set(r.field, r);
	}
	return out;
}
