import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumPath, chromiumArgs } from './scripts/chromium.js';

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			registerType: 'prompt',
			// SvelteKit builds with relative asset paths; the worker must still be /sw.js with scope /,
			// or a page opened at /study/<deck> would register /study/sw.js.
			base: '/',
			scope: '/',
			injectRegister: false,
			strategies: 'generateSW',
			manifest: {
				name: 'Recall — flashcards that stick',
				short_name: 'Recall',
				description: 'Offline-first spaced-repetition flashcards with the FSRS-6 scheduler.',
				theme_color: '#1f4e79',
				background_color: '#ffffff',
				display: 'standalone',
				start_url: '/',
				scope: '/',
				// An installed Recall opens these files from the system (Chromium); /import takes them.
				file_handlers: [
					{
						action: '/import',
						accept: {
							'application/zip': ['.apkg', '.colpkg'],
							'application/x-sqlite3': ['.anki2', '.anki21'],
							'text/csv': ['.csv'],
							'text/tab-separated-values': ['.tsv'],
							'text/plain': ['.txt'],
							'text/markdown': ['.md'],
							'application/json': ['.json']
						}
					}
				],
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			workbox: {
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webmanifest,wasm}',
					'prerendered/**/*.{html,json}'
				],
				// The first visit's page is controlled at once, so it keeps working if the network drops.
				clientsClaim: true,
				navigateFallback: '/200.html',
				navigateFallbackDenylist: [/^\/decks\//],
				// The daily reminder's periodicsync and notificationclick handlers (static/).
				importScripts: ['/reminder-sw.js']
			},
			kit: { spa: true, adapterFallback: '200.html' }
		})
	],
	// The import worker is an ES module (it imports sql.js and the parsers).
	worker: { format: 'es' },
	preview: { port: 4173, strictPort: true },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'node',
					environment: 'node',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					exclude: ['src/**/*.browser.test.ts']
				}
			},
			{
				extends: true,
				// Browser tests read the shared corpus beside the repository (commands.readFile).
				server: { fs: { allow: ['.', '../shared/corpus'] } },
				test: {
					name: 'browser',
					include: ['src/**/*.browser.test.ts'],
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
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.e2e.ts'],
					globalSetup: ['tests/e2e/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
