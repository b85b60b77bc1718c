#!/usr/bin/env node
// Bundles the sync server (server/main.ts and the core/sync code it shares with the app) into
// node_modules/.cache/recall/server.js for Node, with rolldown (vite's bundler). The npm packages stay imports.
import { build } from 'rolldown';

export const SERVER_BUNDLE = 'node_modules/.cache/recall/server.js';

export async function buildServer() {
	await build({
		input: 'server/main.ts',
		platform: 'node',
		external: [/^[^./]/],
		logLevel: 'warn',
		output: { file: SERVER_BUNDLE, format: 'esm' }
	});
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServer();
