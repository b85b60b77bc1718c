#!/usr/bin/env node
// Optimizer speed in Chromium on the shared corpus's real review log (12,580 reviews): the app's
// optimizer client and worker, bundled by Vite the way the production build bundles them (into a
// temporary folder, so no build of the app is touched), served by a plain static server without
// cross-origin isolation headers, and run in Debian's Chromium. Prints `BENCH_RESULT [...]` like
// the other benchmarks. Target: training under 3 s. The Node figures: optimizer.bench.node.ts.
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.js';

const SECTION = 'Optimizer (12,580 reviews)';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const csv = join(root, '../shared/corpus/revlogs/py-fsrs_review_logs_josh.csv');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1];
const report = (rows) => console.log(`BENCH_RESULT ${JSON.stringify(rows)}`);

if (!existsSync(csv)) {
	report([
		{
			section: SECTION,
			name: 'Chromium: train',
			value: null,
			unit: 'ms',
			budget: { max: 3000 },
			note: `shared corpus absent (${csv})`
		}
	]);
	process.exit(0);
}

const out = await mkdtemp(join(tmpdir(), 'recall-optimizer-bench-'));
await build({
	root: join(root, 'bench/optimizer-page'),
	configFile: false,
	logLevel: 'warn',
	base: './',
	resolve: { alias: { $lib: join(root, 'src/lib') } },
	worker: { format: 'es' },
	build: { outDir: out, emptyOutDir: true, target: 'es2022' }
});

const types = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.wasm': 'application/wasm',
	'.csv': 'text/csv'
};
const server = createServer(async (req, res) => {
	const path = new URL(req.url ?? '/', 'http://localhost').pathname;
	const file =
		path === '/revlog.csv' ? csv : join(out, normalize(path === '/' ? '/index.html' : path));
	try {
		const body = await readFile(file);
		res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
		res.end(body);
	} catch {
		res.statusCode = 404;
		res.end();
	}
});
await new Promise((resolve) => server.listen(0, resolve));
const port = server.address().port;

/** CPU time (ms) of the browser's renderer processes, where the page and its worker run. */
function rendererCpuMs(browserPid) {
	const ticks = 100; // USER_HZ on Linux
	let total = 0;
	const children = new Map();
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			children.set(Number(pid), {
				ppid: Number(fields[1]),
				cmd,
				cpu: Number(fields[11]) + Number(fields[12])
			});
		} catch {
			// The process ended while we looked.
		}
	}
	const ours = (pid) => {
		for (let p = pid; p > 1; p = children.get(p)?.ppid ?? 0) if (p === browserPid) return true;
		return false;
	};
	for (const [pid, proc] of children) {
		if (proc.cmd.includes('--type=renderer') && ours(pid)) total += proc.cpu;
	}
	return (total * 1000) / ticks;
}

const server2 = await chromium.launchServer({ executablePath: chromiumPath(), args: chromiumArgs });
const browserPid = server2.process().pid;
const browser = await chromium.connect(server2.wsEndpoint());
const rows = [];
try {
	const page = await browser.newPage();
	await page.goto(`http://localhost:${port}/`);
	await page.evaluate(() => window.prepare());
	const trains = [];
	for (let i = 0; i < RUNS; i++) {
		const cpuBefore = rendererCpuMs(browserPid);
		const run = await page.evaluate(() => window.optimize(true));
		trains.push({ ...run, cpu: rendererCpuMs(browserPid) - cpuBefore });
	}
	const runs = [];
	for (let i = 0; i < RUNS; i++) runs.push(await page.evaluate(() => window.optimize(false)));
	const isolated = await page.evaluate(() => crossOriginIsolated);
	const cores = await page.evaluate(() => navigator.hardwareConcurrency);
	const load = loadavg()[0].toFixed(1);
	const list = (key, from = runs) => from.map((r) => Math.round(r[key])).join(', ');
	rows.push(
		{
			section: SECTION,
			name: 'Chromium: train (worker + WASM load + conversion + training)',
			value: Math.round(median(trains.map((r) => r.train))),
			unit: 'ms',
			budget: { max: 3000 },
			note: `median of ${RUNS} (${list('train', trains)}); threadless, crossOriginIsolated=${isolated}, ${cores} cores, load average ${load}`
		},
		{
			section: SECTION,
			name: 'Chromium: train, CPU time of the page + worker',
			value: Math.round(median(trains.map((r) => r.cpu))),
			unit: 'ms',
			note: `median of ${RUNS} (${list('cpu', trains)}); ≈ the wall time on an idle core`
		},
		{
			section: SECTION,
			name: 'Chromium: train + time-series evaluation',
			value: Math.round(median(runs.map((r) => r.total))),
			unit: 'ms',
			note: `median of ${RUNS} (${list('total')}); new parameters better: ${runs.every((r) => r.better)}`
		},
		{
			section: SECTION,
			name: 'Chromium: longest main-thread task while optimizing',
			value: Math.round(Math.max(...[...trains, ...runs].map((r) => r.longestTask))),
			unit: 'ms',
			budget: { max: 50 },
			note: '0 = no long task (≥ 50 ms) at all'
		}
	);
} finally {
	await browser.close();
	await server2.close();
	server.close();
	await rm(out, { recursive: true, force: true });
}
report(rows);
