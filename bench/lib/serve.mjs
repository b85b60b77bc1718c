// The static servers the benchmarks load the bench build from.
//
// - plain: scripts/serve.mjs itself (what `npm start` runs), in a child process. It serves
//   files uncompressed.
// - compressed: the same files, headers and SPA fallback, but with gzip and brotli as any
//   production static host (GitHub Pages, Netlify, Cloudflare…) sends them: each text file is
//   compressed once (brotli 11, gzip 9) next to itself and sirv picks by Accept-Encoding.
//   The .gz/.br files are written after the build, so they are not in the precache.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import sirv from 'sirv';

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = netServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function waitFor(url, ms) {
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
	throw new Error(`No answer from ${url} within ${ms} ms`);
}

/** scripts/serve.mjs on a free port; resolves to { url, close }. */
export async function servePlain(buildDir) {
	const port = await freePort();
	const child = spawn(process.execPath, ['scripts/serve.mjs', String(port)], {
		env: { ...process.env, BUILD_DIR: buildDir },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://localhost:${port}`;
	await waitFor(url, 30_000);
	return { url, close: () => child.kill() };
}

const TEXT = /\.(js|css|html|json|svg|webmanifest|txt|map)$/;

function precompress(dir) {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) {
			precompress(path);
		} else if (TEXT.test(entry) && !entry.endsWith('.map')) {
			const buf = readFileSync(path);
			writeFileSync(`${path}.gz`, gzipSync(buf, { level: 9 }));
			writeFileSync(
				`${path}.br`,
				brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
			);
		}
	}
}

/** The build with gzip/brotli, in this process; resolves to { url, close }. */
export async function serveCompressed(buildDir) {
	precompress(buildDir);
	const assets = sirv(buildDir, {
		single: '200.html',
		etag: true,
		gzip: true,
		brotli: true,
		setHeaders(res, pathname) {
			res.setHeader(
				'Cache-Control',
				pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
		}
	});
	const server = createServer((req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
		assets(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, resolve));
	return { url: `http://localhost:${port}`, close: () => server.close() };
}
