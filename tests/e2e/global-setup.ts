/**
 * Serves the production build (scripts/serve.mjs, as a static host would) for the end-to-end tests on its own port, so a
 * developer's `npm start` on 4173 does not collide with the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

const PORT = Number(process.env.E2E_PORT ?? 4174);
/** The build to serve: `build/` unless BUILD_DIR names another (as for `vite build`). */
const BUILD_DIR = process.env.BUILD_DIR ?? 'build';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
	}
}

async function waitFor(url: string, ms: number): Promise<void> {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		try {
			const res = await fetch(url);
			if (res.ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`The preview server did not answer at ${url} within ${ms} ms`);
}

let server: ChildProcess | undefined;

export default async function setup(project: TestProject) {
	if (!existsSync(`${BUILD_DIR}/200.html`)) {
		throw new Error('No production build: run `npm run build` before the end-to-end tests.');
	}
	server = spawn(process.execPath, ['scripts/serve.mjs', String(PORT)], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, BUILD_DIR }
	});
	const baseURL = `http://localhost:${PORT}`;
	await waitFor(baseURL, 30_000);
	project.provide('baseURL', baseURL);
	return () => {
		server?.kill();
	};
}
