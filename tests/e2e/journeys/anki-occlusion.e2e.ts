/**
 * Issue 17, item 6: Anki's built-in Image Occlusion note type (Anki 23.10+). A package written
 * with the importer's factories holds the stock template (its `<script>` never runs) and notes
 * whose Occlusion field has `{{cN::image-occlusion:…}}` shapes; imported through /import of the
 * production build and studied on a phone. Asserted from the rendered geometry in Chromium: the
 * question covers the card's region exactly (and, "hide all, guess one", the others too); the
 * answer uncovers it (an outline) and keeps the others covered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	buildCollection,
	latestPackage,
	type NotetypeSpec
} from '../../../src/lib/core/import/testing/anki-fixtures';
import { loadSqlJs } from '../../../src/lib/core/import/testing/node-sql';
import { axeViolations } from '../axe';
import { watchCsp } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';

const DIAGRAM = new TextEncoder().encode(
	'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#3a7bd5"/><text x="45" y="40" font-size="10">label</text></svg>'
);
const DECKS = {
	all: { id: 1_820_000_000_001, name: 'Anatomy (hide all)' },
	one: { id: 1_820_000_000_002, name: 'Anatomy (hide one)' },
	filter: { id: 1_820_000_000_003, name: 'Anatomy (filter form)' }
};
const FRONT = `{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">
    {{Image}}
    <canvas id="image-occlusion-canvas"></canvas>
</div>
<script>
try { anki.imageOcclusion.setup(); } catch (exc) { document.getElementById("err").innerHTML = "Error loading image occlusion."; }
</script>`;
const IO: NotetypeSpec = {
	id: 1_820_000_000_101,
	name: 'Image Occlusion',
	kind: 'cloze',
	fields: ['Occlusion', 'Image', 'Header', 'Back Extra', 'Comments'],
	templates: [
		{
			name: 'Image Occlusion',
			front: FRONT,
			back: `${FRONT}\n<div><button id="toggle">Toggle Masks</button></div>\n{{#Back Extra}}<div class="extra">{{Back Extra}}</div>{{/Back Extra}}`
		}
	],
	css: '#image-occlusion-container img { width: 300px; }'
};
/** The same note type written with the filter, `{{image-occlusion:Occlusion}}`. */
const IO_FILTER: NotetypeSpec = {
	...IO,
	id: 1_820_000_000_102,
	name: 'Image Occlusion (filter form)',
	templates: [
		{
			name: 'Image Occlusion',
			front: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n{{image-occlusion:Occlusion}}',
			back: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n{{image-occlusion:Occlusion}}\n<div>{{Back Extra}}</div>'
		}
	]
};
const SHAPES =
	'{{c1::image-occlusion:rect:left=.2:top=.3:width=.1:height=.1:oi=1}}<br>{{c2::image-occlusion:ellipse:left=.5:top=.5:width=.2:height=.3:oi=1}}';

async function importPackage(
	page: Page,
	path: string,
	says = 'Imported 3 notes, 4 cards, 0 reviews, 1 media file.'
): Promise<void> {
	await page.goto('/import');
	await page.locator('input[type="file"]').setInputFiles(path);
	await expect
		.poll(() => page.locator('[role="status"]').first().textContent(), { timeout: 60_000 })
		.toBe(says);
}

/**
 * Where `shape` lies on the image: how far its painted edges are (in CSS pixels) from where the
 * fractions `expected` of the image put them. The 1.5 px border is painted half outside.
 */
async function offsetFrom(
	image: Locator,
	shape: Locator,
	expected: { left: number; top: number; width: number; height: number }
): Promise<number> {
	const img = (await image.boundingBox())!;
	const box = (await shape.boundingBox())!;
	return Math.max(
		Math.abs(box.x - (img.x + expected.left * img.width)),
		Math.abs(box.y - (img.y + expected.top * img.height)),
		Math.abs(box.width - expected.width * img.width),
		Math.abs(box.height - expected.height * img.height)
	);
}

const fill = (shape: Locator) => shape.evaluate((el) => getComputedStyle(el).fill);

describe('Image Occlusion notes', () => {
	let dir: string;
	let apkg: string;
	beforeAll(async () => {
		const sql = await loadSqlJs();
		dir = mkdtempSync(join(tmpdir(), 'recall-anki-io-'));
		apkg = join(dir, 'Anatomy.apkg');
		const image = '<img src="diagram.svg" alt="Diagram of the heart">';
		const notes = [
			{ id: 31, mid: IO.id, fields: [SHAPES, image, '', 'the answer side', ''] },
			{ id: 32, mid: IO.id, fields: [SHAPES.replaceAll(':oi=1', ''), image, 'Hide one', '', ''] },
			{ id: 33, mid: IO_FILTER.id, fields: [SHAPES, image, '', '', ''] }
		];
		const collection = buildCollection(sql, {
			schema: 18,
			notetypes: [IO, IO_FILTER],
			decks: Object.values(DECKS),
			notes,
			cards: [
				{ id: 301, nid: 31, did: DECKS.all.id, ord: 0, due: 0 },
				{ id: 302, nid: 31, did: DECKS.all.id, ord: 1, due: 1 },
				{ id: 303, nid: 32, did: DECKS.one.id, ord: 0, due: 2 },
				{ id: 304, nid: 33, did: DECKS.filter.id, ord: 0, due: 3 }
			]
		});
		writeFileSync(apkg, latestPackage(sql, collection, { 'diagram.svg': DIAGRAM }));
	}, 60_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	for (const colorScheme of ['light', 'dark'] as const) {
		it(`covers the asked region on the question and uncovers it on the answer (${colorScheme})`, async () => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			const csp = watchCsp(page);
			await importPackage(page, apkg);

			// "Hide all, guess one", card 1: both regions covered, the first as the one asked.
			await page.goto(`/study/anki-${DECKS.all.id}`);
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const image = page.getByRole('img', { name: 'Diagram of the heart' });
			await image.waitFor();
			await expect.poll(() => image.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(200);
			const asked = page.locator('.io-question');
			const other = page.locator('.io-inactive');
			expect(await asked.count()).toBe(1);
			expect(await other.count()).toBe(1);
			const rect = { left: 0.2, top: 0.3, width: 0.1, height: 0.1 };
			expect(await offsetFrom(image, asked, rect)).toBeLessThanOrEqual(2.1);
			// And its geometry, in the image's fractions, is the note's.
			const geometry = await asked.evaluate((el) => {
				const b = (el as SVGGraphicsElement).getBBox();
				return [b.x, b.y, b.width, b.height].map((v) => +v.toFixed(4));
			});
			expect(geometry).toEqual([0.2, 0.3, 0.1, 0.1]);
			const ellipse = { left: 0.5, top: 0.5, width: 0.2, height: 0.3 };
			expect(await offsetFrom(image, other, ellipse)).toBeLessThanOrEqual(2.1);
			expect(await fill(asked)).toBe('rgb(255, 142, 142)');
			expect(await fill(other)).toBe('rgb(255, 235, 162)');
			// The layer lies exactly over the picture, above it.
			const layer = page.locator('svg.io-layer');
			const whole = { left: 0, top: 0, width: 1, height: 1 };
			expect(await offsetFrom(image, layer, whole)).toBeLessThanOrEqual(1);
			expect(await layer.evaluate((el) => getComputedStyle(el).position)).toBe('absolute');
			// The field's shape text sits in the template's hidden div: nothing of it is seen.
			expect(await page.locator('.anki-root').innerText()).not.toContain('image-occlusion:');
			expect(await page.locator('#err').textContent()).toBe('');
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/anki-io-front-${colorScheme}.png` });

			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).waitFor();
			const revealed = page.locator('.side.back .io-answer');
			await revealed.waitFor();
			expect(await fill(revealed)).toBe('none');
			expect(await page.locator('.side.back .io-question').count()).toBe(0);
			expect(await page.locator('.side.back .io-inactive').count()).toBe(1);
			// (its outline is 2.5 px wide)
			expect(await offsetFrom(image, revealed, rect)).toBeLessThanOrEqual(2.6);
			expect(await page.locator('.extra').textContent()).toBe('the answer side');
			await page.screenshot({ path: `/tmp/anki-io-back-${colorScheme}.png` });
			// The template's "Toggle Masks" is a working button (it was left as bare text).
			const toggle = page.getByRole('button', { name: 'Toggle Masks' });
			expect(await toggle.getAttribute('aria-pressed')).toBe('true');
			expect((await toggle.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
			const masks = page.locator('.side.back svg.io-layer');
			await toggle.click();
			await expect.poll(() => masks.isVisible()).toBe(false);
			expect(await toggle.getAttribute('aria-pressed')).toBe('false');
			await toggle.click();
			await expect.poll(() => masks.isVisible()).toBe(true);

			// "Hide one, guess one": only the asked region is covered.
			await page.goto(`/study/anki-${DECKS.one.id}`);
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			await page.locator('.io-question').waitFor();
			expect(await page.locator('.io-shape').count()).toBe(1);
			expect(await page.locator('.io-inactive').count()).toBe(0);

			// The filter form draws the same masks over the same picture.
			await page.goto(`/study/anki-${DECKS.filter.id}`);
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const picture = page.getByRole('img', { name: 'Diagram of the heart' });
			await picture.waitFor();
			await expect
				.poll(() => picture.evaluate((el: HTMLImageElement) => el.naturalWidth))
				.toBe(200);
			await page.locator('.io-question').waitFor();
			expect(await offsetFrom(picture, page.locator('.io-question'), rect)).toBeLessThanOrEqual(
				2.1
			);
			expect(await page.locator('.io-inactive').count()).toBe(1);
			expect(await page.locator('.anki-root').innerText()).not.toContain('image-occlusion:');
			expect(csp).toEqual([]);
			await j.finish();
		});
	}
});

/**
 * Image Occlusion Enhanced (the add-on, before Anki had its own): each card's masks are SVG
 * pictures in the note's fields, laid over the image by the note type's CSS (`#io-overlay` is
 * absolutely positioned over `#io-original`). Its template and CSS as the add-on writes them, in
 * short; the masks here are plain SVG files of the image's size.
 */
const IOE: NotetypeSpec = {
	id: 1_820_000_000_201,
	name: 'Image Occlusion Enhanced',
	fields: [
		'ID (hidden)',
		'Header',
		'Image',
		'Question Mask',
		'Footer',
		'Remarks',
		'Sources',
		'Extra 1',
		'Extra 2',
		'Answer Mask',
		'Original Mask'
	],
	templates: [
		{
			name: 'IO Card',
			front:
				'{{#Image}}<div id="io-header">{{Header}}</div><div id="io-wrapper"><div id="io-overlay">{{Question Mask}}</div><div id="io-original">{{Image}}</div></div><div id="io-footer">{{Footer}}</div>{{/Image}}',
			back: '{{#Image}}<div id="io-header">{{Header}}</div><div id="io-wrapper"><div id="io-overlay">{{Answer Mask}}</div><div id="io-original">{{Image}}</div></div>{{#Remarks}}<div id="io-extra">{{Remarks}}</div>{{/Remarks}}{{/Image}}'
		}
	],
	css: '.card { font-family: arial; font-size: 14px; text-align: center; } #io-header { font-size: 1.1em; margin-bottom: 0.2em; } #io-wrapper { position: relative; width: 100%; } #io-overlay { position: absolute; top: 0; width: 100%; z-index: 3; } #io-original { position: relative; top: 0; width: 100%; z-index: 2; visibility: visible; } #io-original img, #io-overlay img { width: 100%; height: auto; }'
};
const svg = (body: string) =>
	new TextEncoder().encode(
		`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">${body}</svg>`
	);
const QUESTION_MASK = svg('<rect x="42" y="29" width="32" height="15" fill="#ff7e7e"/>');
const ANSWER_MASK = svg('<rect x="42" y="29" width="32" height="15" fill="none" stroke="#f00"/>');

describe('Image Occlusion Enhanced notes', () => {
	let dir: string;
	let apkg: string;
	beforeAll(async () => {
		const sql = await loadSqlJs();
		dir = mkdtempSync(join(tmpdir(), 'recall-anki-ioe-'));
		apkg = join(dir, 'Anatomy IOE.apkg');
		const deck = { id: 1_820_000_000_301, name: 'Anatomy (IOE)' };
		const collection = buildCollection(sql, {
			schema: 18,
			notetypes: [IOE],
			decks: [deck],
			notes: [
				{
					id: 41,
					mid: IOE.id,
					fields: [
						'abc-1',
						'The heart',
						'<img src="ioe-diagram.svg" alt="Diagram of the heart">',
						'<img src="abc-1-Q.svg" alt="Question mask">',
						'',
						'the answer side',
						'',
						'',
						'',
						'<img src="abc-1-A.svg" alt="Answer mask">',
						'<img src="abc-O.svg">'
					]
				}
			],
			cards: [{ id: 401, nid: 41, did: deck.id, ord: 0, due: 0 }]
		});
		writeFileSync(
			apkg,
			latestPackage(sql, collection, {
				'ioe-diagram.svg': DIAGRAM,
				'abc-1-Q.svg': QUESTION_MASK,
				'abc-1-A.svg': ANSWER_MASK
			})
		);
	}, 60_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('lays the question mask over the picture on the front and the answer mask on the back', async () => {
		const j = await startJourney();
		const { page } = j;
		const csp = watchCsp(page);
		await importPackage(page, apkg, 'Imported 1 note, 1 card, 0 reviews, 3 media files.');
		await page.goto('/study/anki-1820000000301');
		await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
		const image = page.getByRole('img', { name: 'Diagram of the heart' });
		const mask = page.getByRole('img', { name: 'Question mask' });
		for (const el of [image, mask]) {
			await expect
				.poll(() => el.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
				.toBe(200);
		}
		// The mask covers the picture exactly, above it (the note type's CSS, in the card only).
		const [a, b] = [(await image.boundingBox())!, (await mask.boundingBox())!];
		for (const k of ['x', 'y', 'width', 'height'] as const)
			expect(Math.abs(a[k] - b[k])).toBeLessThan(1);
		expect(a.width).toBeGreaterThan(250);
		const onTop = await mask.evaluate((el) => {
			const r = el.getBoundingClientRect();
			const root = el.getRootNode() as ShadowRoot | Document;
			return root.elementFromPoint(r.x + r.width * 0.25, r.y + r.height * 0.35) === el;
		});
		expect(onTop, 'the mask is above the picture').toBe(true);
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: '/tmp/anki-ioe-front.png' });

		await page.getByRole('button', { name: 'Show answer' }).click();
		const answer = page.locator('.side.back').getByRole('img', { name: 'Answer mask' });
		await answer.waitFor();
		const c = (await answer.boundingBox())!;
		const d = (await page
			.locator('.side.back')
			.getByRole('img', { name: 'Diagram of the heart' })
			.boundingBox())!;
		for (const k of ['x', 'y', 'width', 'height'] as const)
			expect(Math.abs(c[k] - d[k])).toBeLessThan(1);
		expect(
			await page.locator('.side.back').getByRole('img', { name: 'Question mask' }).count()
		).toBe(0);
		await page.screenshot({ path: '/tmp/anki-ioe-back.png' });
		expect(csp).toEqual([]);
		await j.finish();
	});
});
