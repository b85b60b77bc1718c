/**
 * Issue 17, item 4: formulas of imported Anki cards. A package built with the importer's
 * factories carries Anki's LaTeX (`[$]…[/$]` with the `latex-<sha1>.png` image Anki generated
 * and shipped; `[latex]…[/latex]` without one) and MathJax (`\(…\)`, `\[…\]`). Imported through
 * /import of the production build on a phone and studied: the shipped image shows (from the
 * media store), the unshipped one's source is shown as text, MathJax typesets to SVG — loaded
 * only for the card with math, under the CSP, and precached for offline use.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.js';
import { latexImageName, latexSource } from '../../../src/lib/core/render/anki-latex';
import {
	buildCollection,
	latestPackage,
	type NotetypeSpec
} from '../../../src/lib/core/import/testing/anki-fixtures';
import { loadSqlJs } from '../../../src/lib/core/import/testing/node-sql';
import { axeViolations } from '../axe';
import { watchCsp } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';

/** A 1×1 PNG, standing for the image Anki's LaTeX run made. */
const PNG = Uint8Array.from(
	atob(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
	),
	(c) => c.charCodeAt(0)
);

const DECKS = {
	latex: { id: 1_810_000_000_001, name: 'Physics (LaTeX)' },
	mathjax: { id: 1_810_000_000_002, name: 'Algebra (MathJax)' },
	cloze: { id: 1_810_000_000_003, name: 'Roots (cloze in MathJax)' }
};
const BASIC: NotetypeSpec = {
	id: 1_810_000_000_101,
	name: 'Basic',
	fields: ['Front', 'Back'],
	templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' }],
	css: '.card { font-size: 20px; text-align: center; }'
};
const CLOZE: NotetypeSpec = {
	id: 1_810_000_000_102,
	name: 'Cloze',
	kind: 'cloze',
	fields: ['Text', 'Back Extra'],
	templates: [{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>{{Back Extra}}' }],
	css: '.card { font-size: 20px; } .cloze { color: rgb(0, 0, 255); font-weight: bold; }'
};

const AREA = '<b>\\pi</b> r^2';
const AREA_IMAGE = latexImageName(latexSource('inline', AREA), false);

const BUILD = 'build';

/** The build's MathJax chunk (the one client chunk holding MathJax's SVG output), by name. */
function mathjaxChunk(): string {
	const dir = join(BUILD, '_app/immutable/chunks');
	const found = readdirSync(dir).filter(
		(f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('fontCache')
	);
	expect(found, 'one MathJax chunk in the build').toHaveLength(1);
	return found[0]!;
}

const studyUrl = (deck: { id: number }) => `/study/anki-${deck.id}`;

async function importPackage(page: Page, path: string): Promise<void> {
	await page.goto('/import');
	await page.locator('input[type="file"]').setInputFiles(path);
	await expect
		.poll(() => page.locator('[role="status"]').first().textContent(), { timeout: 60_000 })
		.toBe('Imported 3 notes, 3 cards, 0 reviews, 1 media file.');
}

describe('formulas on imported Anki cards', () => {
	let browser: Browser;
	let dir: string;
	let apkg: string;

	beforeAll(async () => {
		browser = await chromium.launch({
			executablePath: chromiumPath(),
			args: chromiumArgs,
			headless: true
		});
		dir = mkdtempSync(join(tmpdir(), 'recall-anki-math-'));
		apkg = join(dir, 'Formulas.apkg');
		const sql = await loadSqlJs();
		const notes = [
			{
				id: 21,
				mid: BASIC.id,
				fields: [`Area of a circle: [$]${AREA}[/$]`, '[latex]E=mc^2[/latex]']
			},
			{ id: 22, mid: BASIC.id, fields: ['Solve \\(x^2 = 4\\) for x', '\\[x = \\pm 2\\]'] },
			// A cloze inside a formula: Anki marks it in TeX, so the formula stays whole.
			{ id: 23, mid: CLOZE.id, fields: ['The roots of x² = 4: \\(x = {{c1::\\pm 2}}\\)', ''] }
		];
		const collection = buildCollection(sql, {
			schema: 18,
			notetypes: [BASIC, CLOZE],
			decks: Object.values(DECKS),
			notes,
			cards: [
				{ id: 201, nid: 21, did: DECKS.latex.id },
				{ id: 202, nid: 22, did: DECKS.mathjax.id },
				{ id: 203, nid: 23, did: DECKS.cloze.id }
			]
		});
		writeFileSync(apkg, latestPackage(sql, collection, { [AREA_IMAGE]: PNG }));
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	for (const colorScheme of ['light', 'dark'] as const) {
		it(`shows Anki's LaTeX images and typesets MathJax (${colorScheme})`, async () => {
			const j = await startJourney({ browser, colorScheme });
			const { page } = j;
			const csp = watchCsp(page);
			const chunk = mathjaxChunk();
			const mathjaxChunks: string[] = [];
			page.on('request', (r) => {
				if (r.url().includes(chunk)) mathjaxChunks.push(r.url());
			});
			await importPackage(page, apkg);

			// LaTeX: the shipped image, from the media store, with the source as its text.
			await page.goto(studyUrl(DECKS.latex));
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const image = page.locator('img.latex');
			await image.waitFor();
			expect(await image.getAttribute('src')).toMatch(/^blob:/);
			expect(await image.getAttribute('alt')).toBe('$\\pi r^2$');
			expect(await image.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(
				1
			);
			expect(await page.locator('.anki-root').textContent()).not.toContain('[$]');
			expect(mathjaxChunks, 'no MathJax for a card without MathJax').toEqual([]);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).waitFor();
			// No image shipped for this one: its source, as text.
			await expect
				.poll(() => page.locator('.side.back').textContent())
				.toContain('[latex]E=mc^2[/latex]');
			await page.screenshot({ path: `/tmp/anki-latex-back-${colorScheme}.png` });

			// MathJax: typeset into SVG on the question, display math on the answer.
			await page.goto(studyUrl(DECKS.mathjax));
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const inline = page.locator('mjx-container[jax="SVG"]').first();
			await inline.waitFor({ timeout: 20_000 });
			expect(await inline.getAttribute('aria-label')).toBe('x^2 = 4');
			const box = await inline.locator('svg').evaluate((svg) => {
				const r = svg.getBoundingClientRect();
				return { w: r.width, h: r.height, paths: svg.querySelectorAll('path').length };
			});
			expect(box.w).toBeGreaterThan(20);
			expect(box.h).toBeGreaterThan(8);
			expect(box.paths).toBeGreaterThan(3);
			expect(await page.locator('.anki-root').textContent()).not.toContain('\\(');
			expect(mathjaxChunks.length, 'MathJax loaded for the card with math').toBeGreaterThan(0);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/anki-mathjax-front-${colorScheme}.png` });
			await page.getByRole('button', { name: 'Show answer' }).click();
			const display = page.locator('.side.back mjx-container[display="true"]');
			await display.waitFor({ timeout: 20_000 });
			expect(await display.getAttribute('aria-label')).toBe('x = \\pm 2');
			await expectNoHorizontalOverflow(page);
			await page.screenshot({ path: `/tmp/anki-mathjax-back-${colorScheme}.png` });

			// A cloze inside a formula: typeset whole, the answer hidden on the question (before,
			// the cloze's markup split the formula and it showed as its source).
			await page.goto(studyUrl(DECKS.cloze));
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const front = page.locator('.side.front mjx-container[jax="SVG"]');
			await front.waitFor({ timeout: 20_000 });
			expect(await front.getAttribute('aria-label')).toBe('x = [...]');
			expect(await page.locator('.side.front').textContent()).not.toContain('\\(');
			expect(await front.locator('.cloze').count(), 'the blank is marked as the cloze').toBe(1);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/anki-mathjax-cloze-front-${colorScheme}.png` });
			await page.getByRole('button', { name: 'Show answer' }).click();
			const back = page.locator('.side.back mjx-container[jax="SVG"]');
			await back.waitFor({ timeout: 20_000 });
			expect(await back.getAttribute('aria-label')).toBe('x = \\pm 2');
			// The cloze colour reaches the answer inside the formula: the note type's in light mode,
			// night mode's own (as for a cloze outside a formula) in dark.
			expect(await back.locator('.cloze').evaluate((el) => getComputedStyle(el).color)).toBe(
				colorScheme === 'light' ? 'rgb(0, 0, 255)' : 'rgb(255, 224, 138)'
			);
			await page.screenshot({ path: `/tmp/anki-mathjax-cloze-back-${colorScheme}.png` });
			expect(csp).toEqual([]);
			await j.finish();
		});
	}

	it('precaches the MathJax chunk for offline use; the first load does not import it', () => {
		const chunk = mathjaxChunk();
		const sw = readFileSync(join(BUILD, 'sw.js'), 'utf8');
		expect(sw, 'the MathJax chunk is in the precache manifest').toContain(
			`_app/immutable/chunks/${chunk}`
		);
		// No page's entry imports it statically: only the Anki card's import() names it.
		const dir = join(BUILD, '_app/immutable');
		const importers = ['entry', 'nodes', 'chunks'].flatMap((sub) =>
			readdirSync(join(dir, sub))
				.filter((f) => f.endsWith('.js') && f !== chunk)
				.filter((f) => readFileSync(join(dir, sub, f), 'utf8').includes(chunk))
				.map((f) => `${sub}/${f}`)
		);
		expect(importers).toHaveLength(1);
		const importer = readFileSync(join(dir, importers[0]!), 'utf8');
		expect(importer).toMatch(new RegExp(`import\\([^)]*${chunk.replace('.', '\\.')}`));
	});
});
