// What the browser downloads on a first visit: every script and stylesheet the page requests on
// its first load of / and of /study/<deck> (a fresh browser context each, service worker
// allowed as for a real visitor), measured as gzip -9 of the built file, and attributed to
// packages with the chunks' source maps. Plus the service worker's precache total.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { charsBySource, groupOf, packageOf } from './sourcemap.mjs';
import { launch, phoneContext } from './browser.mjs';

const KB = 1000;
const gzip = (buf) => gzipSync(buf, { level: 9 }).length;

/** Requests of one first load: [{ url, path, type }]. */
async function firstLoad(browser, baseURL, route, ready) {
	const context = await phoneContext(browser, baseURL);
	const page = await context.newPage();
	const seen = new Map();
	page.on('request', (req) => {
		const type = req.resourceType();
		if (type !== 'script' && type !== 'stylesheet') return;
		const url = new URL(req.url());
		if (url.origin !== new URL(baseURL).origin) return;
		seen.set(url.pathname, { path: url.pathname, type });
	});
	await page.goto(route, { waitUntil: 'load' });
	await ready(page);
	// Whatever the page fetches once it is up (lazy chunks, the service worker registration).
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(1500);
	await context.close();
	return [...seen.values()];
}

/** Size, gzip size and per-package characters of one built file. */
function fileInfo(buildDir, path, cache) {
	if (cache.has(path)) return cache.get(path);
	const file = join(buildDir, path);
	const buf = readFileSync(file);
	const info = { path, raw: buf.length, gzip: gzip(buf), packages: new Map() };
	if (path.endsWith('.js') && existsSync(`${file}.map`)) {
		const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
		const chars = charsBySource(buf.toString('utf8'), map);
		const total = [...chars.values()].reduce((a, b) => a + b, 0) || 1;
		for (const [index, n] of chars) {
			const pkg = index < 0 ? '(glue)' : packageOf(map.sources[index] ?? '');
			info.packages.set(pkg, (info.packages.get(pkg) ?? 0) + n / total);
		}
	}
	cache.set(path, info);
	return info;
}

/** gzip bytes per group (and per package inside "other"), shares of each chunk's gzip size. */
function breakdown(files) {
	const groups = new Map();
	const packages = new Map();
	for (const f of files) {
		if (f.packages.size === 0) {
			groups.set('bundler runtime', (groups.get('bundler runtime') ?? 0) + f.gzip);
			packages.set('(no map)', (packages.get('(no map)') ?? 0) + f.gzip);
			continue;
		}
		for (const [pkg, share] of f.packages) {
			const g = groupOf(pkg);
			groups.set(g, (groups.get(g) ?? 0) + share * f.gzip);
			const key = pkg.startsWith('app:') ? pkg.split('/').slice(0, 3).join('/') : pkg;
			packages.set(key, (packages.get(key) ?? 0) + share * f.gzip);
		}
	}
	return { groups, packages };
}

/** The precache manifest in sw.js: [{ url }]. */
function precacheEntries(buildDir) {
	const sw = readFileSync(join(buildDir, 'sw.js'), 'utf8');
	return [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
}

function resolvePrecached(buildDir, url) {
	const clean = url.replace(/^\//, '');
	for (const candidate of [clean, `${clean}.html`, join(clean, 'index.html')]) {
		const p = join(buildDir, candidate || 'index.html');
		if (existsSync(p)) return p;
	}
	return null;
}

const kb = (bytes) => Math.round((bytes / KB) * 10) / 10;

/**
 * @param {{ baseURL: string, buildDir: string, deck: string }} options
 * @returns {Promise<{ rows: object[], details: object }>}
 */
export async function measureBundles({ baseURL, buildDir, deck }) {
	const browser = await launch();
	const section = 'First load (gzip -9 of what the browser requested)';
	const cache = new Map();
	try {
		const home = await firstLoad(browser, baseURL, '/', async (page) => {
			await page
				.getByRole('link', { name: /^Study / })
				.first()
				.waitFor();
		});
		const study = await firstLoad(browser, baseURL, `/study/${deck}`, async (page) => {
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 30_000 });
		});
		const info = (reqs, type) =>
			reqs.filter((r) => r.type === type).map((r) => fileInfo(buildDir, r.path, cache));
		const sum = (files, key = 'gzip') => files.reduce((a, f) => a + f[key], 0);
		const homeJs = info(home, 'script');
		const studyJs = info(study, 'script');
		const both = [...new Map([...homeJs, ...studyJs].map((f) => [f.path, f])).values()];
		const homeCss = info(home, 'stylesheet');
		const studyCss = info(study, 'stylesheet');
		const { groups, packages } = breakdown(both);

		const rows = [
			{
				section,
				name: 'JS, home + study together',
				value: kb(sum(both)),
				unit: 'kB',
				budget: { max: 80 },
				note: `${both.length} files, ${kb(sum(both, 'raw'))} kB minified; each file counted once`
			},
			{
				section,
				name: 'JS, first load of /',
				value: kb(sum(homeJs)),
				unit: 'kB',
				note: `${homeJs.length} files`
			},
			{
				section,
				name: `JS, first load of /study/${deck}`,
				value: kb(sum(studyJs)),
				unit: 'kB',
				note: `${studyJs.length} files`
			},
			{
				section,
				name: 'CSS, first load of /',
				value: kb(sum(homeCss)),
				unit: 'kB',
				note: `of the study page: ${kb(sum(studyCss))} kB`
			}
		];
		const precached = precacheEntries(buildDir).map((url) => {
			const path = resolvePrecached(buildDir, url);
			const buf = path ? readFileSync(path) : Buffer.alloc(0);
			return { url, raw: buf.length, gzip: buf.length ? gzip(buf) : 0, found: !!path };
		});
		const missing = precached.filter((p) => !p.found).map((p) => p.url);
		rows.push({
			section,
			name: 'precache total (service worker install)',
			value: kb(sum(precached, 'raw')),
			unit: 'kB',
			note: `${precached.length} entries, ${kb(sum(precached))} kB gzip -9; largest: ${[
				...precached
			]
				.sort((a, b) => b.raw - a.raw)
				.slice(0, 3)
				.map((p) => `${p.url.split('/').pop()} ${kb(p.raw)} kB`)
				.join(', ')}${missing.length ? `; not found: ${missing.join(', ')}` : ''}`
		});

		const floor = { 'Svelte + SvelteKit': 25, Dexie: 30, 'ts-fsrs': 8 };
		const ordered = [...groups].sort((a, b) => b[1] - a[1]);
		for (const [group, bytes] of ordered) {
			const inside = [...packages]
				.filter(([p]) => groupOf(p.startsWith('app:') ? 'app:' : p) === group)
				.sort((a, b) => b[1] - a[1])
				.map(([p, b]) => `${p.replace(/^app:/, '')} ${kb(b)}`);
			rows.push({
				section: 'JS by package, home + study (source maps; gzip shared pro rata)',
				name: group,
				value: kb(bytes),
				unit: 'kB',
				note: [
					floor[group] ? `floor ≈ ${floor[group]} kB` : '',
					inside.length > 1 ? inside.join(', ') : ''
				]
					.filter(Boolean)
					.join('; ')
			});
		}

		const list = (files) => files.map((f) => ({ path: f.path, raw: f.raw, gzip: f.gzip }));
		return {
			rows,
			details: {
				home: { js: list(homeJs), css: list(homeCss) },
				study: { js: list(studyJs), css: list(studyCss) },
				packages: Object.fromEntries(
					[...packages].sort((a, b) => b[1] - a[1]).map(([p, b]) => [p, Math.round(b)])
				),
				precache: precached.map(({ url, raw, gzip: g }) => ({ url, raw, gzip: g }))
			}
		};
	} finally {
		await browser.close();
	}
}
