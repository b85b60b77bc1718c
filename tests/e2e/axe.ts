/** Runs axe-core in the page and returns its violations (id: nodes), for "axe-clean" checks. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

export async function axeViolations(page: Page): Promise<string[]> {
	// Evaluated through the DevTools protocol, not a <script> tag: the app's CSP forbids inline
	// scripts, and that CSP is under test too.
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const result = await axe.run(document, { resultTypes: ['violations'] });
		return result.violations.map(
			(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
		);
	});
}
