import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	MAX_BODY_BYTES,
	PROTOCOL_VERSION,
	SyncReplica,
	formatHlc,
	reviewRecordId,
	type FieldRecord,
	type PullReply,
	type PushReply,
	type ReviewRecord,
	type SyncRecord
} from '../src/lib/core/sync';
import { createApp } from './app';
import type { Db } from './db';
import { newEpoch } from './store';
import { backends, postgresSkipReason } from './testing';

const T0 = Date.UTC(2026, 11, 1, 9);

let seq = 0;
function review(cardId: string, at: number, rating: 1 | 2 | 3 | 4 = 3): ReviewRecord {
	const r = { cardId, reviewedAt: at, rating };
	return {
		kind: 'review',
		id: reviewRecordId(r),
		...r,
		deckId: 'deck',
		state: 2,
		due: at,
		stability: 3.25,
		difficulty: 5.5,
		elapsedDays: 1,
		scheduledDays: 3,
		durationMs: 4200
	};
}
function field(id: string, name: string, value: string, ms: number, node = 'a'): FieldRecord {
	return {
		kind: 'field',
		entity: 'note',
		id,
		field: name,
		value,
		hlc: formatHlc({ ms, counter: seq++ % 10, node })
	};
}

if (postgresSkipReason) {
	it.skip(`PostgreSQL server tests skipped: ${postgresSkipReason}`, () => {});
}

describe.each(backends)('sync server on $name', (backend) => {
	let db: Db;
	let dispose: () => Promise<void>;
	let now = T0;
	let crashAfterCommit = false;
	let app: ReturnType<typeof createApp>;

	beforeAll(async () => {
		({ db, dispose } = await backend.open());
		app = createApp({
			db,
			now: () => now,
			afterPushCommit: () => {
				if (crashAfterCommit) throw new Error('connection lost after commit');
			}
		});
	});
	afterAll(async () => dispose?.());

	const call = async (method: string, path: string, body?: unknown, token?: string) => {
		const res = await app.request(path, {
			method,
			headers: {
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				...(token ? { Authorization: `Bearer ${token}` } : {})
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await res.text();
		return { status: res.status, json: text ? JSON.parse(text) : null };
	};
	let users = 0;
	const account = async (deviceName = 'Phone') => {
		const name = `user ${backend.name} ${++users}`;
		const res = await call('POST', '/api/account', { name, password: 'correct horse', deviceName });
		expect(res.status).toBe(201);
		return {
			name,
			token: res.json.token as string,
			userId: res.json.userId as string,
			epoch: res.json.epoch as string
		};
	};
	const pushAs = (token: string, records: SyncRecord[], epoch = '') =>
		call('POST', '/api/push', { protocol: PROTOCOL_VERSION, epoch, records }, token);
	const pullAll = async (token: string, after = 0, limit = 3) => {
		const pages: PullReply[] = [];
		let cursor = after;
		for (;;) {
			const res = await call('GET', `/api/pull?after=${cursor}&limit=${limit}`, undefined, token);
			expect(res.status).toBe(200);
			pages.push(res.json);
			cursor = res.json.cursor;
			if (res.json.done) break;
		}
		return { pages, records: pages.flatMap((p) => p.records), cursor };
	};
	const rowsOf = (userId: string) =>
		db.query<{ kind: string; rkey: string; seq: number; data: unknown }>(
			`select kind, rkey, seq::float8 as seq, data::text as data from sync_records where user_id = $1 order by kind, rkey`,
			[userId]
		);

	it('holds the scale-out rules: primary keys start with user_id; no sequences, triggers, serial columns', async () => {
		const keys = await db.query<{ table_name: string; first: string; kind: string }>(
			`select c.relname as table_name, a.attname as first, case when i.indisprimary then 'primary' else 'unique' end as kind
			 from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
			 join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
			 where n.nspname = current_schema() and c.relname like 'sync_%' and (i.indisprimary or i.indisunique)`
		);
		expect(new Set(keys.map((k) => k.table_name))).toEqual(
			new Set(['sync_accounts', 'sync_devices', 'sync_records', 'sync_media'])
		);
		for (const k of keys)
			expect(`${k.table_name} ${k.kind}: ${k.first}`).toBe(`${k.table_name} ${k.kind}: user_id`);
		const sequences = await db.query(`select relname from pg_class where relkind = 'S'`);
		expect(sequences).toEqual([]);
		const triggers = await db.query(`select tgname from pg_trigger where not tgisinternal`);
		expect(triggers).toEqual([]);
		const generated = await db.query(
			`select table_name, column_name from information_schema.columns
			 where table_schema = current_schema() and table_name like 'sync_%' and (column_default like 'nextval%' or is_identity = 'YES')`
		);
		expect(generated).toEqual([]);
		const source = readdirSync('server')
			.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
			.map((f) => readFileSync(`server/${f}`, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))
			.join('\n');
		// SQL only: `server.listen(port)` is not LISTEN.
		expect(source).not.toMatch(
			/(?<!\.)\b(listen|notify)\s+[a-z_"]|pg_advisory|create sequence|create trigger|\bserial\b/i
		);
	});

	it('creates an account with a slow password hash and a hashed token; a second account of that name is refused', async () => {
		const a = await account();
		const [row] = await db.query<{ password_hash: string }>(
			`select password_hash from sync_accounts where user_id = $1`,
			[a.userId]
		);
		expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(row!.password_hash).not.toContain('correct horse');
		const secret = a.token.split('.')[3]!;
		const devices = await db.query<{ token_hash: string }>(
			`select token_hash from sync_devices where user_id = $1`,
			[a.userId]
		);
		expect(devices).toHaveLength(1);
		expect(devices[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(await db.query(`select * from sync_devices`))).not.toContain(secret);
		const again = await call('POST', '/api/account', {
			name: a.name.toUpperCase(),
			password: 'another one'
		});
		expect(again).toEqual({
			status: 409,
			json: {
				error: `An account named "${a.name.toUpperCase()}" already exists on this server: sign in instead.`
			}
		});
		expect(await call('POST', '/api/account', { name: 'x', password: 'short' })).toEqual({
			status: 400,
			json: { error: 'The password must be at least 8 characters.' }
		});
	});

	it('throttles sign-in after 5 failures, even with the right password, and lets it in once the wait is over', async () => {
		const a = await account();
		const login = (password: string) =>
			call('POST', '/api/login', { name: a.name, password, deviceName: 'Laptop' });
		for (let i = 0; i < 5; i++) expect((await login('wrong password')).status).toBe(401);
		const blocked = await login('correct horse');
		expect(blocked.status).toBe(429);
		expect(blocked.json.error).toMatch(
			/^Too many failed sign-ins for this account: try again in \d+ s\.$/
		);
		now += 5_000;
		const ok = await login('correct horse');
		expect(ok.status).toBe(200);
		expect(ok.json.userId).toBe(a.userId);
		expect(
			(await call('POST', '/api/login', { name: 'nobody here', password: 'whatever1' })).json
		).toEqual({
			error: 'Wrong name or password.'
		});
	});

	it('pushes idempotently and pulls in resumable pages, each record once', async () => {
		const a = await account();
		const batch = [
			review('c1', T0),
			review('c1', T0 + 60_000, 1),
			review('c2', T0 + 5),
			field('n1', 'front', 'Q', T0)
		];
		const first = await pushAs(a.token, batch, a.epoch);
		expect(first.status).toBe(200);
		expect((first.json as PushReply).accepted).toBe(4);
		const before = await rowsOf(a.userId);
		const retried = await pushAs(a.token, batch, a.epoch);
		expect(retried.json).toMatchObject({ accepted: 0, head: first.json.head });
		expect(await rowsOf(a.userId)).toEqual(before);
		await pushAs(a.token, [field('n1', 'back', 'A', T0 + 1), review('c3', T0 + 9)], a.epoch);
		const all = await pullAll(a.token, 0, 2);
		expect(all.pages.length).toBeGreaterThan(2);
		expect(all.records.map((r) => r.seq)).toEqual(
			[...all.records.map((r) => r.seq)].sort((x, y) => x - y)
		);
		const ids = all.records.map((r) => (r.kind === 'review' ? r.id : `${r.id}.${r.field}`));
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(
			[
				'c1@' + T0.toString(36) + '.3',
				`c1@${(T0 + 60_000).toString(36)}.1`,
				`c2@${(T0 + 5).toString(36)}.3`,
				`c3@${(T0 + 9).toString(36)}.3`,
				'n1.back',
				'n1.front'
			].sort()
		);
		// Resuming after the first page gives exactly the rest.
		const rest = await pullAll(a.token, all.pages[0]!.cursor, 2);
		expect(rest.records).toEqual(all.records.slice(all.pages[0]!.records.length));
		const pulledReview = all.records.find(
			(r) => r.kind === 'review' && r.cardId === 'c1' && r.rating === 1
		);
		expect(pulledReview).toEqual({ ...batch[1], seq: expect.any(Number) });
	});

	it('keeps the later edit of a field by its clock, whatever order the pushes come in', async () => {
		const a = await account();
		await pushAs(a.token, [field('n', 'front', 'later', T0 + 10, 'b')]);
		await pushAs(a.token, [
			field('n', 'front', 'earlier', T0, 'a'),
			field('n', 'back', 'kept', T0, 'a')
		]);
		const { records } = await pullAll(a.token, 0, 100);
		const replica = new SyncReplica();
		replica.apply(records);
		expect(replica.entity('note', 'n')).toEqual({
			fields: { front: 'later', back: 'kept' },
			deleted: false
		});
		expect(records).toHaveLength(2);
	});

	it('a reply lost after the commit: the retried push changes nothing and nothing is doubled', async () => {
		const a = await account();
		const batch = [
			review('lost', T0),
			review('lost', T0 + 1000, 2),
			field('lost', 'front', 'x', T0)
		];
		crashAfterCommit = true;
		const failed = await pushAs(a.token, batch);
		crashAfterCommit = false;
		expect(failed.status).toBe(500);
		const committed = await rowsOf(a.userId);
		expect(committed).toHaveLength(3);
		const retried = await pushAs(a.token, batch);
		expect(retried.json.accepted).toBe(0);
		expect(await rowsOf(a.userId)).toEqual(committed);
		expect((await pullAll(a.token)).records).toHaveLength(3);
	});

	it('refuses a malformed batch whole with the reason in words, writing nothing', async () => {
		const a = await account();
		const bad = { ...review('m', T0 + 1), rating: 9 };
		const res = await pushAs(a.token, [review('m', T0), bad as unknown as SyncRecord]);
		expect(res).toEqual({
			status: 400,
			json: {
				error:
					'The batch was refused whole, nothing was written: record 2: rating must be 0, 1, 2, 3 or 4.'
			}
		});
		expect(await rowsOf(a.userId)).toEqual([]);
		expect((await call('POST', '/api/push', '{"protocol":1,', a.token)).json).toEqual({
			error: 'The body is not valid JSON.'
		});
		const huge = await call(
			'POST',
			'/api/push',
			{ protocol: 1, epoch: '', records: [field('h', 'f', 'x'.repeat(MAX_BODY_BYTES), T0)] },
			a.token
		);
		expect(huge).toEqual({ status: 413, json: { error: 'The request body is larger than 4 MB.' } });
		expect(await rowsOf(a.userId)).toEqual([]);
	});

	it("never lets one user read or write another user's rows", async () => {
		const a = await account();
		const b = await account();
		await pushAs(a.token, [review('secret', T0), field('shared-id', 'front', 'A', T0)]);
		await pushAs(b.token, [field('shared-id', 'front', 'B', T0 + 99)]);
		const aRows = await pullAll(a.token, 0, 100);
		const bRows = await pullAll(b.token, 0, 100);
		expect(aRows.records.map((r) => (r.kind === 'field' ? r.value : r.id))).toEqual([
			reviewRecordId({ cardId: 'secret', reviewedAt: T0, rating: 3 }),
			'A'
		]);
		expect(bRows.records.map((r) => (r.kind === 'field' ? r.value : r.id))).toEqual(['B']);
		const aDevices = (await call('GET', '/api/devices', undefined, a.token)).json.devices;
		expect(
			(await call('DELETE', `/api/devices/${aDevices[0].deviceId}`, undefined, b.token)).status
		).toBe(404);
		// A token naming A's account with B's device id and secret is refused.
		const [, , bDevice, bSecret] = b.token.split('.');
		const forged = `r1.${a.userId}.${bDevice}.${bSecret}`;
		expect((await call('GET', '/api/pull?after=0', undefined, forged)).status).toBe(401);
		expect((await pushAs(forged, [review('x', T0)])).status).toBe(401);
		expect((await call('GET', '/api/pull?after=0')).json).toEqual({
			error: 'This device is signed out (its token was revoked or is not valid): sign in again.'
		});
		// Media too.
		const data = new TextEncoder().encode('an image');
		const hash = Buffer.from(await crypto.subtle.digest('SHA-256', data)).toString('hex');
		const put = await app.request(`/api/media/${hash}`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${a.token}`, 'Content-Type': 'image/png' },
			body: data
		});
		expect(put.status).toBe(201);
		expect(
			(await app.request(`/api/media/${hash}`, { headers: { Authorization: `Bearer ${b.token}` } }))
				.status
		).toBe(404);
		const got = await app.request(`/api/media/${hash}`, {
			headers: { Authorization: `Bearer ${a.token}` }
		});
		expect(new Uint8Array(await got.arrayBuffer())).toEqual(data);
		expect(
			(await call('POST', '/api/media/missing', { hashes: [hash, 'f'.repeat(64)] }, a.token)).json
		).toEqual({ missing: ['f'.repeat(64)] });
		expect((await call('POST', '/api/media/missing', { hashes: [hash] }, b.token)).json).toEqual({
			missing: [hash]
		});
		const wrong = await app.request(`/api/media/${'0'.repeat(64)}`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${a.token}` },
			body: data
		});
		expect(await wrong.json()).toEqual({ error: 'The file does not match its SHA-256 digest.' });
	});

	it('lists signed-in devices with their last sync; a revoked device is signed out; sign-out revokes itself', async () => {
		const a = await account('Phone');
		now += 1000;
		const laptop = (
			await call('POST', '/api/login', {
				name: a.name,
				password: 'correct horse',
				deviceName: 'Laptop'
			})
		).json.token as string;
		now += 1000;
		await pushAs(laptop, [review('d', now)]);
		const list = (await call('GET', '/api/devices', undefined, a.token)).json.devices;
		expect(
			list.map((d: { name: string; current: boolean; lastSyncAt: number | null }) => [
				d.name,
				d.current,
				d.lastSyncAt
			])
		).toEqual([
			['Phone', true, null],
			['Laptop', false, now]
		]);
		expect(
			(await call('DELETE', `/api/devices/${list[1].deviceId}`, undefined, a.token)).status
		).toBe(204);
		expect((await call('GET', '/api/devices', undefined, laptop)).status).toBe(401);
		expect((await call('POST', '/api/logout', undefined, a.token)).status).toBe(204);
		expect((await call('GET', '/api/devices', undefined, a.token)).status).toBe(401);
	});

	it('orders concurrent pushes of one user by commit: a follower pulling meanwhile misses nothing', async () => {
		const a = await account();
		const follower = new Map<string, number>();
		let cursor = 0;
		let pushing = true;
		const follow = (async () => {
			while (pushing) {
				const page = await call('GET', `/api/pull?after=${cursor}&limit=50`, undefined, a.token);
				for (const r of page.json.records)
					follower.set(r.kind === 'review' ? r.id : r.field, (follower.get(r.id) ?? 0) + 1);
				cursor = page.json.cursor;
			}
		})();
		const pushes = Array.from({ length: 16 }, (_, p) =>
			pushAs(
				a.token,
				Array.from({ length: 25 }, (_, i) => review(`p${p}`, T0 + i * 1000))
			)
		);
		const replies = await Promise.all(pushes);
		pushing = false;
		await follow;
		expect(replies.every((r) => r.status === 200 && r.json.accepted === 25)).toBe(true);
		const rest = await pullAll(a.token, cursor, 100);
		for (const r of rest.records)
			follower.set(r.kind === 'review' ? r.id : r.field, (follower.get(r.id) ?? 0) + 1);
		expect(follower.size).toBe(400);
		expect([...follower.values()].every((n) => n === 1)).toBe(true);
		const seqs = (await rowsOf(a.userId)).map((r) => r.seq).sort((x, y) => x - y);
		expect(new Set(seqs).size).toBe(400);
	});

	it('after a restore (new epoch) a push on the old epoch is refused with the new one, and re-pushing everything loses nothing', async () => {
		const a = await account();
		await pushAs(a.token, [review('e', T0)], a.epoch);
		// The backup is older than this push: it is lost from the server.
		await pushAs(a.token, [review('e', T0 + 1)], a.epoch);
		await db.query(`delete from sync_records where user_id = $1 and rkey = $2`, [
			a.userId,
			reviewRecordId({ cardId: 'e', reviewedAt: T0 + 1, rating: 3 })
		]);
		await newEpoch(db);
		const refused = await pushAs(a.token, [review('e', T0 + 2)], a.epoch);
		expect(refused.status).toBe(409);
		expect(refused.json.code).toBe('epoch-changed');
		expect(refused.json.epoch).not.toBe(a.epoch);
		const again = await pushAs(
			a.token,
			[review('e', T0), review('e', T0 + 1), review('e', T0 + 2)],
			refused.json.epoch
		);
		expect(again.json.accepted).toBe(2);
		expect(
			(await pullAll(a.token)).records.map((r) => (r as ReviewRecord).reviewedAt).sort()
		).toEqual([T0, T0 + 1, T0 + 2]);
	});
});
