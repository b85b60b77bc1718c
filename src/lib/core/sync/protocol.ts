/**
 * The sync protocol, shared by the app and the server (`server/`). Two kinds of record travel:
 *
 * - **review**: one row of the review log, keyed by a stable id derived from what it is (card,
 *   time, rating), append-only. The same review reaching the server twice (a retried push, the
 *   same Anki history imported on two devices) is one row.
 * - **field**: one field of one entity (a note's field, a deck's title, a setting, a deletion
 *   tombstone), stamped with a hybrid logical clock; the later stamp wins, field by field.
 *
 * A card's memory state is never sent: every device replays it from the merged log.
 */
import { CardState, type RevlogEntry } from '../model';
import { HLC_PATTERN } from './hlc';

export const PROTOCOL_VERSION = 1;

/** A pushed body is refused above this size (the server's body limit). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Records per push; the client sends larger outboxes in several pushes. */
export const MAX_BATCH = 2_000;
/** Records per pulled page. */
export const PULL_PAGE = 2_000;
/** A field's value, as JSON, is at most this long. */
export const MAX_VALUE_CHARS = 256 * 1024;
/** The client warns when its clock is further than this from the server's. */
export const CLOCK_SKEW_WARN_MS = 5 * 60_000;

export interface ReviewRecord {
	kind: 'review';
	/** Stable id (`reviewRecordId`). */
	id: string;
	cardId: string;
	deckId: string;
	reviewedAt: number;
	rating: 0 | 1 | 2 | 3 | 4;
	state: CardState;
	due: number;
	stability: number;
	difficulty: number;
	elapsedDays: number;
	scheduledDays: number;
	durationMs: number;
}

/**
 * Which entities have fields. `review` only carries the tombstone of an undone review; `media` is
 * a media file by name (`hash`: its SHA-256, the bytes at `/api/media/<hash>`; `type`).
 */
export const ENTITIES = [
	'note',
	'deck',
	'card',
	'model',
	'preset',
	'setting',
	'review',
	'media'
] as const;
export type Entity = (typeof ENTITIES)[number];

/** The field that marks an entity deleted (value `true`) or restored (`false`). */
export const DELETED = '_deleted';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FieldRecord {
	kind: 'field';
	entity: Entity;
	id: string;
	field: string;
	value: Json;
	hlc: string;
}

export type SyncRecord = ReviewRecord | FieldRecord;

/** A pulled record with the server's sequence number. */
export type PulledRecord = SyncRecord & { seq: number };

export interface PushRequest {
	protocol: number;
	/** The server epoch the client last synced with ('' the first time). */
	epoch: string;
	records: SyncRecord[];
}

export interface PushReply {
	epoch: string;
	/** How many records changed the server's state (0 for a retried push). */
	accepted: number;
	/** The user's latest sequence number after this push. */
	head: number;
	serverTime: number;
}

export interface PullReply {
	epoch: string;
	records: PulledRecord[];
	/** Pass as `after` for the next page. */
	cursor: number;
	/** True when there is nothing after `cursor` (yet). */
	done: boolean;
	head: number;
	serverTime: number;
}

export interface ErrorReply {
	error: string;
}

export interface AccountReply {
	token: string;
	userId: string;
	deviceId: string;
	name: string;
	epoch: string;
	serverTime: number;
}

export interface DeviceInfo {
	deviceId: string;
	name: string;
	createdAt: number;
	lastSyncAt: number | null;
	current: boolean;
}

/** The stable id of a review: the same review made or imported anywhere has the same id. */
export function reviewRecordId(r: Pick<RevlogEntry, 'cardId' | 'reviewedAt' | 'rating'>): string {
	return `${r.cardId}@${r.reviewedAt.toString(36)}.${r.rating}`;
}

export function toReviewRecord(r: RevlogEntry): ReviewRecord {
	return {
		kind: 'review',
		id: reviewRecordId(r),
		cardId: r.cardId,
		deckId: r.deckId,
		reviewedAt: r.reviewedAt,
		rating: r.rating,
		state: r.state,
		due: r.due,
		stability: r.stability,
		difficulty: r.difficulty,
		elapsedDays: r.elapsedDays,
		scheduledDays: r.scheduledDays,
		durationMs: r.durationMs
	};
}

export function fromReviewRecord(r: ReviewRecord): RevlogEntry {
	return {
		cardId: r.cardId,
		deckId: r.deckId,
		reviewedAt: r.reviewedAt,
		rating: r.rating,
		state: r.state,
		due: r.due,
		stability: r.stability,
		difficulty: r.difficulty,
		elapsedDays: r.elapsedDays,
		scheduledDays: r.scheduledDays,
		durationMs: r.durationMs
	};
}

export function fieldKey(r: Pick<FieldRecord, 'entity' | 'id' | 'field'>): string {
	return `${r.entity}\u0000${r.id}\u0000${r.field}`;
}

const ID_MAX = 512;
const isId = (v: unknown): v is string =>
	typeof v === 'string' && v.length > 0 && v.length <= ID_MAX && !v.includes('\u0000');
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTime = (v: unknown): v is number =>
	typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 253_402_300_800_000;

const REVIEW_KEYS = [
	'kind',
	'id',
	'cardId',
	'deckId',
	'reviewedAt',
	'rating',
	'state',
	'due',
	'stability',
	'difficulty',
	'elapsedDays',
	'scheduledDays',
	'durationMs'
];
const FIELD_KEYS = ['kind', 'entity', 'id', 'field', 'value', 'hlc'];

function checkReview(r: Record<string, unknown>): string | null {
	if (!isId(r.id)) return 'id must be a non-empty text of at most 512 characters';
	if (!isId(r.cardId)) return 'cardId must be a non-empty text';
	if (typeof r.deckId !== 'string' || r.deckId.length > ID_MAX) return 'deckId must be a text';
	if (!isTime(r.reviewedAt)) return 'reviewedAt must be a time in ms';
	if (![0, 1, 2, 3, 4].includes(r.rating as number)) return 'rating must be 0, 1, 2, 3 or 4';
	if (![0, 1, 2, 3].includes(r.state as number)) return 'state must be 0, 1, 2 or 3';
	for (const k of [
		'due',
		'stability',
		'difficulty',
		'elapsedDays',
		'scheduledDays',
		'durationMs'
	]) {
		if (!isNum(r[k])) return `${k} must be a finite number`;
	}
	const expected = reviewRecordId(r as unknown as ReviewRecord);
	if (r.id !== expected) return `id must be "${expected}" (card, time and rating)`;
	for (const k of Object.keys(r)) if (!REVIEW_KEYS.includes(k)) return `unknown property "${k}"`;
	return null;
}

function checkField(r: Record<string, unknown>): string | null {
	if (!ENTITIES.includes(r.entity as Entity)) return `entity must be one of ${ENTITIES.join(', ')}`;
	if (!isId(r.id)) return 'id must be a non-empty text of at most 512 characters';
	if (!isId(r.field) || r.field.length > 200) return 'field must be a non-empty text';
	if (typeof r.hlc !== 'string' || !HLC_PATTERN.test(r.hlc)) return 'hlc must be a clock stamp';
	if (!('value' in r) || r.value === undefined) return 'value is missing';
	const json = JSON.stringify(r.value);
	if (json.length > MAX_VALUE_CHARS) return `value is longer than ${MAX_VALUE_CHARS} characters`;
	if (json.includes('\\u0000')) return 'value must not contain the NUL character';
	for (const k of Object.keys(r)) if (!FIELD_KEYS.includes(k)) return `unknown property "${k}"`;
	return null;
}

/**
 * Checks a pushed batch. Every record must be well-formed, or the whole batch is refused with
 * the first problem in words (which record, what is wrong); nothing of it is written.
 */
export function parseRecords(
	input: unknown
): { ok: true; records: SyncRecord[] } | { ok: false; error: string } {
	if (!Array.isArray(input)) return { ok: false, error: 'records must be a list' };
	if (input.length > MAX_BATCH) {
		return { ok: false, error: `a push holds at most ${MAX_BATCH} records, got ${input.length}` };
	}
	for (let i = 0; i < input.length; i++) {
		const r: unknown = input[i];
		if (r === null || typeof r !== 'object' || Array.isArray(r)) {
			return { ok: false, error: `record ${i + 1}: not an object` };
		}
		const o = r as Record<string, unknown>;
		const problem =
			o.kind === 'review'
				? checkReview(o)
				: o.kind === 'field'
					? checkField(o)
					: 'kind must be "review" or "field"';
		if (problem) return { ok: false, error: `record ${i + 1}: ${problem}` };
	}
	return { ok: true, records: input as SyncRecord[] };
}

export function parsePushRequest(
	body: unknown
): { ok: true; request: PushRequest } | { ok: false; error: string } {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, error: 'the body must be a JSON object' };
	}
	const o = body as Record<string, unknown>;
	if (o.protocol !== PROTOCOL_VERSION) {
		return { ok: false, error: `protocol must be ${PROTOCOL_VERSION}` };
	}
	if (typeof o.epoch !== 'string') return { ok: false, error: 'epoch must be a text' };
	const parsed = parseRecords(o.records);
	if (!parsed.ok) return parsed;
	return {
		ok: true,
		request: { protocol: PROTOCOL_VERSION, epoch: o.epoch, records: parsed.records }
	};
}

/** "https://x.org/" → "https://x.org"; refuses what is not an http(s) address, in words. */
export function parseServerAddress(
	input: string
): { ok: true; url: string } | { ok: false; error: string } {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return { ok: false, error: `"${input}" is not a web address (e.g. https://sync.example.org).` };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, error: 'The server address must start with https:// (or http://).' };
	}
	return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, '') };
}
