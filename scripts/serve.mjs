#!/usr/bin/env node
// Serves the production build (`build/`) the way a static host would: files as they are, the
// SPA fallback page 200.html for routes that were not prerendered, and long caching only for
// content-hashed files. `npm start` and the end-to-end tests use it.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

const port = Number(process.env.PORT ?? process.argv[2] ?? 4173);
const dir = process.env.BUILD_DIR ?? 'build';
if (!existsSync(`${dir}/200.html`)) {
	console.error(`No build in ${dir}/: run "npm run build" first.`);
	process.exit(1);
}

const assets = sirv(dir, {
	single: '200.html',
	etag: true,
	gzip: false,
	setHeaders(res, pathname) {
		if (pathname.startsWith('/_app/immutable/')) {
			res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
		} else {
			// The service worker, the pages and the decks must be revalidated to see a new version.
			res.setHeader('Cache-Control', 'no-cache');
		}
	}
});

createServer((req, res) => {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	assets(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
}).listen(port, () => {
	console.log(`Recall is served on http://localhost:${port}`);
});
