// The static servers the benchmarks load the bench build from.
//
// - compressed: scripts/serve.mjs's server (what `npm start` runs) in this process, with gzip and
//   brotli as any production static host (GitHub Pages, Netlify, Cloudflare…) sends them: each
//   text file is compressed once (brotli 11, gzip 9) next to itself and sirv picks by
//   Accept-Encoding. The .gz/.br files are written after the build, so they are not precached.
// - plain: scripts/serve.mjs --no-compress in a child process: a host that does not compress.
import { spawn } from 'node:child_process';
import { createServer as netServer } from 'node:net';
import { staticServer } from '../../scripts/serve.mjs';

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
	const child = spawn(process.execPath, ['scripts/serve.mjs', String(port), '--no-compress'], {
		env: { ...process.env, BUILD_DIR: buildDir },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://localhost:${port}`;
	await waitFor(url, 30_000);
	return { url, close: () => child.kill() };
}

/** The build with gzip/brotli, in this process; resolves to { url, close }. */
export async function serveCompressed(buildDir) {
	const server = staticServer(buildDir, { compress: true });
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, resolve));
	return { url: `http://localhost:${port}`, close: () => server.close() };
}
