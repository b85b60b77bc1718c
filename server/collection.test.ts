/**
 * The collection's record kinds through the real server (PGlite, and PostgreSQL when reachable):
 * every entity the app sends (notes field by field, cards, decks, note types, presets, the
 * study setting, tombstones), built back on a third device from paged pulls exactly as the
 * pushing devices merged them; media uploaded only when the server lacks the hash.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ENTITIES,
	PROTOCOL_VERSION,
	SyncReplica,
	formatHlc,
	type FieldRecord,
	type PullReply,
	type SyncRecord
} from '../src/lib/core/sync';
import { buildEntity, diffEntity, groupFields } from '../src/lib/core/sync/entities';
import { Queue, type Card, type Deck, type Note } from '../src/lib/core/model';
import { createDefaultPreset } from '../src/lib/core/scheduling/preset';
import { createApp } from './app';
import type { Db } from './db';
import { backends, postgresSkipReason } from './testing';

const T0 = Date.UTC(2026, 11, 7, 9);

if (postgresSkipReason) {
	it.skip(`PostgreSQL collection tests skipped: ${postgresSkipReason}`, () => {});
}

const deck: Deck = {
	id: 'spanish',
	title: 'Spanish',
	description: '',
	origin: 'user',
	version: 0,
	presetId: 'slow',
	createdAt: T0
};
const note: Note = {
	id: 'n1',
	deckId: 'spanish',
	guid: 'n1',
	type: 'basic',
	fields: { front: 'hablar', back: 'to speak' },
	tags: [],
	position: 0,
	mtime: T0
};
const card: Card = {
	id: 'n1/0',
	noteId: 'n1',
	deckId: 'spanish',
	ord: 0,
	queue: Queue.New,
	state: 0,
	due: 0,
	stability: 0,
	difficulty: 0,
	scheduledDays: 0,
	learningSteps: 0,
	reps: 0,
	lapses: 0,
	rev: 0
};

describe.each(backends)('the collection on $name', (backend) => {
	let db: Db;
	let dispose: () => Promise<void>;
	let app: ReturnType<typeof createApp>;

	beforeAll(async () => {
		({ db, dispose } = await backend.open());
		app = createApp({ db, now: () => T0 });
	});
	afterAll(async () => dispose?.());

	const call = async (method: string, path: string, body?: unknown, token?: string) => {
		const res = await app.request(path, {
			method,
			headers: {
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				...(token ? { Authorization: `Bearer ${token}` } : {})
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await res.text();
		return { status: res.status, json: text ? JSON.parse(text) : null };
	};
	let users = 0;
	const signedIn = async () => {
		const name = `collection ${backend.name} ${++users}`;
		const a = await call('POST', '/api/account', { name, password: 'correct horse' });
		const b = await call('POST', '/api/login', { name, password: 'correct horse' });
		const c = await call('POST', '/api/login', { name, password: 'correct horse' });
		return [a, b, c].map((r) => r.json.token as string);
	};
	const push = (token: string, records: SyncRecord[]) =>
		call('POST', '/api/push', { protocol: PROTOCOL_VERSION, epoch: '', records }, token);
	const pullAll = async (token: string, limit = 4) => {
		const records: SyncRecord[] = [];
		let cursor = 0;
		for (;;) {
			const res = await call('GET', `/api/pull?after=${cursor}&limit=${limit}`, undefined, token);
			expect(res.status).toBe(200);
			const page = res.json as PullReply;
			records.push(...page.records.map(({ seq: _seq, ...r }) => r as SyncRecord));
			cursor = page.cursor;
			if (page.done) return records;
		}
	};

	it('every entity kind is stored; a third device builds the same objects the other two merged', async () => {
		const [a, b, c] = await signedIn();
		let ms = T0;
		const clockOf = (node: string) => () => formatHlc({ ms: ++ms, counter: 0, node });
		const byA = clockOf('a');
		const byB = clockOf('b');
		const preset = createDefaultPreset({ id: 'slow', name: 'Slow', newPerDay: 5 });
		const created: SyncRecord[] = [
			...diffEntity('preset', 'slow', undefined, preset, byA),
			...diffEntity('deck', 'spanish', undefined, deck, byA),
			...diffEntity('note', 'n1', undefined, note, byA),
			...diffEntity('card', 'n1/0', undefined, card, byA),
			...diffEntity('note', 'n2', undefined, { ...note, id: 'n2', guid: 'n2' }, byA),
			{
				kind: 'field',
				entity: 'setting',
				id: 'study',
				field: 'timeZone',
				value: 'Europe/Madrid',
				hlc: byA()
			}
		];
		expect((await push(a!, created)).status).toBe(200);
		// Offline edits: A the front, B the back and (later) the preset's new cards a day; A deletes n2.
		const editA = diffEntity(
			'note',
			'n1',
			note,
			{ ...note, fields: { ...note.fields, front: 'hablar (v.)' } },
			byA
		);
		const editB = [
			...diffEntity(
				'note',
				'n1',
				note,
				{ ...note, fields: { ...note.fields, back: 'to talk' } },
				byB
			),
			...diffEntity('preset', 'slow', preset, { ...preset, newPerDay: 8 }, byB),
			...diffEntity('card', 'n1/0', card, { ...card, queue: Queue.Suspended }, byB)
		];
		const gone = diffEntity('note', 'n2', { ...note, id: 'n2' }, undefined, byA);
		// B's push arrives first, A's (earlier stamps for the preset) second, and again (a retry).
		expect((await push(b!, editB)).status).toBe(200);
		expect((await push(a!, [...editA, ...gone])).status).toBe(200);
		const retry = await push(a!, [...editA, ...gone]);
		expect(retry.json.accepted).toBe(0);

		const reference = new SyncReplica();
		reference.apply([...created, ...editB, ...editA, ...gone]);
		const pulled = await pullAll(c!);
		const replica = new SyncReplica();
		replica.apply(pulled);
		expect(replica.fingerprint()).toBe(reference.fingerprint());
		const groups = groupFields(pulled.filter((r): r is FieldRecord => r.kind === 'field'));
		const build = (entity: FieldRecord['entity'], id: string) => {
			const fields = groups.get(`${entity}\u0000${id}`)!;
			return buildEntity(
				entity,
				id,
				Object.fromEntries([...fields].map(([k, r]) => [k, r.value])),
				undefined
			);
		};
		expect(build('note', 'n1')).toEqual({
			...note,
			fields: { front: 'hablar (v.)', back: 'to talk' }
		});
		expect(build('deck', 'spanish')).toEqual(deck);
		expect(build('preset', 'slow')).toEqual({ ...preset, newPerDay: 8 });
		expect(build('card', 'n1/0')).toEqual({ ...card, queue: Queue.Suspended });
		expect(replica.isDeleted('note', 'n2')).toBe(true);
		expect(replica.entity('setting', 'study')?.fields).toEqual({ timeZone: 'Europe/Madrid' });
		const kinds = new Set(pulled.map((r) => (r.kind === 'field' ? r.entity : 'review')));
		expect([...kinds].sort()).toEqual(['card', 'deck', 'note', 'preset', 'setting']);
		expect(ENTITIES).toContain('model');
	});

	it('a batch with a field of an unknown kind of object is refused whole', async () => {
		const [a] = await signedIn();
		const good = diffEntity('deck', 'd1', undefined, deck, () =>
			formatHlc({ ms: T0, counter: 0, node: 'a' })
		);
		const res = await push(a!, [
			...good,
			{ ...good[0]!, entity: 'folder' } as unknown as SyncRecord
		]);
		expect(res.status).toBe(400);
		expect(res.json.error).toMatch(
			/nothing was written: record 8: entity must be one of note, deck/
		);
		expect(await pullAll(a!)).toEqual([]);
	});

	it('media: only a missing hash is asked for, and one account never sees another’s', async () => {
		const [a, b] = await signedIn();
		const [other] = await signedIn();
		const data = Buffer.from(`image ${backend.name} ${Math.random()}`);
		const hash = createHash('sha256').update(data).digest('hex');
		expect((await call('POST', '/api/media/missing', { hashes: [hash] }, a)).json).toEqual({
			missing: [hash]
		});
		const put = await app.request(`/api/media/${hash}`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${a}`, 'Content-Type': 'image/png' },
			body: data
		});
		expect(put.status).toBeLessThan(300);
		// The same account's other device does not upload it again.
		expect((await call('POST', '/api/media/missing', { hashes: [hash] }, b)).json).toEqual({
			missing: []
		});
		const got = await app.request(`/api/media/${hash}`, {
			headers: { Authorization: `Bearer ${b}` }
		});
		expect(Buffer.from(await got.arrayBuffer())).toEqual(data);
		expect((await call('POST', '/api/media/missing', { hashes: [hash] }, other)).json).toEqual({
			missing: [hash]
		});
		const stolen = await app.request(`/api/media/${hash}`, {
			headers: { Authorization: `Bearer ${other}` }
		});
		expect(stolen.status).toBe(404);
	});
});
