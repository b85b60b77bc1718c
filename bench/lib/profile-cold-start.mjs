#!/usr/bin/env node
// Where a cold start's time goes: the same cold start as cold-start.mjs (persistent profile,
// browser restarted, offline, 4× CPU), with V8's sampling profiler running from before the
// navigation until the first card is painted. Prints self time per script (chunk, with the
// packages and app folders its source map names) and the IndexedDB milestones.
//
//   node bench/lib/profile-cold-start.mjs [buildDir=bench/.build] [runs=3]
//
// Not part of `npm run bench` (the profiler slows what it measures); docs/PERFORMANCE.md quotes it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persistentContext, waitForServiceWorker } from './browser.mjs';
import { servePlain } from './serve.mjs';
import { packageOf } from './sourcemap.mjs';

const buildDir = process.argv[2] ?? 'bench/.build';
const runs = Number(process.argv[3] ?? 3);
const route = '/study/trotsky-red-army';

function probe() {
	window.__firstCard = new Promise((resolve) => {
		const check = () => {
			const b = [...document.querySelectorAll('button')].find(
				(x) => x.textContent?.trim() === 'Show answer'
			);
			if (!b || b.getBoundingClientRect().height === 0) return;
			observer.disconnect();
			requestAnimationFrame(() => resolve(performance.now()));
		};
		const observer = new MutationObserver(check);
		observer.observe(document, { childList: true, subtree: true });
	});
}

/** What a chunk holds, from its source map: "dexie, app:src/lib/storage…" */
function contents(url) {
	const path = join(buildDir, new URL(url).pathname);
	if (!existsSync(`${path}.map`)) return '';
	const map = JSON.parse(readFileSync(`${path}.map`, 'utf8'));
	const names = new Set(
		map.sources.map((s) => {
			const p = packageOf(s);
			return p.startsWith('app:') ? p.split('/').slice(0, 4).join('/') : p;
		})
	);
	return [...names].slice(0, 6).join(', ');
}

const server = await servePlain(buildDir);
const dir = mkdtempSync(join(tmpdir(), 'recall-profile-'));
try {
	let context = await persistentContext(dir, server.url);
	let page = context.pages()[0] ?? (await context.newPage());
	await page.goto('/');
	await waitForServiceWorker(page);
	await page
		.getByRole('link', { name: /^Study / })
		.first()
		.waitFor();
	await page.goto(route);
	await page.getByRole('button', { name: 'Show answer' }).waitFor();
	await context.close();

	const byScript = new Map();
	let total = 0;
	const firsts = [];
	for (let i = 0; i < runs; i++) {
		context = await persistentContext(dir, server.url);
		await context.setOffline(true);
		page = context.pages()[0] ?? (await context.newPage());
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
		await cdp.send('Profiler.enable');
		await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
		await page.addInitScript(probe);
		await cdp.send('Profiler.start');
		await page.goto(route, { waitUntil: 'commit' });
		firsts.push(await page.evaluate(() => window.__firstCard));
		const { profile } = await cdp.send('Profiler.stop');
		const dt = new Map();
		for (let k = 0; k < profile.samples.length; k++) {
			const id = profile.samples[k];
			dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
		}
		for (const node of profile.nodes) {
			const ms = dt.get(node.id) ?? 0;
			if (!ms) continue;
			const { url, functionName } = node.callFrame;
			const key = url
				? new URL(url).pathname
				: functionName.startsWith('(')
					? functionName
					: '(native/other)';
			byScript.set(key, (byScript.get(key) ?? 0) + ms / runs);
			total += ms / runs;
		}
		await context.close();
	}
	const rows = [...byScript].sort((a, b) => b[1] - a[1]);
	console.log(
		`first card painted (profiler on): ${firsts.map(Math.round).join(', ')} ms; sampled ${Math.round(total)} ms per run (mean of ${runs})`
	);
	for (const [key, ms] of rows.slice(0, 25)) {
		const what = key.startsWith('/') ? contents(`${server.url}${key}`) : '';
		console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}${what ? `  [${what}]` : ''}`);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
	server.close();
}
