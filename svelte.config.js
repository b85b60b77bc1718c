import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// A static single-page shell: every route not prerendered falls back to index.html.
		adapter: adapter({ fallback: '200.html', strict: true }),
		serviceWorker: { register: false },
		prerender: { handleHttpError: 'fail' },
		typescript: {
			// Type-check the end-to-end tests, benchmarks and scripts with the app.
			config: (tsconfig) => {
				tsconfig.include.push('../e2e/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts');
				return tsconfig;
			}
		}
	}
};

export default config;
