#!/usr/bin/env node
// `npm run screenshots`: renders every screen of the production build (run `npm run build`
// first) at 360×740 in light and dark, and at 1280×800, into docs/screenshots/, so a person can
// look at each before a change lands. Also refreshes the README's picture (review-phone.png).
// Each profile is fresh; the script walks the app as a user would (clicks and typing), so a
// screen that breaks makes it stop with the reason.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.js';

const port = Number(process.env.SCREENSHOT_PORT ?? 4179);
const base = `http://localhost:${port}`;
const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });

const CSV =
	'Front,Back,Tags\nWho built the Red Army?,Leon Trotsky,red-army\nWhere did Trotsky die?,Mexico City,exile\n';

/** Each screen: a name and the steps that bring a fresh profile to it. */
const SCREENS = [
	{
		name: 'decks',
		go: async (p) => {
			await p.goto('/');
			await p.waitForFunction(() =>
				/^\d+ new$/.test(document.querySelector('.counts .new')?.textContent?.trim() ?? '')
			);
		}
	},
	{
		name: 'study-question',
		go: async (p) => {
			await p.goto('/study/trotsky-red-army');
			await p.getByRole('button', { name: 'Show answer' }).waitFor();
		}
	},
	{
		name: 'study-answer',
		go: async (p) => {
			await p.goto('/study/trotsky-red-army');
			await p.getByRole('button', { name: 'Show answer' }).click();
			await p.getByRole('button', { name: /^Good/ }).waitFor();
		}
	},
	{
		name: 'study-cloze-answer',
		go: async (p) => {
			await p.goto('/study/trotsky-assassination');
			const show = p.getByRole('button', { name: 'Show answer' });
			// Find a cloze card among the first few (revealing and grading Good until one shows).
			for (let i = 0; i < 12; i++) {
				await show.click();
				await p.getByRole('button', { name: /^Good/ }).waitFor();
				if (await p.locator('.cloze').count()) return;
				await p.getByRole('button', { name: /^Good/ }).click();
			}
		}
	},
	{
		name: 'study-search',
		go: async (p) => {
			await p.goto('/browse/study?q=' + encodeURIComponent('tag:red-army'));
			await p.locator('h1').first().waitFor();
			await p.waitForTimeout(300);
		}
	},
	{
		name: 'browse',
		go: async (p) => {
			await p.goto('/browse');
			await p.locator('#browse-query').fill('tag:red-army');
			await p.getByRole('button', { name: 'Search', exact: true }).click();
			await p.waitForTimeout(800);
		}
	},
	{
		name: 'add',
		go: async (p) => {
			await p.goto('/add');
			await p.locator('h1').waitFor();
			await p.waitForTimeout(300);
		}
	},
	{
		name: 'import-mapping',
		go: async (p) => {
			await p.goto('/import');
			await p
				.locator('input[type=file]')
				.first()
				.setInputFiles({
					name: 'red-army-questions.csv',
					mimeType: 'text/csv',
					buffer: Buffer.from(CSV)
				});
			await p.waitForTimeout(800);
		}
	},
	{
		name: 'stats',
		go: async (p) => {
			await p.goto('/stats');
			await p.locator('h1').waitFor();
			await p.waitForTimeout(800);
		}
	},
	{
		name: 'settings',
		go: async (p) => {
			await p.goto('/settings');
			await p.locator('h1').waitFor();
			await p.waitForTimeout(800);
		}
	},
	{
		name: 'not-found',
		go: async (p) => {
			await p.goto('/no-such-page');
			await p.getByRole('heading').first().waitFor();
		}
	}
];

const DEVICES = [
	{ suffix: 'phone', viewport: { width: 360, height: 740 }, colorScheme: 'light', mobile: true },
	{
		suffix: 'phone-dark',
		viewport: { width: 360, height: 740 },
		colorScheme: 'dark',
		mobile: true
	},
	{ suffix: 'desktop', viewport: { width: 1280, height: 800 }, colorScheme: 'light', mobile: false }
];

const server = spawn(process.execPath, ['scripts/serve.mjs', String(port)], { stdio: 'ignore' });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
let failed = 0;
try {
	for (let i = 0; i < 50; i++) {
		try {
			if ((await fetch(base)).ok) break;
		} catch {
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	for (const device of DEVICES) {
		for (const screen of SCREENS) {
			const context = await browser.newContext({
				baseURL: base,
				viewport: device.viewport,
				deviceScaleFactor: device.mobile ? 2 : 1,
				isMobile: device.mobile,
				hasTouch: device.mobile,
				colorScheme: device.colorScheme
			});
			const page = await context.newPage();
			const errors = [];
			page.on('pageerror', (e) => errors.push(e.message));
			page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
			const file = `${out}/${screen.name}-${device.suffix}.png`;
			try {
				await screen.go(page);
				await page.screenshot({ path: file, fullPage: screen.name !== 'study-answer' });
				console.log(
					errors.length
						? `${file}  (errors: ${errors.map((e) => e.split('\n')[0]).join(' | ')})`
						: file
				);
				if (errors.length) failed++;
			} catch (error) {
				failed++;
				console.log(`${file}  FAILED: ${error.message.split('\n')[0]}`);
			}
			if (screen.name === 'study-answer' && device.suffix === 'phone') {
				await page.screenshot({ path: `${out}/review-phone.png` });
			}
			await context.close();
		}
	}
} finally {
	await browser.close();
	server.kill();
}
console.log(failed ? `${failed} screens had problems` : 'every screen rendered without an error');
process.exit(failed ? 1 : 0);
