#!/usr/bin/env node
// `npm run bench -- --only=sync` (or `node bench/sync-server.mjs` alone): the sync server's push
// throughput with 100 users pushing at once, PGlite and PostgreSQL side by side in one run.
//
// The server is the real one (the bundle `npm start` runs, server/main.ts) in a process of its
// own; this process is the 100 devices. Each user signs in once and connects once (the opening
// burst of 100 new connections otherwise left some first pushes waiting for the whole run: p99
// 5.6 s against 757 ms connected, PERFORMANCE.md), then pushes PUSHES batches of
// BATCH reviews one after the other, as a device does after grades; all users at the same time.
// Printed as one `BENCH_RESULT [...]` line (bench/lib/report.ts's contract).
//
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created in it and
// dropped), else a throwaway cluster from Debian's postgresql-15 (initdb + pg_ctl, run as the
// `postgres` user when this runs as root), else the row says it was skipped and why.
//
//   BENCH_SYNC_USERS (100)  BENCH_SYNC_PUSHES (20)  BENCH_SYNC_BATCH (20)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_BUNDLE, buildServer } from '../scripts/build-server.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const USERS = Number(process.env.BENCH_SYNC_USERS ?? 100);
const PUSHES = Number(process.env.BENCH_SYNC_PUSHES ?? 20);
const BATCH = Number(process.env.BENCH_SYNC_BATCH ?? 20);
const PORT = 4386;
const PG_PORT = 5499;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const SECTION = 'Sync server (100 users pushing at once)';
const T0 = Date.UTC(2026, 10, 1, 8);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}
const round = (n) => Math.round(n * 10) / 10;

async function startServer(env) {
	const dir = mkdtempSync(join(os.tmpdir(), 'recall-bench-sync-'));
	const proc = spawn(process.execPath, [SERVER_BUNDLE], {
		env: {
			...process.env,
			DATABASE_URL: '',
			RECALL_DATA: join(dir, 'data'),
			BUILD_DIR: join(dir, 'no-build'),
			PORT: String(PORT),
			...env
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const base = `http://127.0.0.1:${PORT}`;
	const until = Date.now() + 120_000;
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode})`);
		if (Date.now() > until) throw new Error('the server did not start');
		try {
			const res = await fetch(`${base}/api/health`);
			if (res.ok && (await res.json()).ok) break;
		} catch {
			// not up yet
		}
		await sleep(200);
	}
	return {
		base,
		async stop() {
			await new Promise((resolve) => {
				if (proc.exitCode !== null) return resolve();
				proc.once('exit', resolve);
				proc.kill('SIGTERM');
			});
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

function review(user, i) {
	const cardId = `u${user}/c${i % 500}`;
	const reviewedAt = T0 + i * 30_000;
	return {
		kind: 'review',
		id: `${cardId}@${reviewedAt.toString(36)}.3`,
		cardId,
		deckId: 'deck',
		reviewedAt,
		rating: 3,
		state: 2,
		due: reviewedAt + 86_400_000,
		stability: 3,
		difficulty: 5,
		elapsedDays: 1,
		scheduledDays: 2,
		durationMs: 4000
	};
}

async function post(base, path, body, token) {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	const json = await res.json();
	if (!res.ok) throw new Error(`${path}: ${json.error ?? res.status}`);
	return json;
}

/** 100 users push at once; returns reviews/s and push latencies. */
async function measure(label, env) {
	const server = await startServer(env);
	try {
		// Accounts first, a few at a time (scrypt takes ~100 ms and 32 MB each, by design).
		const accounts = [];
		for (let u = 0; u < USERS; u += 4) {
			accounts.push(
				...(await Promise.all(
					Array.from({ length: Math.min(4, USERS - u) }, (_, k) =>
						post(server.base, '/api/account', {
							name: `bench ${label} ${u + k}`,
							password: 'a long password',
							deviceName: 'Bench'
						})
					)
				))
			);
		}
		// Each device connected once before the clock starts (a device that syncs keeps its connection).
		await Promise.all(
			accounts.map((a) =>
				fetch(`${server.base}/api/devices`, {
					headers: { Authorization: `Bearer ${a.token}` }
				}).then((r) => r.text())
			)
		);
		const latencies = [];
		const load0 = os.loadavg()[0];
		const t0 = performance.now();
		await Promise.all(
			accounts.map(async (a, u) => {
				for (let p = 0; p < PUSHES; p++) {
					const records = Array.from({ length: BATCH }, (_, k) => review(u, p * BATCH + k));
					const s = performance.now();
					const reply = await post(
						server.base,
						'/api/push',
						{ protocol: 1, epoch: a.epoch, records },
						a.token
					);
					latencies.push(performance.now() - s);
					if (reply.accepted !== BATCH) throw new Error(`accepted ${reply.accepted} of ${BATCH}`);
				}
			})
		);
		const seconds = (performance.now() - t0) / 1000;
		// One user's whole log pulled, as a new device does (the server side of a pull).
		const a = accounts[0];
		const p0 = performance.now();
		let cursor = 0;
		let pulled = 0;
		for (;;) {
			const res = await fetch(`${server.base}/api/pull?after=${cursor}&limit=2000`, {
				headers: { Authorization: `Bearer ${a.token}` }
			});
			const page = await res.json();
			pulled += page.records.length;
			cursor = page.cursor;
			if (page.done) break;
		}
		const pullMs = performance.now() - p0;
		const total = USERS * PUSHES * BATCH;
		const note = `${USERS} users × ${PUSHES} pushes of ${BATCH} reviews, all users at once; load average ${load0.toFixed(1)} at the start`;
		return [
			{
				section: SECTION,
				name: `push throughput, ${label}`,
				value: Math.round(total / seconds),
				unit: 'reviews/s',
				budget: { min: 1000 },
				note: `${total} reviews in ${round(seconds)} s; ${note}`
			},
			{
				section: SECTION,
				name: `push latency p50, ${label}`,
				value: round(quantile(latencies, 0.5)),
				unit: 'ms'
			},
			{
				section: SECTION,
				name: `push latency p99, ${label}`,
				value: round(quantile(latencies, 0.99)),
				unit: 'ms',
				budget: { max: 500 },
				note: `${latencies.length} pushes; each device connected (one GET) before the clock starts`
			},
			{
				section: SECTION,
				name: `pull one user's log, ${label}`,
				value: round(pullMs),
				unit: 'ms',
				note: `${pulled} records in pages of 2,000, over HTTP`
			}
		];
	} finally {
		await server.stop();
	}
}

/** A PostgreSQL to measure against: the given one, a throwaway cluster, or why not. */
async function postgres() {
	const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	const { default: pg } = await import('postgres');
	const name = `recall_bench_${process.pid}`;
	if (given) {
		const admin = pg(given, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(given);
		url.pathname = `/${name}`;
		return {
			url: url.href,
			label: 'PostgreSQL (given)',
			async stop() {
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		};
	}
	if (!existsSync(join(PG_BIN, 'initdb'))) {
		return { skipped: `no PostgreSQL: set BENCH_DATABASE_URL, or install postgresql-15` };
	}
	const dir = mkdtempSync(join(os.tmpdir(), 'recall-bench-pg-'));
	chmodSync(dir, 0o777);
	const asPg = (cmd, args) =>
		process.getuid?.() === 0
			? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], {
					encoding: 'utf8'
				})
			: spawnSync(join(PG_BIN, cmd), args, { encoding: 'utf8' });
	const data = join(dir, 'data');
	let r = asPg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
	if (r.status !== 0) return { skipped: `initdb failed: ${(r.stderr || r.stdout).slice(-300)}` };
	r = asPg('pg_ctl', [
		'-D',
		data,
		'-l',
		join(dir, 'log'),
		'-w',
		'-o',
		`-p ${PG_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
		'start'
	]);
	if (r.status !== 0)
		return { skipped: `pg_ctl start failed: ${(r.stderr || r.stdout).slice(-300)}` };
	const admin = pg(`postgres://postgres@127.0.0.1:${PG_PORT}/postgres`, {
		max: 1,
		onnotice: () => {}
	});
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	return {
		url: `postgres://postgres@127.0.0.1:${PG_PORT}/${name}`,
		label: 'PostgreSQL 15 (throwaway cluster)',
		async stop() {
			asPg('pg_ctl', ['-D', data, '-m', 'fast', 'stop']);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

await buildServer();
const rows = [];
try {
	rows.push(...(await measure('PGlite', {})));
} catch (e) {
	rows.push({
		section: SECTION,
		name: 'PGlite failed',
		value: null,
		unit: '',
		note: String(e.message ?? e)
	});
}
const pgInfo = await postgres().catch((e) => ({
	skipped: `PostgreSQL setup failed: ${e.message}`
}));
if (pgInfo.skipped) {
	console.log(`PostgreSQL SKIPPED: ${pgInfo.skipped}`);
	rows.push({
		section: SECTION,
		name: 'push throughput, PostgreSQL',
		value: null,
		unit: 'reviews/s',
		note: `skipped: ${pgInfo.skipped}`
	});
} else {
	try {
		rows.push(...(await measure(pgInfo.label, { DATABASE_URL: pgInfo.url })));
	} catch (e) {
		rows.push({
			section: SECTION,
			name: `${pgInfo.label} failed`,
			value: null,
			unit: '',
			note: String(e.message ?? e)
		});
	} finally {
		await pgInfo.stop();
	}
}
console.log(`BENCH_RESULT ${JSON.stringify(rows)}`);
