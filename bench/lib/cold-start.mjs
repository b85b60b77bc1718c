// Cold start offline: the app was opened once (service worker installed, precache complete,
// built-in decks in IndexedDB), the browser is closed, then started again with no network and
// the page's CPU slowed 4× (CDP Emulation.setCPUThrottlingRate). Measured: from navigation
// start to the frame in which the first card's "Show answer" button is painted — a
// MutationObserver installed before any page script sees the button appear with a size, and the
// time is taken in the requestAnimationFrame callback of the frame that paints it
// (performance.now(), whose origin is the navigation start). Each run restarts the browser on
// the same profile, so the renderer, the service worker and IndexedDB all start cold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persistentContext, waitForServiceWorker } from './browser.mjs';

function firstCardProbe() {
	// IndexedDB milestones, for where the time goes: the open, and every request made before the
	// first card is painted (count, first issued, last answered).
	const idb = (window.__idb = { openStart: NaN, openEnd: NaN, requests: 0, first: NaN, last: NaN });
	const open = IDBFactory.prototype.open;
	IDBFactory.prototype.open = function (...args) {
		if (Number.isNaN(idb.openStart)) idb.openStart = performance.now();
		const req = open.apply(this, args);
		req.addEventListener('success', () => {
			if (Number.isNaN(idb.openEnd)) idb.openEnd = performance.now();
		});
		return req;
	};
	for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
		for (const name of [
			'get',
			'getAll',
			'getAllKeys',
			'getKey',
			'count',
			'openCursor',
			'openKeyCursor'
		]) {
			const f = proto[name];
			if (typeof f !== 'function') continue;
			proto[name] = function (...args) {
				const req = f.apply(this, args);
				if (window.__firstCardAt === undefined) {
					idb.requests++;
					if (Number.isNaN(idb.first)) idb.first = performance.now();
					req.addEventListener('success', () => {
						if (window.__firstCardAt === undefined) idb.last = performance.now();
					});
				}
				return req;
			};
		}
	}
	window.__firstCard = new Promise((resolve) => {
		const check = () => {
			const button = [...document.querySelectorAll('button')].find(
				(b) => b.textContent?.trim() === 'Show answer'
			);
			if (!button || button.getBoundingClientRect().height === 0) return;
			observer.disconnect();
			requestAnimationFrame(() => {
				window.__firstCardAt = performance.now();
				resolve(window.__firstCardAt);
			});
		};
		const observer = new MutationObserver(check);
		observer.observe(document, { childList: true, subtree: true });
	});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * @param {{ baseURL: string, deck: string, runs?: number, cpuSlowdown?: number }} options
 */
export async function measureColdStart({ baseURL, deck, runs = 5, cpuSlowdown = 4 }) {
	const dir = mkdtempSync(join(tmpdir(), 'recall-bench-profile-'));
	const route = `/study/${deck}`;
	try {
		// The first visit, online: install the worker, fill the store, open the study route once.
		let context = await persistentContext(dir, baseURL);
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

		const times = [];
		const warm = [];
		const phases = [];
		for (let i = 0; i < runs; i++) {
			context = await persistentContext(dir, baseURL);
			await context.setOffline(true);
			page = context.pages()[0] ?? (await context.newPage());
			const cdp = await context.newCDPSession(page);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
			await page.addInitScript(firstCardProbe);
			await page.goto(route, { waitUntil: 'commit' });
			const t = await page.evaluate(() => window.__firstCard);
			// Proof that nothing came from the network: a URL outside the precache must fail.
			const offline = await page.evaluate(() =>
				fetch(`/bench-offline-probe-${Date.now()}`).then(
					() => false,
					() => true
				)
			);
			if (!offline) throw new Error('the page was online during the cold start');
			// Milestones, for where the time goes: the page from the service worker, the last
			// script, the built-in deck check, DOMContentLoaded.
			phases.push(
				await page.evaluate(() => {
					const nav = performance.getEntriesByType('navigation')[0];
					const res = performance.getEntriesByType('resource');
					const end = (f) => Math.max(0, ...res.filter(f).map((r) => r.responseEnd));
					const idb = window.__idb;
					return {
						idbOpen: idb.openEnd - idb.openStart,
						idbOpenEnd: idb.openEnd,
						idbRequests: idb.requests,
						idbLast: idb.last,
						workerStart: nav?.workerStart ?? NaN,
						document: nav?.responseEnd ?? NaN,
						dcl: nav?.domContentLoadedEventEnd ?? NaN,
						scripts: end((r) => r.initiatorType === 'script' || r.name.endsWith('.js')),
						decks: end((r) => r.name.includes('/decks/'))
					};
				})
			);
			times.push(t);
			// Warm open: the same browser navigates to the route again (renderer, service worker,
			// code cache and IndexedDB warm), as a second navigation or an app brought back.
			await page.goto(route, { waitUntil: 'commit' });
			warm.push(await page.evaluate(() => window.__firstCard));
			await context.close();
		}
		const mid = (key) => Math.round(median(phases.map((p) => p[key])));
		const spread = (xs) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms`;
		const section = `Cold start offline (${cpuSlowdown}× CPU slowdown, service worker warm)`;
		return {
			rows: [
				{
					section,
					name: `navigation → first card painted (${route})`,
					value: Math.round(median(times)),
					unit: 'ms',
					budget: { max: 500 },
					note: `median of ${runs} browser restarts (spread ${spread(times)}): ${times.map(Math.round).join(', ')} ms; medians: page from the service worker ${mid('document')} ms, DOMContentLoaded ${mid('dcl')} ms, last script ${mid('scripts')} ms, IndexedDB open ${mid('idbOpen')} ms (done at ${mid('idbOpenEnd')} ms), ${mid('idbRequests')} IndexedDB reads before the first card (last answered at ${mid('idbLast')} ms), built-in deck index ${mid('decks')} ms`
				},
				{
					section,
					name: `warm open: second navigation → first card painted (${route})`,
					value: Math.round(median(warm)),
					unit: 'ms',
					budget: { max: 150 },
					note: `median of ${runs}, each right after a cold start in the same browser (spread ${spread(warm)}): ${warm.map(Math.round).join(', ')} ms`
				}
			],
			details: { times, warm, phases }
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
