#!/usr/bin/env node
// `npm run bench`: builds the app into bench/.build (never build/), serves it, runs every
// benchmark one after the other, and prints one table of figures beside their budgets, also
// written to bench/results/latest.json. Not part of `npm test`. docs/PERFORMANCE.md explains
// each row.
//
//   npm run bench                        everything (about 15–25 minutes on 2 cores)
//   npm run bench -- --only=bundle,lighthouse
//                                        some parts: bundle, coldstart, lighthouse, core,
//                                        browser (review loop, import…), scripts, sync
//   npm run bench -- --only=sync --sync-reviews=100000
//                                        the sync part with a smaller pull (default 1,000,000
//                                        reviews of 100,000 cards)
//   npm run bench -- --no-build          reuse bench/.build
//   npm run bench -- --strict            exit with 1 when a budget is missed
//
// A partial run writes bench/results/partial.json.tmp instead of latest.json.
import { spawn, spawnSync } from 'node:child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	writeFileSync
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../scripts/chromium.js';
import { measureBundles } from './lib/bundle.mjs';
import { measureColdStart } from './lib/cold-start.mjs';
import { measureLighthouse } from './lib/lighthouse.mjs';
import { serveCompressed, servePlain } from './lib/serve.mjs';
import { judge, render } from './lib/table.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const BUILD_DIR = 'bench/.build';
const RESULTS = 'bench/results';
const DECK = 'trotsky-red-army';
const PARTS = ['bundle', 'coldstart', 'lighthouse', 'core', 'browser', 'scripts', 'sync'];

const args = process.argv.slice(2);
const only = args
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length)
	.split(',');
const parts = only ?? PARTS;
const unknown = parts.filter((p) => !PARTS.includes(p));
if (unknown.length) {
	console.error(`Unknown part(s) ${unknown.join(', ')}; parts are ${PARTS.join(', ')}.`);
	process.exit(2);
}
const build = !args.includes('--no-build');
const syncReviews = args
	.find((a) => a.startsWith('--sync-reviews='))
	?.slice('--sync-reviews='.length);
const strict = args.includes('--strict');
const full = !only && build;

mkdirSync(RESULTS, { recursive: true });
const rows = [];
const details = {};
const loads = {};
const started = new Date();

function log(message) {
	console.log(`\n▶ ${message}  (load average ${os.loadavg()[0].toFixed(1)})`);
}

/** A part that failed still leaves a row saying so, and the run goes on. */
async function part(name, section, fn) {
	if (!parts.includes(name)) return;
	loads[name] = os.loadavg()[0];
	const t0 = Date.now();
	try {
		await fn();
	} catch (e) {
		console.error(e);
		rows.push({
			section,
			name: `${name} failed`,
			value: null,
			unit: '',
			note: String(e?.message ?? e).slice(0, 300)
		});
	}
	console.log(`  ${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function viteBuild() {
	const run = () =>
		spawnSync('node_modules/.bin/vite', ['build', '--sourcemap', 'hidden'], {
			env: { ...process.env, BUILD_DIR },
			stdio: ['ignore', 'pipe', 'pipe'],
			encoding: 'utf8'
		});
	let r = run();
	// .svelte-kit is shared: a build that ran at the same moment can break this one. Once more.
	if (r.status !== 0) {
		console.log('  the build failed; trying once more');
		r = run();
	}
	if (r.status !== 0) {
		console.error(r.stdout.slice(-3000), r.stderr.slice(-3000));
		throw new Error('vite build failed');
	}
}

/** BENCH_RESULT lines of a child process's output (ANSI colours stripped). */
function resultRows(text) {
	const found = [];
	// eslint-disable-next-line no-control-regex
	for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
		const at = line.indexOf('BENCH_RESULT ');
		if (at >= 0) found.push(...JSON.parse(line.slice(at + 'BENCH_RESULT '.length)));
	}
	return found;
}

/** Runs a command, its output going to a log file; resolves with status and output. */
function runLogged(cmd, cmdArgs, logFile, env = {}) {
	return new Promise((resolve) => {
		const out = createWriteStream(logFile);
		const child = spawn(cmd, cmdArgs, {
			env: { ...process.env, CHROME_PATH: chromiumPath(), ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let text = '';
		for (const stream of [child.stdout, child.stderr]) {
			stream.on('data', (d) => {
				text += d;
				out.write(d);
			});
		}
		child.on('close', (status) => {
			out.end();
			resolve({ status, text });
		});
	});
}

async function vitestProject(project, env = {}) {
	const logFile = join(RESULTS, `${project}.log.tmp`);
	const { status, text } = await runLogged(
		'node_modules/.bin/vitest',
		['run', '--config', 'bench/vitest.bench.config.ts', '--project', project],
		logFile,
		env
	);
	const found = resultRows(text);
	rows.push(...found);
	if (status !== 0) {
		rows.push({
			section: project,
			name: 'a benchmark file failed',
			value: null,
			unit: '',
			note: `vitest exited with ${status}; see ${logFile}`
		});
	}
}

function chromiumVersion() {
	const r = spawnSync(chromiumPath(), ['--version'], { encoding: 'utf8' });
	return r.stdout?.trim() || 'unknown';
}

function commit() {
	try {
		const head = readFileSync('.git/HEAD', 'utf8').trim();
		if (!head.startsWith('ref: ')) return head;
		const ref = head.slice(5);
		if (existsSync(join('.git', ref))) return readFileSync(join('.git', ref), 'utf8').trim();
		const packed = readFileSync('.git/packed-refs', 'utf8');
		return (
			packed
				.split('\n')
				.find((l) => l.endsWith(` ${ref}`))
				?.split(' ')[0] ?? null
		);
	} catch {
		return null;
	}
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────

if (build) {
	log(`building into ${BUILD_DIR}`);
	viteBuild();
} else if (!existsSync(join(BUILD_DIR, '200.html'))) {
	console.error(`No build in ${BUILD_DIR}: run without --no-build.`);
	process.exit(1);
}

const plain = await servePlain(BUILD_DIR);
const compressed = await serveCompressed(BUILD_DIR);
try {
	await part('bundle', 'First load', async () => {
		log('first-load JS and CSS, precache');
		const r = await measureBundles({ baseURL: plain.url, buildDir: BUILD_DIR, deck: DECK });
		rows.push(...r.rows);
		details.bundle = r.details;
	});

	await part('coldstart', 'Cold start offline', async () => {
		log('cold start offline, 4× CPU slowdown');
		const r = await measureColdStart({ baseURL: plain.url, deck: DECK });
		rows.push(...r.rows);
		details.coldStart = r.details;
	});

	await part('lighthouse', 'Lighthouse', async () => {
		log('Lighthouse, 3 runs, served with gzip/brotli (as npm start serves it)');
		const a = await measureLighthouse({
			url: `${compressed.url}/`,
			label: 'served compressed',
			tmpDir: RESULTS
		});
		rows.push(...a.rows);
		log('Lighthouse, 1 run, served uncompressed (scripts/serve.mjs --no-compress)');
		const b = await measureLighthouse({
			url: `${plain.url}/`,
			runs: 1,
			label: 'a host without compression',
			tmpDir: RESULTS
		});
		rows.push(
			...b.rows.filter((r) => ['performance', 'largest contentful paint'].includes(r.name))
		);
		details.lighthouse = { compressed: a.details, plain: b.details };
	});

	await part('core', 'Core throughput (Node)', async () => {
		log('core throughput in Node (vitest)');
		await vitestProject('bench-node');
	});

	await part('browser', 'Review loop', async () => {
		log('browser benchmarks: review loop at scale and others (vitest browser mode)');
		await vitestProject('bench-browser');
	});

	// Benchmarks in plain JavaScript from the import and optimizer work: bench/import*.mjs,
	// bench/optimizer*.mjs, each printing a BENCH_RESULT line.
	await part('scripts', 'Scripts', async () => {
		const scripts = readdirSync('bench').filter((f) => /^(import|optimizer).*\.mjs$/.test(f));
		for (const script of scripts) {
			log(`bench/${script}`);
			const { status, text } = await runLogged(
				process.execPath,
				[join('bench', script)],
				join(RESULTS, `${script}.log.tmp`),
				{ BENCH_BASE_URL: plain.url, BENCH_BUILD_DIR: BUILD_DIR }
			);
			rows.push(...resultRows(text));
			if (status !== 0) {
				rows.push({
					section: script,
					name: `bench/${script} failed`,
					value: null,
					unit: '',
					note: `exit ${status}; see ${RESULTS}/${script}.log.tmp`
				});
			}
		}
	});

	// Sync (issue 15): the server's push throughput with 100 users at once, PGlite and PostgreSQL
	// side by side (bench/sync-server.mjs), then a new device's pull into IndexedDB and the
	// outbox's cost per grade (bench/sync-pull.bench-sync.browser.ts).
	await part('sync', 'Sync', async () => {
		log('sync server: 100 users pushing at once, PGlite and PostgreSQL');
		const { status, text } = await runLogged(
			process.execPath,
			['bench/sync-server.mjs'],
			join(RESULTS, 'sync-server.log.tmp')
		);
		rows.push(...resultRows(text));
		if (status !== 0) {
			rows.push({
				section: 'Sync server',
				name: 'bench/sync-server.mjs failed',
				value: null,
				unit: '',
				note: `exit ${status}; see ${RESULTS}/sync-server.log.tmp`
			});
		}
		log(`sync client: a new device's pull (${syncReviews ?? '1000000'} reviews), outbox cost`);
		await vitestProject(
			'bench-sync-browser',
			syncReviews ? { VITE_BENCH_SYNC_REVIEWS: syncReviews } : {}
		);
	});
} finally {
	plain.close();
	compressed.close();
}

if (parts.includes('browser') || parts.includes('scripts')) {
	for (const [section, what] of [
		['Import', 'import throughput'],
		['Optimizer', 'optimizer time']
	]) {
		if (!rows.some((r) => r.section.startsWith(section))) {
			rows.push({
				section,
				name: what,
				value: null,
				unit: '',
				note: 'not measured yet (script missing)'
			});
		}
	}
}

// One block per section, in the order sections first appear (a section may get rows from two
// benchmarks, e.g. the optimizer's Node and Chromium figures).
const order = [...new Set(rows.map((r) => r.section))];
const judged = rows
	.map((r, i) => ({ r, i }))
	.sort((a, b) => order.indexOf(a.r.section) - order.indexOf(b.r.section) || a.i - b.i)
	.map(({ r }) => judge(r));
console.log(`\n${render(judged)}\n`);
const misses = judged.filter((r) => r.status === 'miss');
console.log(
	`${judged.filter((r) => r.status === 'pass').length} within budget, ${misses.length} over budget, ${judged.filter((r) => r.status === 'not measured').length} not measured.`
);

const result = {
	date: started.toISOString(),
	durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
	commit: commit(),
	machine: {
		cpus: os.cpus().length,
		cpu: os.cpus()[0]?.model ?? 'unknown',
		memoryGB: Math.round(os.totalmem() / 1e9),
		node: process.version,
		chromium: chromiumVersion(),
		loadAverageAtStart: loads,
		loadAverageAtEnd: os.loadavg()[0]
	},
	parts,
	rows: judged,
	details
};
const out = full ? join(RESULTS, 'latest.json') : join(RESULTS, 'partial.json.tmp');
writeFileSync(out, `${JSON.stringify(result, null, '\t')}\n`);
console.log(`Written to ${out}.`);
process.exit(strict && misses.length ? 1 : 0);
