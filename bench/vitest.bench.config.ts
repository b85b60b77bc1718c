/**
 * The in-process parts of `npm run bench` (bench/run.mjs runs this config; `npm test` never
 * does): `*.bench.node.ts` in Node, `*.bench.browser.ts` in Debian's Chromium against real
 * IndexedDB, as the app's own browser tests do. Each file prints its rows as one line
 * `BENCH_RESULT [...]` (bench/lib/report.ts), which run.mjs collects.
 */
import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.js';

// The benchmarks measure the code users run: Svelte's production runtime and compiled
// components (no ownership tracking or stack capture; Vite's `isProduction`), and Dexie without
// its localhost debug mode (storage/db.ts). Until 2026-12-07 they ran the development build.
process.env.NODE_ENV = 'production';

export default defineConfig({
	root: fileURLToPath(new URL('..', import.meta.url)),
	plugins: [sveltekit()],
	test: {
		// One file at a time: two benchmarks on a 2-core machine would measure each other.
		fileParallelism: false,
		testTimeout: 30 * 60_000,
		hookTimeout: 30 * 60_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'bench-node',
					environment: 'node',
					include: ['bench/**/*.bench.node.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'bench-sync-browser',
					include: ['bench/**/*.bench-sync.browser.ts'],
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({
							launchOptions: { executablePath: chromiumPath(), args: chromiumArgs }
						}),
						instances: [{ browser: 'chromium' }],
						screenshotFailures: false
					}
				}
			},
			{
				extends: true,
				test: {
					name: 'bench-browser',
					include: ['bench/**/*.bench.browser.ts'],
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({
							launchOptions: { executablePath: chromiumPath(), args: chromiumArgs }
						}),
						instances: [{ browser: 'chromium' }],
						screenshotFailures: false
					}
				}
			}
		]
	}
});
