/**
 * Server-level faults against the real server process on a PGlite folder (the bundle `npm start`
 * runs): killed in the middle of a new device's pull, and restored from a backup (an older copy
 * of its data folder, then `npm run server:new-epoch`). Each ends with "nothing lost, nothing
 * doubled", read from the server's own rows (the data folder opened directly once the process
 * is stopped) and from what a device pulls.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, buildServer } from '../scripts/build-server.mjs';
import {
	PROTOCOL_VERSION,
	reviewRecordId,
	type AccountReply,
	type PullReply,
	type ReviewRecord
} from '../src/lib/core/sync';
import { openPglite } from './db';

const PORT = 4385;
const BASE = `http://127.0.0.1:${PORT}`;
const T0 = Date.UTC(2026, 11, 1, 8);
const PASSWORD = 'a long password';

function review(i: number): ReviewRecord {
	const r = { cardId: `card-${i % 700}`, reviewedAt: T0 + i * 60_000, rating: 3 as const };
	return {
		kind: 'review',
		id: reviewRecordId(r),
		...r,
		deckId: 'deck',
		state: 2,
		due: r.reviewedAt + 86_400_000,
		stability: 2,
		difficulty: 5,
		elapsedDays: 1,
		scheduledDays: 1,
		durationMs: 4000
	};
}

let root: string;
let child: ChildProcess | undefined;

function start(dataDir: string): Promise<ChildProcess> {
	const proc = spawn(process.execPath, [SERVER_BUNDLE], {
		env: {
			...process.env,
			DATABASE_URL: '',
			RECALL_DATA: dataDir,
			PORT: String(PORT),
			BUILD_DIR: join(root, 'no-build'),
			RECALL_TEST_FAULT: ''
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	return (async () => {
		const until = Date.now() + 60_000;
		while (Date.now() < until) {
			if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode})`);
			try {
				const health = await fetch(`${BASE}/api/health`);
				if (health.ok && ((await health.json()) as { ok?: boolean }).ok) return proc;
			} catch {
				// not up yet
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error('the server did not start within 60 s');
	})();
}

function stopped(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	return new Promise((resolve) => {
		if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
		proc.once('exit', () => resolve());
		proc.kill(signal);
	});
}

async function call<T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> {
	const res = await fetch(`${BASE}${path}`, {
		...init,
		headers: {
			'Content-Type': 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {})
		}
	});
	const body = (await res.json()) as T & { error?: string };
	if (!res.ok) throw Object.assign(new Error(body.error ?? String(res.status)), { body, res });
	return body;
}

const account = (name: string, create: boolean) =>
	call<AccountReply>(create ? '/api/account' : '/api/login', null, {
		method: 'POST',
		body: JSON.stringify({ name, password: PASSWORD, deviceName: create ? 'Phone' : 'Laptop' })
	});

async function pushAll(token: string, epoch: string, records: ReviewRecord[]) {
	let accepted = 0;
	for (let i = 0; i < records.length; i += 2000) {
		const reply = await call<{ accepted: number }>('/api/push', token, {
			method: 'POST',
			body: JSON.stringify({
				protocol: PROTOCOL_VERSION,
				epoch,
				records: records.slice(i, i + 2000)
			})
		});
		accepted += reply.accepted;
	}
	return accepted;
}

const pullPage = (token: string, after: number) =>
	call<PullReply>(`/api/pull?after=${after}&limit=2000`, token);

/** The server's own rows for a user: count, distinct keys, distinct sequence numbers. */
async function serverRows(dataDir: string) {
	const db = await openPglite(dataDir);
	try {
		const [row] = await db.query<{ n: number; keys: number; seqs: number }>(
			`select count(*)::int as n, count(distinct rkey)::int as keys, count(distinct seq)::int as seqs
			 from sync_records`
		);
		const ids = await db.query<{ rkey: string }>(`select rkey from sync_records where kind = 'r'`);
		return { ...row!, ids: new Set(ids.map((r) => r.rkey)) };
	} finally {
		await db.close();
	}
}

beforeAll(async () => {
	await buildServer();
	root = mkdtempSync(join(tmpdir(), 'recall-faults-'));
});
afterAll(async () => {
	if (child) await stopped(child, 'SIGKILL');
	rmSync(root, { recursive: true, force: true });
});

describe('the real server process on PGlite', () => {
	it(
		'killed mid-pull of a new device: restarted, the pull goes on from its saved cursor, nothing lost or doubled',
		{ timeout: 240_000 },
		async () => {
			const dataDir = join(root, 'mid-pull');
			child = await start(dataDir);
			const phone = await account('mid pull', true);
			const history = Array.from({ length: 5_000 }, (_, i) => review(i));
			expect(await pushAll(phone.token, phone.epoch, history)).toBe(5_000);

			// A new device signs in and pulls: the first page is in, its cursor saved.
			const laptop = await account('mid pull', false);
			const got: PullReply['records'] = [];
			const first = await pullPage(laptop.token, 0);
			got.push(...first.records);
			let cursor = first.cursor;
			expect(first.done).toBe(false);
			expect(cursor).toBe(2_000);

			// The second page is asked for and the process dies (SIGKILL) while it is in flight.
			const inFlight = pullPage(laptop.token, cursor);
			child.kill('SIGKILL');
			const outcome = await Promise.allSettled([inFlight]);
			await stopped(child, 'SIGKILL');
			if (outcome[0].status === 'fulfilled') {
				// It answered before dying: a device writes the page with its cursor, as always.
				got.push(...outcome[0].value.records);
				cursor = outcome[0].value.cursor;
			}

			// Restarted on the same folder, the device asks from its saved cursor, never from zero.
			child = await start(dataDir);
			const asked: number[] = [];
			for (;;) {
				asked.push(cursor);
				const page = await pullPage(laptop.token, cursor);
				got.push(...page.records);
				cursor = page.cursor;
				if (page.done) break;
			}
			expect(asked[0]).toBeGreaterThanOrEqual(2_000);
			expect(cursor).toBe(5_000);
			const ids = got.map((r) => (r as ReviewRecord).id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(ids)).toEqual(new Set(history.map((r) => r.id)));
			const seqs = got.map((r) => r.seq);
			expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

			await stopped(child);
			child = undefined;
			const rows = await serverRows(dataDir);
			expect(rows).toMatchObject({ n: 5_000, keys: 5_000, seqs: 5_000 });
			expect(rows.ids).toEqual(new Set(history.map((r) => r.id)));
		}
	);

	it(
		'restored from an older backup and given a new epoch: devices re-push and re-pull, nothing lost or doubled',
		{ timeout: 240_000 },
		async () => {
			const dataDir = join(root, 'live');
			const backupDir = join(root, 'backup');
			child = await start(dataDir);
			const phone = await account('restored', true);
			const laptop = await account('restored', false);
			const history = Array.from({ length: 3_000 }, (_, i) => review(i));
			// 2,000 reviews are in when the operator copies the data folder (server stopped)…
			expect(await pushAll(phone.token, phone.epoch, history.slice(0, 2_000))).toBe(2_000);
			await stopped(child);
			cpSync(dataDir, backupDir, { recursive: true });
			// …then 1,000 more are pushed, and the laptop pulls them all.
			child = await start(dataDir);
			expect(await pushAll(phone.token, phone.epoch, history.slice(2_000))).toBe(1_000);
			let laptopCursor = 0;
			const laptopHas = new Set<string>();
			for (;;) {
				const page = await pullPage(laptop.token, laptopCursor);
				for (const r of page.records) laptopHas.add((r as ReviewRecord).id);
				laptopCursor = page.cursor;
				if (page.done) break;
			}
			expect(laptopHas.size).toBe(3_000);
			await stopped(child);

			// The disk is lost; the backup is restored and `npm run server:new-epoch` is run on it.
			rmSync(dataDir, { recursive: true, force: true });
			cpSync(backupDir, dataDir, { recursive: true });
			const epochRun = spawnSync(process.execPath, [SERVER_BUNDLE, '--new-epoch'], {
				env: { ...process.env, DATABASE_URL: '', RECALL_DATA: dataDir },
				encoding: 'utf8'
			});
			expect(epochRun.status, epochRun.stderr).toBe(0);
			expect(epochRun.stdout).toMatch(/New epoch set for every account/);
			expect((await serverRows(dataDir)).n).toBe(2_000);

			child = await start(dataDir);
			// The phone's next push (with the old epoch) is refused whole: send everything again.
			const late = review(3_000);
			let refused: { code?: string; epoch?: string } = {};
			await pushAll(phone.token, phone.epoch, [late]).catch(
				(e: { body: typeof refused }) => (refused = e.body)
			);
			expect(refused.code).toBe('epoch-changed');
			expect(refused.epoch).toMatch(/\S/);
			expect(refused.epoch).not.toBe(phone.epoch);
			const epoch = refused.epoch!;
			// Everything it holds goes again: what the backup has changes nothing, the rest is added.
			expect(await pushAll(phone.token, epoch, [...history, late])).toBe(1_001);
			// The laptop's pull sees the new epoch (and a head below its cursor): it pulls from zero.
			const seen = await pullPage(laptop.token, laptopCursor);
			expect(seen.epoch).toBe(epoch);
			const again: string[] = [];
			let cursor = 0;
			for (;;) {
				const page = await pullPage(laptop.token, cursor);
				again.push(...page.records.map((r) => (r as ReviewRecord).id));
				cursor = page.cursor;
				if (page.done) break;
			}
			// The laptop re-pushes its copy too: nothing doubles.
			expect(await pushAll(laptop.token, epoch, history)).toBe(0);
			expect(new Set(again).size).toBe(again.length);
			expect(new Set(again)).toEqual(new Set([...history, late].map((r) => r.id)));

			await stopped(child);
			child = undefined;
			const rows = await serverRows(dataDir);
			expect(rows).toMatchObject({ n: 3_001, keys: 3_001, seqs: 3_001 });
		}
	);
});
