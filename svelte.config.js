import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// A static site: routes that are not prerendered fall back to the SPA page 200.html.
		// BUILD_DIR lets the benchmarks write a copy of the site without touching build/.
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			fallback: '200.html',
			strict: true
		}),
		serviceWorker: { register: false },
		// The app's CSS is a few kB: inlined into each page, the first paint waits for no
		// stylesheet request (on slow 4G they queued behind the module preloads).
		inlineStyleThreshold: 8192,
		prerender: { handleHttpError: 'fail' },
		// Card HTML comes from strangers' decks: even if something slipped past the sanitizer, no
		// inline script, handler or outside resource may run or load. Prerendered pages (and the
		// 200.html fallback) carry this as a <meta> tag with hashes for SvelteKit's own scripts.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				// sql.js and the FSRS optimizer are WebAssembly.
				'script-src': ['self', 'wasm-unsafe-eval'],
				// Svelte sets a few style attributes (e.g. a grid's column count) at run time.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'blob:', 'data:'],
				'media-src': ['self', 'blob:', 'data:'],
				'font-src': ['self'],
				// A sync server on another origin than the app's must be allowed here at build time:
				// RECALL_SYNC_ORIGINS="https://sync.example.org" npm run build (README, "Sync").
				'connect-src': [
					'self',
					'blob:',
					'data:',
					.../** @type {any[]} */ (
						(process.env.RECALL_SYNC_ORIGINS ?? '').split(/\s+/).filter(Boolean)
					)
				],
				'worker-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'frame-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		},
		typescript: {
			// Type-check the end-to-end tests, benchmarks and scripts with the app.
			config: (tsconfig) => {
				tsconfig.include.push('../tests/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts');
				return tsconfig;
			}
		}
	}
};

export default config;
