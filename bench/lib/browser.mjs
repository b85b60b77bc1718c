// Debian's Chromium through playwright-core, as the end-to-end tests drive it (tests/e2e/browser.ts):
// a phone-sized, touch-enabled context.
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';

export const PHONE = { width: 360, height: 640 };

export const contextOptions = {
	viewport: PHONE,
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
	serviceWorkers: 'allow'
};

export function launch() {
	return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}

/** A fresh profile's context (no cache, no service worker, no IndexedDB). */
export function phoneContext(browser, baseURL) {
	return browser.newContext({ baseURL, ...contextOptions });
}

/** A context on a profile directory that survives a browser restart. */
export function persistentContext(userDataDir, baseURL) {
	return chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath(),
		args: chromiumArgs,
		headless: true,
		baseURL,
		...contextOptions
	});
}

/** Waits until a service worker controls the page (its precache is then complete). */
export async function waitForServiceWorker(page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
		);
	});
}
