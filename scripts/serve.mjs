#!/usr/bin/env node
// Serves the production build (`build/`) the way a production static host does: each text file
// compressed once with brotli and gzip next to itself (sirv picks by Accept-Encoding), the SPA
// fallback page 200.html for routes that were not prerendered, and long caching only for
// content-hashed files. `npm start`, the end-to-end tests and the benchmarks use it.
//
// The .br/.gz files are written after the build, so the service worker does not precache them.
// `--no-compress` (or SERVE_COMPRESS=0) serves the files as they are.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import sirv from 'sirv';

const TEXT = /\.(js|css|html|json|svg|webmanifest|txt)$/;

/** Writes `file.br` and `file.gz` beside every text file under `dir` (once per build). */
export function precompress(dir) {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) {
			precompress(path);
		} else if (TEXT.test(entry) && !existsSync(`${path}.br`)) {
			const buf = readFileSync(path);
			writeFileSync(`${path}.gz`, gzipSync(buf, { level: 9 }));
			writeFileSync(
				`${path}.br`,
				brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
			);
		}
	}
}

/** A request handler for the build in `dir` (the sync server, server/main.ts, mounts it too). */
export function staticHandler(dir, { compress = true } = {}) {
	if (compress) precompress(dir);
	const assets = sirv(dir, {
		single: '200.html',
		etag: true,
		gzip: compress,
		brotli: compress,
		setHeaders(res, pathname) {
			if (pathname.startsWith('/_app/immutable/')) {
				res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
			} else {
				// The service worker, the pages and the decks must be revalidated to see a new version.
				res.setHeader('Cache-Control', 'no-cache');
			}
		}
	});
	return (req, res) =>
		assets(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
}

/** An HTTP server for the build in `dir` (not listening yet). */
export function staticServer(dir, options = {}) {
	const assets = staticHandler(dir, options);
	return createServer((req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
		assets(req, res);
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const port = Number(process.env.PORT ?? args.find((a) => /^\d+$/.test(a)) ?? 4173);
	const dir = process.env.BUILD_DIR ?? 'build';
	const compress = !args.includes('--no-compress') && process.env.SERVE_COMPRESS !== '0';
	if (!existsSync(`${dir}/200.html`)) {
		console.error(`No build in ${dir}/: run "npm run build" first.`);
		process.exit(1);
	}
	staticServer(dir, { compress }).listen(port, () => {
		console.log(`Recall is served on http://localhost:${port}`);
	});
}
