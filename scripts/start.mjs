#!/usr/bin/env node
// `npm start`: builds the app and the sync server, then serves both on http://localhost:4173
// (server/main.ts). The build's own chatter is kept back and shown only if the build fails, so
// what remains is where Recall is served. `--no-build` serves the existing build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE, buildServer } from './build-server.mjs';

const args = process.argv.slice(2);
if (!args.includes('--no-build') || !existsSync('build/200.html')) {
	console.log('Building Recall…');
	const vite = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (vite.status !== 0) {
		process.stdout.write(vite.stdout ?? '');
		process.stderr.write(vite.stderr ?? '');
		console.error('The build failed (above).');
		process.exit(1);
	}
}
await buildServer();
process.argv = [process.argv[0], SERVER_BUNDLE, ...args.filter((a) => a !== '--no-build')];
await import(pathToFileURL(SERVER_BUNDLE).href);
