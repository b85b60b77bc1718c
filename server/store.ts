/**
 * Accounts, devices, push, pull and media: everything the HTTP layer (app.ts) does with the
 * database. Each function takes the user id it may touch from an authenticated token; every
 * statement filters by it, so one user can never read or write another's rows.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import {
	compactBatch,
	fieldKey,
	type AccountReply,
	type DeviceInfo,
	type PullReply,
	type PushReply,
	type SyncRecord
} from '../src/lib/core/sync';
import type { Db, Queryable } from './db';

const scryptAsync = promisify(scrypt) as (
	password: string,
	salt: Buffer,
	keylen: number,
	options: { N: number; r: number; p: number; maxmem: number }
) => Promise<Buffer>;

/** scrypt cost: 2^15 × 8 × 1 (~100 ms, 32 MB) — slow for a guesser, fine for a sign-in. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
/** Failed sign-ins allowed before the account waits (doubling from 1 s, at most 15 min). */
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;

export class HttpError extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
		message: string,
		readonly extra: Record<string, unknown> = {}
	) {
		super(message);
	}
}

export interface Auth {
	userId: string;
	deviceId: string;
}

const b64url = (b: Buffer) => b.toString('base64url');
const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** An account's id is derived from its name: sign-in finds the row by primary key alone. */
export function userIdOf(name: string): string {
	return sha256(`recall-user:${name.normalize('NFC').trim().toLowerCase()}`).slice(0, 32);
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scryptAsync(password.normalize('NFC'), salt, 32, SCRYPT);
	return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${b64url(salt)}$${b64url(key)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, key] = stored.split('$');
	if (scheme !== 'scrypt' || !salt || !key) return false;
	const expected = Buffer.from(key, 'base64url');
	const got = await scryptAsync(
		password.normalize('NFC'),
		Buffer.from(salt, 'base64url'),
		expected.length,
		{
			N: Number(n),
			r: Number(r),
			p: Number(p),
			maxmem: SCRYPT.maxmem
		}
	);
	return timingSafeEqual(expected, got);
}

/** A stand-in hash, so a sign-in with an unknown name takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

function checkCredentials(input: unknown): { name: string; password: string; deviceName: string } {
	const o = (input ?? {}) as Record<string, unknown>;
	const name = typeof o.name === 'string' ? o.name.normalize('NFC').trim() : '';
	const password = typeof o.password === 'string' ? o.password : '';
	const deviceName =
		typeof o.deviceName === 'string' && o.deviceName.trim()
			? o.deviceName.trim().slice(0, 80)
			: 'Device';
	if (name.length < 1 || name.length > 64)
		throw new HttpError(400, 'The name must be 1 to 64 characters.');
	if (password.length < 8) throw new HttpError(400, 'The password must be at least 8 characters.');
	if (password.length > 1024)
		throw new HttpError(400, 'The password must be at most 1024 characters.');
	return { name, password, deviceName };
}

async function addDevice(
	tx: Queryable,
	userId: string,
	deviceName: string,
	now: number
): Promise<{ token: string; deviceId: string }> {
	const deviceId = b64url(randomBytes(9));
	const secret = b64url(randomBytes(32));
	await tx.query(
		`insert into sync_devices (user_id, device_id, token_hash, name, created_at) values ($1, $2, $3, $4, $5)`,
		[userId, deviceId, sha256(secret), deviceName, now]
	);
	return { token: `r1.${userId}.${deviceId}.${secret}`, deviceId };
}

export async function createAccount(db: Db, input: unknown, now: number): Promise<AccountReply> {
	const { name, password, deviceName } = checkCredentials(input);
	const userId = userIdOf(name);
	const passwordHash = await hashPassword(password);
	const epoch = b64url(randomBytes(9));
	const reply = await db.transaction(async (tx) => {
		const inserted = await tx.query(
			`insert into sync_accounts (user_id, name, password_hash, epoch, created_at)
			 values ($1, $2, $3, $4, $5) on conflict (user_id) do nothing returning user_id`,
			[userId, name, passwordHash, epoch, now]
		);
		if (inserted.length === 0) {
			throw new HttpError(
				409,
				`An account named "${name}" already exists on this server: sign in instead.`
			);
		}
		const device = await addDevice(tx, userId, deviceName, now);
		return { ...device, userId, name, epoch, serverTime: now };
	});
	await db.durable();
	return reply;
}

export async function signIn(db: Db, input: unknown, now: number): Promise<AccountReply> {
	const { name, password, deviceName } = checkCredentials(input);
	const userId = userIdOf(name);
	const [account] = await db.query<{
		name: string;
		password_hash: string;
		epoch: string;
		failed_logins: number;
		last_failed_at: number | null;
	}>(
		`select name, password_hash, epoch, failed_logins, last_failed_at from sync_accounts where user_id = $1`,
		[userId]
	);
	if (!account) {
		dummyHash ??= hashPassword('not a password');
		await verifyPassword(password, await dummyHash);
		throw new HttpError(401, 'Wrong name or password.');
	}
	const failures = Number(account.failed_logins);
	if (failures >= FREE_FAILURES && account.last_failed_at !== null) {
		const wait = Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - FREE_FAILURES));
		const until = Number(account.last_failed_at) + wait;
		if (now < until) {
			const seconds = Math.ceil((until - now) / 1000);
			throw new HttpError(
				429,
				`Too many failed sign-ins for this account: try again in ${seconds} s.`,
				{
					retryAfter: seconds
				}
			);
		}
	}
	if (!(await verifyPassword(password, account.password_hash))) {
		await db.query(
			`update sync_accounts set failed_logins = failed_logins + 1, last_failed_at = $2 where user_id = $1`,
			[userId, now]
		);
		throw new HttpError(401, 'Wrong name or password.');
	}
	const reply = await db.transaction(async (tx) => {
		await tx.query(
			`update sync_accounts set failed_logins = 0, last_failed_at = null where user_id = $1`,
			[userId]
		);
		const device = await addDevice(tx, userId, deviceName, now);
		return { ...device, userId, name: account.name, epoch: account.epoch, serverTime: now };
	});
	await db.durable();
	return reply;
}

/** The user and device of a bearer token, or a 401 in words. */
export async function authenticate(db: Db, header: string | undefined): Promise<Auth> {
	const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
	const [version, userId, deviceId, secret] = token.split('.');
	const refused = new HttpError(
		401,
		'This device is signed out (its token was revoked or is not valid): sign in again.'
	);
	if (version !== 'r1' || !userId || !deviceId || !secret) throw refused;
	const [row] = await db.query<{ token_hash: string }>(
		`select token_hash from sync_devices where user_id = $1 and device_id = $2`,
		[userId, deviceId]
	);
	if (!row) throw refused;
	const a = Buffer.from(row.token_hash, 'hex');
	const b = Buffer.from(sha256(secret), 'hex');
	if (a.length !== b.length || !timingSafeEqual(a, b)) throw refused;
	return { userId, deviceId };
}

export async function listDevices(db: Db, auth: Auth): Promise<DeviceInfo[]> {
	const rows = await db.query<{
		device_id: string;
		name: string;
		created_at: number;
		last_sync_at: number | null;
	}>(
		`select device_id, name, created_at, last_sync_at from sync_devices where user_id = $1 order by created_at, device_id`,
		[auth.userId]
	);
	return rows.map((r) => ({
		deviceId: r.device_id,
		name: r.name,
		createdAt: Number(r.created_at),
		lastSyncAt: r.last_sync_at === null ? null : Number(r.last_sync_at),
		current: r.device_id === auth.deviceId
	}));
}

export async function revokeDevice(db: Db, auth: Auth, deviceId: string): Promise<void> {
	const gone = await db.query(
		`delete from sync_devices where user_id = $1 and device_id = $2 returning device_id`,
		[auth.userId, deviceId]
	);
	if (gone.length === 0) throw new HttpError(404, 'No such device on this account.');
	await db.durable();
}

async function accountHead(q: Queryable, userId: string, lock: boolean) {
	const [row] = await q.query<{ next_seq: number; epoch: string }>(
		`select next_seq, epoch from sync_accounts where user_id = $1${lock ? ' for update' : ''}`,
		[userId]
	);
	if (!row) throw new HttpError(401, 'This account no longer exists on this server.');
	return { nextSeq: Number(row.next_seq), epoch: row.epoch };
}

function rowOf(r: SyncRecord): { k: 'r' | 'f'; key: string; hlc: string; data: SyncRecord } {
	return r.kind === 'review'
		? { k: 'r', key: r.id, hlc: '', data: r }
		: { k: 'f', key: fieldKey(r).replaceAll('\u0000', '\u001f'), hlc: r.hlc, data: r };
}

/**
 * Writes a batch in one transaction. The account row is locked first (`FOR UPDATE`), so the
 * user's pushes run one after the other and their sequence numbers follow commit order: a pull
 * after cursor N can never miss a row that commits later with a smaller number. Reviews are
 * inserted once (the same id again is a no-op), fields only when their clock is later: a retried
 * batch changes nothing.
 */
export async function push(
	db: Db,
	auth: Auth,
	records: SyncRecord[],
	clientEpoch: string,
	now: number,
	afterCommit?: () => void
): Promise<PushReply> {
	const rows = compactBatch(records).map(rowOf);
	const reply = await db.transaction(async (tx) => {
		const head = await accountHead(tx, auth.userId, true);
		if (clientEpoch !== '' && clientEpoch !== head.epoch) {
			throw new HttpError(
				409,
				'The server was restored from a backup: this device sends everything again.',
				{
					code: 'epoch-changed',
					epoch: head.epoch
				}
			);
		}
		let written: { seq: number }[] = [];
		if (rows.length > 0) {
			written = await tx.query<{ seq: number }>(
				`insert into sync_records (user_id, kind, rkey, seq, hlc, data)
				 select $1, r->>'k', r->>'key', $2::bigint + t.ord - 1, r->>'hlc', r->'data'
				 from jsonb_array_elements($3::text::jsonb) with ordinality as t(r, ord)
				 on conflict (user_id, kind, rkey) do update
				   set seq = excluded.seq, hlc = excluded.hlc, data = excluded.data
				   where sync_records.kind = 'f' and sync_records.hlc < excluded.hlc
				 returning seq`,
				[auth.userId, head.nextSeq, JSON.stringify(rows)]
			);
		}
		let nextSeq = head.nextSeq;
		if (written.length > 0) {
			nextSeq = Math.max(...written.map((w) => Number(w.seq))) + 1;
			await tx.query(`update sync_accounts set next_seq = $2 where user_id = $1`, [
				auth.userId,
				nextSeq
			]);
		}
		await tx.query(
			`update sync_devices set last_sync_at = $3 where user_id = $1 and device_id = $2`,
			[auth.userId, auth.deviceId, now]
		);
		return { epoch: head.epoch, accepted: written.length, head: nextSeq - 1, serverTime: now };
	});
	await db.durable();
	afterCommit?.();
	return reply;
}

/**
 * Records after sequence number `after`, at most `limit`, in order. The page is built as JSON
 * inside SQL (`json_agg`): decoding rows one by one through the driver is many times slower.
 */
export async function pull(
	db: Db,
	auth: Auth,
	after: number,
	limit: number,
	now: number
): Promise<string> {
	const head = await accountHead(db, auth.userId, false);
	const [page] = await db.query<{ records: string; n: number; last: number | null }>(
		`select coalesce(json_agg(t.data || jsonb_build_object('seq', t.seq) order by t.seq), '[]'::json)::text as records,
		        count(*)::int as n, max(t.seq) as last
		 from (select seq, data from sync_records where user_id = $1 and seq > $2 order by seq limit $3) t`,
		[auth.userId, after, limit]
	);
	const n = Number(page!.n);
	const cursor = page!.last === null ? after : Number(page!.last);
	const done = n < limit;
	if (done) {
		await db.query(
			`update sync_devices set last_sync_at = $3 where user_id = $1 and device_id = $2`,
			[auth.userId, auth.deviceId, now]
		);
	}
	const rest: Omit<PullReply, 'records'> = {
		epoch: head.epoch,
		cursor,
		done,
		head: head.nextSeq - 1,
		serverTime: now
	};
	// The page's JSON is passed through as it is, not parsed and serialized again.
	return `{"records":${page!.records},${JSON.stringify(rest).slice(1)}`;
}

export const MEDIA_HASH = /^[0-9a-f]{64}$/;

export async function missingMedia(db: Db, auth: Auth, hashes: unknown): Promise<string[]> {
	if (
		!Array.isArray(hashes) ||
		hashes.length > 10_000 ||
		!hashes.every((h) => typeof h === 'string' && MEDIA_HASH.test(h))
	) {
		throw new HttpError(400, 'hashes must be a list of at most 10,000 SHA-256 hex digests.');
	}
	const wanted = [...new Set(hashes as string[])];
	if (wanted.length === 0) return [];
	const rows = await db.query<{ hash: string }>(
		`select hash from sync_media where user_id = $1 and hash = any(select jsonb_array_elements_text($2::text::jsonb))`,
		[auth.userId, JSON.stringify(wanted)]
	);
	const have = new Set(rows.map((r) => r.hash));
	return wanted.filter((h) => !have.has(h));
}

export async function putMedia(
	db: Db,
	auth: Auth,
	hash: string,
	type: string,
	data: Uint8Array,
	now: number
) {
	if (!MEDIA_HASH.test(hash))
		throw new HttpError(400, 'The media name must be its SHA-256 hex digest.');
	if (sha256(data) !== hash)
		throw new HttpError(400, 'The file does not match its SHA-256 digest.');
	await db.query(
		`insert into sync_media (user_id, hash, type, size, data, created_at) values ($1, $2, $3, $4, $5, $6)
		 on conflict (user_id, hash) do nothing`,
		[auth.userId, hash, type.slice(0, 100) || 'application/octet-stream', data.length, data, now]
	);
	await db.durable();
}

export async function getMedia(
	db: Db,
	auth: Auth,
	hash: string
): Promise<{ type: string; data: Uint8Array }> {
	const [row] = await db.query<{ type: string; data: Uint8Array }>(
		`select type, data from sync_media where user_id = $1 and hash = $2`,
		[auth.userId, hash]
	);
	if (!row) throw new HttpError(404, 'No such media file on this account.');
	return row;
}

/** For an operator who restored a backup: every account gets a new epoch, so devices re-send everything. */
export async function newEpoch(db: Db): Promise<void> {
	const rows = await db.query<{ user_id: string }>(`select user_id from sync_accounts`);
	for (const { user_id } of rows) {
		await db.query(`update sync_accounts set epoch = $2 where user_id = $1`, [
			user_id,
			b64url(randomBytes(9))
		]);
	}
	await db.durable();
}
