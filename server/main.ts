/**
 * `npm start`: the app (the production build in build/) and the sync server on one origin.
 *
 *   PORT (4173)            where to listen
 *   DATABASE_URL           postgres://… — a real PostgreSQL; unset: PGlite in RECALL_DATA
 *   RECALL_DATA            the embedded database's folder (./recall-data)
 *   CORS_ORIGIN            the app's origin, when the app is served from elsewhere
 *   BUILD_DIR              the app's build (build/); the server runs without it, API only
 *
 * `npm run server:new-epoch` (after restoring a backup) makes every device send
 * everything again.
 */
import { getRequestListener } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createApp } from './app';
import { openDatabase } from './db';
import { migrate } from './schema';
import { newEpoch } from './store';

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
	const db = await openDatabase(env);
	await migrate(db);
	const where = env.DATABASE_URL
		? 'PostgreSQL (DATABASE_URL)'
		: `embedded database in ${env.RECALL_DATA ?? './recall-data'}`;
	if (argv.includes('--new-epoch')) {
		await newEpoch(db);
		await db.close();
		console.log(`New epoch set for every account (${where}): devices will send everything again.`);
		return;
	}
	const port = Number(env.PORT ?? argv.find((a) => /^\d+$/.test(a)) ?? 4173);
	const dir = env.BUILD_DIR ?? 'build';
	// Fault tests (server/crash.test.ts): the process dies the moment a push has committed.
	const afterPushCommit =
		env.RECALL_TEST_FAULT === 'kill-after-push-commit'
			? () => process.kill(process.pid, 'SIGKILL')
			: undefined;
	const api = getRequestListener(
		createApp({ db, corsOrigin: env.CORS_ORIGIN, afterPushCommit }).fetch
	);
	// Bundled into node_modules/.cache/recall/ (scripts/build-server.mjs).
	// The static half is scripts/serve.mjs's (compressed files, SPA fallback, caching rules).
	const serveUrl = new URL('../../../scripts/serve.mjs', import.meta.url).href;
	const { staticHandler } = (await import(/* @vite-ignore */ serveUrl)) as {
		staticHandler: (dir: string) => (req: unknown, res: unknown) => void;
	};
	const assets = existsSync(`${dir}/200.html`) ? staticHandler(dir) : null;
	const server = createServer((req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
		if (req.url?.startsWith('/api/') || !assets) return void api(req, res);
		assets(req, res);
	});
	const stop = () => {
		server.close();
		void db.close().finally(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	server.listen(port, () => {
		console.log(`Recall is served on http://localhost:${port}`);
		console.log(`Sync server: ${where}${assets ? '' : ' (API only: no build in ' + dir + '/)'}`);
	});
}

await main();
