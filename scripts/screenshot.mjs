// Takes the README's screenshot of the review screen on a phone-sized window, from the
// production build: node scripts/screenshot.mjs (after npm run build).
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.js';

const port = 4179;
const server = spawn(process.execPath, ['scripts/serve.mjs', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
try {
	const page = await browser.newPage({
		viewport: { width: 360, height: 640 },
		deviceScaleFactor: 2
	});
	await page.goto(`http://localhost:${port}/study/trotsky-red-army`);
	await page.getByRole('button', { name: 'Show answer' }).click();
	await page.getByRole('button', { name: /^Good/ }).waitFor();
	await page.screenshot({ path: 'docs/screenshots/review-phone.png' });
	console.log('docs/screenshots/review-phone.png');
} finally {
	await browser.close();
	server.kill();
}
