// Renders the SVG icons to the PNG sizes the web manifest lists, with the project's Chromium.
// Run after editing static/favicon.svg or static/icons/maskable.svg: node scripts/make-icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.js';

const jobs = [
	['static/favicon.svg', 192, 'static/icons/icon-192.png', 'transparent'],
	['static/favicon.svg', 512, 'static/icons/icon-512.png', 'transparent'],
	['static/favicon.svg', 180, 'static/icons/apple-touch-icon.png', '#1f4e79'],
	['scripts/icons/maskable.svg', 512, 'static/icons/icon-maskable-512.png', '#1f4e79']
];

const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
const page = await browser.newPage();
for (const [svg, size, out, bg] of jobs) {
	await page.setViewportSize({ width: size, height: size });
	const data = Buffer.from(readFileSync(svg)).toString('base64');
	await page.setContent(
		`<style>html,body{margin:0;background:${bg}}img{display:block;width:${size}px;height:${size}px}</style><img src="data:image/svg+xml;base64,${data}">`
	);
	await page.screenshot({ path: out, omitBackground: bg === 'transparent' });
	console.log(`${out} (${size}px)`);
}
await browser.close();
