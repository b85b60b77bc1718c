/**
 * The harness every journey test uses: a fresh browser profile on a phone (or a desktop) against
 * the production build, watching for what a person would call "it broke" — an uncaught error, a
 * rejected promise, a `console.error`, the app's own "Something went wrong" banner — so a journey
 * fails on any of them, not only on its own assertions.
 *
 *   const j = await startJourney();            // 360×740, touch, light
 *   await j.page.goto('/');
 *   …
 *   await j.finish();                           // throws if anything went wrong, closes the browser
 *
 * A journey that expects an error (offline fetches, a refused file) passes `allow` patterns.
 */
import { expect, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, launch, PHONE } from './browser';

export interface JourneyOptions {
	/** 'phone' (360×740, touch; the default) or 'desktop' (1280×800, mouse). */
	device?: 'phone' | 'desktop';
	colorScheme?: 'light' | 'dark';
	/** Console errors matching one of these are expected by this journey (e.g. offline fetches). */
	allow?: RegExp[];
	/** Reuse a browser instead of launching one (it is then not closed by finish()). */
	browser?: Browser;
}

export interface Journey {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** What went wrong so far: page errors, console errors, the app's error banner. */
	problems: string[];
	/** Opens another page (tab) in the same profile, watched the same way. */
	newPage(): Promise<Page>;
	/** Fails the test if anything went wrong; keeps the browser open. */
	check(): void;
	/** check(), then closes the profile (and the browser, if the journey launched it). */
	finish(): Promise<void>;
}

export const baseURL = (): string => inject('baseURL');

/** Network failures while offline are reported by Chromium as console errors: expected there. */
export const OFFLINE_NOISE = [/net::ERR_INTERNET_DISCONNECTED/, /Failed to load resource/];

export async function startJourney(options: JourneyOptions = {}): Promise<Journey> {
	const browser = options.browser ?? (await launch());
	const phone = (options.device ?? 'phone') === 'phone';
	const context = await browser.newContext({
		baseURL: baseURL(),
		viewport: phone ? PHONE : DESKTOP,
		deviceScaleFactor: phone ? 2 : 1,
		isMobile: phone,
		hasTouch: phone,
		colorScheme: options.colorScheme ?? 'light',
		serviceWorkers: 'allow'
	});
	const problems: string[] = [];
	const allow = options.allow ?? [];
	const watch = (page: Page) => {
		page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
		page.on('console', (msg) => {
			if (msg.type() !== 'error') return;
			const text = msg.text();
			if (allow.some((re) => re.test(text))) return;
			problems.push(`console.error on ${page.url()}: ${text}`);
		});
	};
	context.on('page', watch);
	const page = await context.newPage();
	const journey: Journey = {
		browser,
		context,
		page,
		problems,
		async newPage() {
			return context.newPage();
		},
		check() {
			expect(problems, 'the app reported errors').toEqual([]);
		},
		async finish() {
			try {
				journey.check();
			} finally {
				await context.close();
				if (!options.browser) await browser.close();
			}
		}
	};
	return journey;
}

/** The app's "Something went wrong" banner (role="alert"), if it is showing. */
export async function appErrorBanner(page: Page): Promise<string | null> {
	const banner = page.locator('[data-app-error]');
	return (await banner.count()) ? banner.first().textContent() : null;
}

/** Asserts the page does not scroll sideways at its current size. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
	expect(
		await horizontalOverflow(page),
		`horizontal overflow on ${page.url()}`
	).toBeLessThanOrEqual(0);
}

/** Waits until the deck list has read the store (its counts are numbers). */
export async function waitForDeckCounts(page: Page): Promise<void> {
	await expect
		.poll(() => page.locator('.counts .new').first().textContent(), { timeout: 15_000 })
		.toMatch(/^\d+ new$/);
}
