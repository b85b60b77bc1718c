/**
 * Every route, as a person first meets it and after some study: no uncaught error, rejected
 * promise or console.error (the journey harness fails on those), a page heading, and nothing
 * wider than a 360 px phone — also after the page's main interaction (a card revealed, a search
 * run, a file chosen).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, waitForServiceWorker } from '../browser';
import {
	expectNoHorizontalOverflow,
	OFFLINE_NOISE,
	startJourney,
	waitForDeckCounts,
	type Journey
} from '../journey';

interface Route {
	path: string;
	/** The page has finished reading the store when this is visible. */
	ready: (page: Page) => Promise<unknown>;
	/** The page's main interaction, after which the layout is checked again. */
	interact?: (page: Page) => Promise<unknown>;
}

const CSV =
	'Front,Back\nWho built the Red Army?,Leon Trotsky\nWhere was Trotsky killed?,Mexico City\n';

const ROUTES: Route[] = [
	{ path: '/', ready: waitForDeckCounts },
	{
		path: '/study/trotsky-red-army',
		ready: (p) =>
			p
				.getByRole('button', { name: /Show answer|Study more|Back to decks/ })
				.first()
				.waitFor(),
		interact: async (p) => {
			const show = p.getByRole('button', { name: 'Show answer' });
			if (await show.count()) {
				await show.click();
				await p.getByRole('button', { name: /^Good/ }).waitFor();
			}
		}
	},
	{
		path: '/browse',
		ready: (p) => p.locator('#browse-query').waitFor(),
		interact: async (p) => {
			await p.locator('#browse-query').fill('tag:red-army');
			await p.getByRole('button', { name: 'Search', exact: true }).click();
			await p
				.getByText(/\b\d[\d,]* cards?\b/)
				.first()
				.waitFor({ timeout: 10_000 });
		}
	},
	{
		path: '/browse/study?q=deck%3Atrotsky-assassination',
		ready: (p) => p.locator('h1').first().waitFor()
	},
	{
		path: '/add',
		ready: (p) => p.locator('h1').first().waitFor(),
		interact: async (p) => {
			const field = p.getByRole('textbox').first();
			await field.fill('A question typed on a phone, long enough to wrap across the narrow screen');
		}
	},
	{ path: '/stats', ready: (p) => p.locator('h1').first().waitFor() },
	{
		path: '/import',
		ready: (p) => p.locator('input[type=file]').first().waitFor({ state: 'attached' }),
		interact: async (p) => {
			await p
				.locator('input[type=file]')
				.first()
				.setInputFiles({
					name: 'a-rather-long-file-name-for-a-phone-screen-red-army.csv',
					mimeType: 'text/csv',
					buffer: Buffer.from(CSV)
				});
			await p
				.getByText(/Front|column/i)
				.first()
				.waitFor();
		}
	},
	{ path: '/settings', ready: (p) => p.locator('h1').first().waitFor() },
	{
		path: '/no-such-page',
		ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor()
	}
];

async function visit(j: Journey, route: Route): Promise<void> {
	const { page } = j;
	await page.goto(route.path);
	await route.ready(page);
	expect(await page.locator('h1').count(), `a heading on ${route.path}`).toBeGreaterThanOrEqual(1);
	expect((await page.locator('h1').first().textContent())?.trim()).toBeTruthy();
	await expectNoHorizontalOverflow(page);
	if (route.interact) {
		await route.interact(page);
		await expectNoHorizontalOverflow(page);
	}
	j.check();
}

describe('every route on a phone', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launch();
	});
	afterAll(async () => {
		await browser?.close();
	});

	for (const scheme of ['light', 'dark'] as const) {
		it(`works on a fresh profile (${scheme})`, async () => {
			const j = await startJourney({ browser, colorScheme: scheme });
			for (const route of ROUTES) await visit(j, route);
			await j.finish();
		});
	}

	it('works after some study', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await page.goto('/study/trotsky-assassination');
		for (let i = 0; i < 5; i++) {
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: i % 2 ? /^Again/ : /^Good/ }).click();
		}
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		for (const route of ROUTES) await visit(j, route);
		await j.finish();
	});

	it('works on a desktop too', async () => {
		const j = await startJourney({ browser, device: 'desktop' });
		for (const route of ROUTES) await visit(j, route);
		await j.finish();
	});

	it('says "Page not found" and leads back to the decks, online and offline', async () => {
		const j = await startJourney({ browser, allow: OFFLINE_NOISE });
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		await waitForServiceWorker(page);
		for (const offline of [false, true]) {
			await j.context.setOffline(offline);
			await page.goto('/study/trotsky-red-army/no/such/page');
			await page.getByRole('heading', { name: 'Page not found' }).waitFor();
			expect(await page.getByText(/Something went wrong/).count()).toBe(0);
			await page.getByRole('link', { name: 'Go to your decks' }).click();
			await waitForDeckCounts(page);
			expect(await page.getByRole('link', { name: /^Study / }).count()).toBeGreaterThanOrEqual(2);
		}
		await j.context.setOffline(false);
		await j.finish();
	});
});
