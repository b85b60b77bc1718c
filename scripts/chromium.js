// Where the Chromium used by the browser and end-to-end tests lives. Debian's package by default;
// CHROME_PATH overrides it. Never downloads a browser.
import { existsSync } from 'node:fs';

/** @returns {string} */
export function chromiumPath() {
	const candidates = [
		process.env.CHROME_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
		'/usr/bin/google-chrome'
	];
	return candidates.find((p) => p && existsSync(p)) ?? '/usr/bin/chromium';
}

export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];
