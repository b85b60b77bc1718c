import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, buildServer } from '../scripts/build-server.mjs';
import { PROTOCOL_VERSION, reviewRecordId, type ReviewRecord } from '../src/lib/core/sync';

const PORT = 4192;
const BASE = `http://127.0.0.1:${PORT}`;
const T0 = Date.UTC(2026, 11, 2, 8);

function review(cardId: string, at: number): ReviewRecord {
	const r = { cardId, reviewedAt: at, rating: 3 as const };
	return {
		kind: 'review',
		id: reviewRecordId(r),
		...r,
		deckId: 'd',
		state: 2,
		due: at,
		stability: 2,
		difficulty: 5,
		elapsedDays: 1,
		scheduledDays: 2,
		durationMs: 3000
	};
}

let dataDir: string;
let child: ChildProcess | undefined;

async function start(fault?: string): Promise<ChildProcess> {
	const proc = spawn(process.execPath, [SERVER_BUNDLE], {
		env: {
			...process.env,
			DATABASE_URL: '',
			RECALL_DATA: dataDir,
			PORT: String(PORT),
			BUILD_DIR: join(dataDir, 'no-build'),
			RECALL_TEST_FAULT: fault ?? ''
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const until = Date.now() + 60_000;
	while (Date.now() < until) {
		if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode})`);
		try {
			if ((await fetch(`${BASE}/api/health`)).ok) return proc;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('the server did not start within 60 s');
}

const exited = (proc: ChildProcess) =>
	new Promise<string | null>((resolve) =>
		proc.exitCode !== null || proc.signalCode !== null
			? resolve(proc.signalCode)
			: proc.once('exit', (_, signal) => resolve(signal))
	);

beforeAll(async () => {
	await buildServer();
	dataDir = mkdtempSync(join(tmpdir(), 'recall-crash-'));
});
afterAll(() => {
	child?.kill();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('the real server process on PGlite, killed', () => {
	it('right after a push committed: restarted, the retried push changes nothing and nothing is doubled', async () => {
		child = await start('kill-after-push-commit');
		const account = await (
			await fetch(`${BASE}/api/account`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					name: 'crash test',
					password: 'a long password',
					deviceName: 'Phone'
				})
			})
		).json();
		const headers = {
			'Content-Type': 'application/json',
			Authorization: `Bearer ${account.token}`
		};
		const body = JSON.stringify({
			protocol: PROTOCOL_VERSION,
			epoch: account.epoch,
			records: [review('k1', T0), review('k2', T0 + 1000), review('k1', T0 + 86_400_000)]
		});
		// The reply never comes: the process is killed (SIGKILL) once the push has committed.
		await expect(fetch(`${BASE}/api/push`, { method: 'POST', headers, body })).rejects.toThrow();
		expect(await exited(child)).toBe('SIGKILL');

		child = await start();
		const retried = await (
			await fetch(`${BASE}/api/push`, { method: 'POST', headers, body })
		).json();
		expect(retried).toMatchObject({ accepted: 0, head: 3, epoch: account.epoch });
		const pulled = await (await fetch(`${BASE}/api/pull?after=0`, { headers })).json();
		expect(pulled.records.map((r: ReviewRecord) => r.id).sort()).toEqual(
			[review('k1', T0).id, review('k2', T0 + 1000).id, review('k1', T0 + 86_400_000).id].sort()
		);
		expect(pulled.done).toBe(true);
	});
});
