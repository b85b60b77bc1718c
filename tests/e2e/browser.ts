/** Launches Debian's Chromium with a phone-sized, touch-enabled context. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

export async function launch(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}

export async function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
	return browser.newContext({
		baseURL,
		viewport: PHONE,
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		serviceWorkers: 'allow'
	});
}

/** Waits until a service worker controls the page, so a reload can be served offline. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
		);
	});
}

export async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Collects Content-Security-Policy violations the page reports on its console. */
export function watchCsp(page: Page): string[] {
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
	});
	return violations;
}
