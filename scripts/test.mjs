#!/usr/bin/env node
// `npm test`: everything CI checks, in order — types, formatting, lint, build, then unit (Node),
// component/storage (real Chromium) and end-to-end (production build) tests in one vitest run.
// Ends with one line "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { chromiumPath } from './chromium.js';

const results = [];

function run(name, cmd, args, env = {}) {
	console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
	const started = Date.now();
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	const ok = r.status === 0;
	console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	results.push({ name, ok });
	return ok;
}

function ensureChromium() {
	const path = chromiumPath();
	if (existsSync(path)) return path;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const hasApt = existsSync('/usr/bin/apt-get') && existsSync('/etc/debian_version');
	if (isRoot && hasApt) {
		console.log("Chromium is missing: installing Debian's chromium package (apt-get).");
		const env = { DEBIAN_FRONTEND: 'noninteractive' };
		if (
			run('apt-get update', 'apt-get', ['update'], env) &&
			run(
				'install chromium',
				'apt-get',
				['install', '-y', '--no-install-recommends', 'chromium'],
				env
			)
		) {
			results.length = 0;
			if (existsSync(chromiumPath())) return chromiumPath();
		}
	}
	console.error(
		`\nChromium was not found at ${path} and could not be installed here.\n` +
			'Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH to a Chromium/Chrome binary, then run npm test again.'
	);
	console.log('0 passed, 1 failed');
	process.exit(1);
}

const chrome = ensureChromium();
const env = { CHROME_PATH: chrome };
const bin = (name) => `node_modules/.bin/${name}`;

run('svelte-kit sync', bin('svelte-kit'), ['sync']);
run('types (svelte-check)', bin('svelte-check'), [
	'--tsconfig',
	'./tsconfig.json',
	'--fail-on-warnings'
]);
run('types (sync server)', bin('tsc'), ['-p', 'server/tsconfig.json']);
run('formatting (prettier)', bin('prettier'), ['--check', '.']);
run('lint (eslint)', bin('eslint'), ['.']);
const built = run('production build', bin('vite'), ['build']);

mkdirSync('test-results', { recursive: true });
for (const f of ['vitest.json', 'vitest-server.json']) rmSync(`test-results/${f}`, { force: true });
const projects = built ? ['node', 'browser', 'e2e'] : ['node', 'browser'];
run(
	`tests (${projects.join(', ')})`,
	bin('vitest'),
	[
		'run',
		...projects.flatMap((p) => ['--project', p]),
		'--reporter=default',
		'--reporter=json',
		'--outputFile.json=test-results/vitest.json'
	],
	env
);

// The sync server's tests (server/vitest.config.ts): PGlite, and PostgreSQL 15 when
// TEST_DATABASE_URL reaches one (.ci/run starts it; in CI a missing PostgreSQL fails them).
run(
	'tests (sync server)',
	bin('vitest'),
	[
		'run',
		'--config',
		'server/vitest.config.ts',
		'--reporter=default',
		'--reporter=json',
		'--outputFile.json=test-results/vitest-server.json'
	],
	env
);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ['test-results/vitest.json', 'test-results/vitest-server.json']) {
	if (!existsSync(file)) continue;
	const report = JSON.parse(readFileSync(file, 'utf8'));
	passed += report.numPassedTests ?? 0;
	failed += report.numFailedTests ?? 0;
	skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
const failedSteps = results.filter((r) => !r.ok);
for (const step of failedSteps) console.log(`✘ failed step: ${step.name}`);
if (skipped) console.log(`(${skipped} tests skipped — see the reasons printed above)`);
// Steps other than the test run count as one check each.
const stepPassed = results.filter((r) => r.ok && !r.name.startsWith('tests')).length;
const stepFailed = failedSteps.filter((r) => !r.name.startsWith('tests')).length;
const testsStepFailed = failedSteps.some((r) => r.name.startsWith('tests')) && failed === 0 ? 1 : 0;
console.log(`\n${passed + stepPassed} passed, ${failed + stepFailed + testsStepFailed} failed`);
process.exit(failedSteps.length ? 1 : 0);
