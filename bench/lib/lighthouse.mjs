// Lighthouse (mobile preset: Moto G Power emulation, simulated slow-4G and 4× CPU throttling)
// with Debian's Chromium (CHROME_PATH), median of 3 runs. The `lighthouse` package is heavy
// (~180 MB with its dependencies), so it is not a project dependency: the first `npm run bench`
// installs it with npm into bench/.lighthouse (ignored by git), outside the project's
// node_modules and package files.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';

const PREFIX = 'bench/.lighthouse';
const CLI = join(PREFIX, 'node_modules/lighthouse/cli/index.js');
const VERSION = '13';

export function ensureLighthouse() {
	if (existsSync(CLI)) return;
	console.log(`Installing lighthouse@${VERSION} into ${PREFIX} (once; not a project dependency)…`);
	const r = spawnSync(
		'npm',
		[
			'install',
			'--prefix',
			PREFIX,
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`lighthouse@${VERSION}`
		],
		{ stdio: 'inherit' }
	);
	if (r.status !== 0 || !existsSync(CLI)) throw new Error('npm could not install lighthouse');
}

/** Runs a child process without blocking this one (the bench server may live in it). */
function run(cmd, args, options) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		child.on('close', (status) => resolve({ status, stderr }));
	});
}

async function runOnce(url, out) {
	const flags = [...chromiumArgs, '--headless=new'].join(' ');
	const r = await run(
		process.execPath,
		[
			CLI,
			url,
			'--output=json',
			`--output-path=${out}`,
			'--quiet',
			'--only-categories=performance,accessibility,best-practices',
			`--chrome-flags=${flags}`
		],
		{ env: { ...process.env, CHROME_PATH: chromiumPath() } }
	);
	if (r.status !== 0 || !existsSync(out)) {
		throw new Error(`lighthouse failed: ${r.stderr.slice(-500)}`);
	}
	const report = JSON.parse(readFileSync(out, 'utf8'));
	rmSync(out);
	const audit = (id) => report.audits[id]?.numericValue ?? NaN;
	const failing = Object.entries(report.audits)
		.filter(
			([, a]) =>
				a.score !== null &&
				a.score < 0.9 &&
				!['informative', 'notApplicable', 'manual'].includes(a.scoreDisplayMode)
		)
		.map(([id, a]) => `${id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
	const lcpNode = report.audits['lcp-breakdown-insight']?.details?.items?.find(
		(i) => i.type === 'node'
	);
	return {
		lcpElement: lcpNode?.selector ?? 'unknown',
		performance: report.categories.performance?.score ?? NaN,
		accessibility: report.categories.accessibility?.score ?? NaN,
		bestPractices: report.categories['best-practices']?.score ?? NaN,
		lcp: audit('largest-contentful-paint'),
		fcp: audit('first-contentful-paint'),
		tbt: audit('total-blocking-time'),
		cls: audit('cumulative-layout-shift'),
		benchmarkIndex: report.environment?.benchmarkIndex ?? NaN,
		version: report.lighthouseVersion,
		failing
	};
}

const median = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

/**
 * @param {{ url: string, runs?: number, label: string, tmpDir: string }} options
 */
export async function measureLighthouse({ url, runs = 3, label, tmpDir }) {
	ensureLighthouse();
	const results = [];
	for (let i = 0; i < runs; i++)
		results.push(await runOnce(url, join(tmpDir, `lighthouse-${i}.tmp`)));
	const m = (key) => median(results.map((r) => r[key]));
	const section = `Lighthouse, mobile, ${label} (median of ${runs})`;
	const ms = (x) => Math.round(x);
	const failing = [...new Set(results.flatMap((r) => r.failing))];
	const rows = [
		{
			section,
			name: 'performance',
			value: m('performance'),
			unit: 'score',
			budget: { min: 0.98 },
			note: `runs: ${results.map((r) => r.performance).join(', ')}; Lighthouse ${results[0].version}, benchmarkIndex ${results.map((r) => ms(r.benchmarkIndex)).join('/')}`
		},
		{
			section,
			name: 'accessibility',
			value: m('accessibility'),
			unit: 'score',
			budget: { min: 1 }
		},
		{
			section,
			name: 'best practices',
			value: m('bestPractices'),
			unit: 'score',
			budget: { min: 1 }
		},
		{
			section,
			name: 'largest contentful paint',
			value: ms(m('lcp')),
			unit: 'ms',
			budget: { max: 1500 },
			note: `first contentful paint ${ms(m('fcp'))} ms; runs ${results.map((r) => ms(r.lcp)).join(', ')} ms; element: ${[...new Set(results.map((r) => r.lcpElement))].join(' | ')}`
		},
		{ section, name: 'total blocking time', value: ms(m('tbt')), unit: 'ms', budget: { max: 200 } },
		{
			section,
			name: 'cumulative layout shift',
			value: Math.round(m('cls') * 1000) / 1000,
			unit: '',
			budget: { max: 0.1 },
			note: failing.length ? `audits below 0.9 in some run: ${failing.join('; ')}` : undefined
		}
	];
	return { rows, details: results };
}
