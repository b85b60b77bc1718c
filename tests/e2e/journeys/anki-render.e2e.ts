/**
 * Issue 17: imported Anki cards look, sound and behave as in Anki. One current-format package
 * (zstd, schema 18, media framed as Anki frames them: no content size, 2 MiB window — and more
 * than 500 media files, which used to be refused) is built here with the importer's factories,
 * imported through the real /import page of the production build on a phone, then studied:
 * what is visible on the question and on the answer is asserted from computed styles.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SqlJsStatic } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.js';
import {
	buildCollection,
	latestPackage,
	type NotetypeSpec
} from '../../../src/lib/core/import/testing/anki-fixtures';
import { loadSqlJs } from '../../../src/lib/core/import/testing/node-sql';
import { zstdStreamed } from '../../../src/lib/core/import/testing/zstd-frames';
import { axeViolations } from '../axe';
import { watchCsp } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';

/** A short WAV of silence: a sound Chromium can really play. */
function wav(seconds = 0.4, rate = 8000): Uint8Array {
	const n = Math.round(seconds * rate);
	const out = new Uint8Array(44 + n);
	const view = new DataView(out.buffer);
	const text = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
	text(0, 'RIFF');
	view.setUint32(4, 36 + n, true);
	text(8, 'WAVEfmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, rate, true);
	view.setUint32(28, rate, true);
	view.setUint16(32, 1, true);
	view.setUint16(34, 8, true);
	text(36, 'data');
	view.setUint32(40, n, true);
	out.fill(128, 44);
	return out;
}

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
	atob(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
	),
	(c) => c.charCodeAt(0)
);

const DECKS = {
	chinese: { id: 1_800_000_000_001, name: 'Chinese words' },
	hints: { id: 1_800_000_000_002, name: 'With hints' },
	audio: { id: 1_800_000_000_003, name: 'Audio' },
	hostile: { id: 1_800_000_000_004, name: 'Hostile styles' },
	farsi: { id: 1_800_000_000_005, name: 'Farsi' },
	typing: { id: 1_800_000_000_006, name: 'Typing' }
};

const CHINESE: NotetypeSpec = {
	id: 1_800_000_000_101,
	name: 'Chinese (hidden pinyin)',
	fields: ['Hanzi', 'Pinyin', 'Meaning'],
	templates: [
		{
			name: 'Recognition',
			front:
				'<div class="q" onclick="document.title=1"><div class="hanzi">{{Hanzi}}</div><div class="pinyin">{{Pinyin}}</div><div class="meaning" style="visibility: hidden">{{Meaning}}</div></div>',
			back: '<div class="a">{{FrontSide}}</div>{{#Meaning}}<p class="has-meaning">ok</p>{{/Meaning}}{{^Meaning}}<p class="no-meaning">none</p>{{/Meaning}}'
		}
	],
	css: `.card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }
.pinyin { visibility: hidden; }
.a .pinyin, .a .meaning { visibility: visible !important; }
.card1 .hanzi { font-size: 40px; }
.nightMode .hanzi { color: rgb(255, 200, 0); }`
};
const HINTS: NotetypeSpec = {
	id: 1_800_000_000_102,
	name: 'Basic (with hints)',
	fields: ['Front', 'Back', 'Hint'],
	templates: [
		{
			name: 'Card 1',
			front: '{{Front}}<br>{{hint:Hint}}',
			back: '{{FrontSide}}<hr id=answer>{{Back}}'
		}
	],
	css: '.card { text-align: center; }'
};
const AUDIO: NotetypeSpec = {
	id: 1_800_000_000_103,
	name: 'Listening',
	fields: ['Word', 'Sound', 'Answer'],
	templates: [
		{
			name: 'Card 1',
			front: '{{Word}} {{Sound}} {{tts en_US:Word}}',
			back: '{{FrontSide}}<hr id=answer>{{Answer}}'
		}
	],
	css: '.card { text-align: center; }'
};
const HOSTILE: NotetypeSpec = {
	id: 1_800_000_000_104,
	name: 'Hostile',
	fields: ['Front', 'Back'],
	templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' }],
	css: `@import url(https://evil.example/x.css);
header, h1, a, button, .bar, .top, .status { display: none !important; visibility: hidden !important; }
* { color: rgb(255, 0, 0) !important; font-size: 5px !important; }
html, body, :root { background: rgb(255, 0, 0) !important; }
:host { position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; }
.card { position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; z-index: 2147483647; background: url(http://evil.example/bg.png) red; behavior: url(x.htc); -moz-binding: url(x.xml#b); }`
};
const FARSI: NotetypeSpec = {
	id: 1_800_000_000_105,
	name: 'Farsi',
	fields: ['Word', 'Meaning'],
	templates: [
		{ name: 'Card 1', front: '{{Word}}', back: '{{FrontSide}}<hr id=answer>{{Meaning}}' }
	],
	css: '.card { text-align: start; }'
};

/** As the real deck: the box on the front, and a back that is only {{FrontSide}}. */
const TYPING: NotetypeSpec = {
	id: 1_800_000_000_106,
	name: 'Type the word',
	fields: ['Front', 'Back'],
	templates: [{ name: 'Card 1', front: '{{Front}}<br>{{type:Back}}', back: '{{FrontSide}}' }],
	css: '.card { text-align: center; }'
};

function buildPackage(sql: SqlJsStatic): Uint8Array {
	const notes = [
		{ id: 11, mid: CHINESE.id, fields: ['你好<img src=pic.png alt=picture>', 'nǐ hǎo', 'hello'] },
		{ id: 12, mid: HINTS.id, fields: ['Capital of France?', 'Paris', 'City of light'] },
		{
			id: 13,
			mid: AUDIO.id,
			fields: ['hello', '[sound:hello.wav]', 'greeting [sound:answer.wav]']
		},
		{ id: 14, mid: HOSTILE.id, fields: ['plain question', 'plain answer'] },
		{ id: 15, mid: FARSI.id, fields: ['سلام دوست من', 'hello my friend'] },
		{ id: 16, mid: TYPING.id, fields: ['Haus', 'house'] }
	];
	const deckOf = [
		DECKS.chinese,
		DECKS.hints,
		DECKS.audio,
		DECKS.hostile,
		DECKS.farsi,
		DECKS.typing
	];
	const collection = buildCollection(sql, {
		schema: 18,
		notetypes: [CHINESE, HINTS, AUDIO, HOSTILE, FARSI, TYPING],
		decks: Object.values(DECKS),
		notes,
		cards: notes.map((n, i) => ({ id: 100 + i, nid: n.id, did: deckOf[i]!.id }))
	});
	// The two sounds, and 520 more files as a real audio deck has: framed as Anki frames them,
	// the package's size bound once charged 2 MiB each and refused the whole package.
	const media: Record<string, Uint8Array> = {
		'hello.wav': wav(),
		'answer.wav': wav(),
		'pic.png': PNG
	};
	for (let i = 0; i < 520; i++) media[`extra-${i}.mp3`] = new Uint8Array(64).fill(i % 256);
	return latestPackage(sql, collection, media, 3, (data) => zstdStreamed(data));
}

const studyUrl = (deck: { id: number }) => `/study/anki-${deck.id}`;

async function importPackage(page: Page, path: string): Promise<void> {
	await page.goto('/import');
	await page.locator('input[type="file"]').setInputFiles(path);
	await expect
		.poll(() => page.locator('[role="status"]').first().textContent(), { timeout: 60_000 })
		.toMatch(/Imported 6 notes, 6 cards, 0 reviews, 523 media files/);
}

/** Computed visibility of the first element matching `selector` (shadow roots pierced). */
const visibility = (page: Page, selector: string) =>
	page
		.locator(selector)
		.first()
		.evaluate((el) => {
			const s = getComputedStyle(el);
			const r = el.getBoundingClientRect();
			return s.visibility === 'visible' && s.display !== 'none' && r.width > 0 && r.height > 0;
		});

describe('imported Anki cards render as in Anki', () => {
	let browser: Browser;
	let dir: string;
	let apkg: string;

	beforeAll(async () => {
		browser = await chromium.launch({
			executablePath: chromiumPath(),
			args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'],
			headless: true
		});
		dir = mkdtempSync(join(tmpdir(), 'recall-anki-render-'));
		apkg = join(dir, 'Shared deck.apkg');
		writeFileSync(apkg, buildPackage(await loadSqlJs()));
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	for (const colorScheme of ['light', 'dark'] as const) {
		it(`hides what the note type's CSS hides on the question, shows it on the answer (${colorScheme})`, async () => {
			const j = await startJourney({ browser, colorScheme });
			const { page } = j;
			const csp = watchCsp(page);
			// Pictures come from the media store only: never first asked of the server (a 404).
			const asked: string[] = [];
			page.on('request', (r) => {
				if (r.url().includes('pic.png')) asked.push(r.url());
			});
			await importPackage(page, apkg);
			await page.goto(studyUrl(DECKS.chinese));
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			await page.locator('.hanzi').waitFor();
			expect(await visibility(page, '.hanzi')).toBe(true);
			expect(await page.getByRole('img', { name: 'picture' }).getAttribute('src')).toMatch(
				/^blob:/
			);
			expect(asked, 'no request for the picture by name').toEqual([]);
			// The template's onclick is gone before anything parsed it (no CSP report, below).
			expect(await page.locator('.q').getAttribute('onclick')).toBeNull();
			expect(await visibility(page, '.pinyin'), 'pinyin hidden on the question').toBe(false);
			expect(await visibility(page, '.meaning'), 'inline style kept: meaning hidden').toBe(false);
			// card1, .card and .nightMode behave as in Anki.
			const hanzi = await page.locator('.hanzi').evaluate((el) => ({
				size: getComputedStyle(el).fontSize,
				color: getComputedStyle(el).color
			}));
			expect(hanzi.size).toBe('40px');
			if (colorScheme === 'dark') expect(hanzi.color).toBe('rgb(255, 200, 0)');
			const card = await page
				.locator('.anki-root > .card')
				.evaluate((el) => ({ cls: el.className, bg: getComputedStyle(el).backgroundColor }));
			expect(card.cls).toContain('card1');
			if (colorScheme === 'dark') {
				expect(card.cls).toContain('nightMode');
				expect(card.cls).toContain('night_mode');
				expect(card.bg, 'a black-on-white note type turns dark in night mode').not.toBe(
					'rgb(255, 255, 255)'
				);
			} else expect(card.bg).toBe('rgb(255, 255, 255)');
			expect(await axeViolations(page)).toEqual([]);
			await expectNoHorizontalOverflow(page);
			await page.screenshot({ path: `/tmp/anki-chinese-front-${colorScheme}.png` });

			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).waitFor();
			expect(await visibility(page, '.a .pinyin'), 'pinyin shown on the answer').toBe(true);
			expect(await visibility(page, '.a .meaning')).toBe(true);
			expect(await page.locator('.has-meaning').count()).toBe(1);
			expect(await page.locator('.no-meaning').count()).toBe(0);
			await page.screenshot({ path: `/tmp/anki-chinese-back-${colorScheme}.png` });
			expect(csp).toEqual([]);
			await j.finish();
		});
	}

	it('makes {{hint:}} a button that shows the hint and does not reveal the answer', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await importPackage(page, apkg);
		await page.goto(studyUrl(DECKS.hints));
		const hint = page.getByRole('button', { name: 'Show Hint' });
		await hint.waitFor({ timeout: 20_000 });
		expect(await page.getByText('City of light').isVisible()).toBe(false);
		const box = await hint.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(48);
		await hint.click();
		await page.getByText('City of light').waitFor({ state: 'visible' });
		expect(await axeViolations(page)).toEqual([]);
		// The tap was the hint's: the answer is still hidden.
		expect(await page.getByRole('button', { name: 'Show answer' }).count()).toBe(1);
		expect(await page.getByText('Paris').count()).toBe(0);
		await page.screenshot({ path: '/tmp/anki-hint.png' });
		await j.finish();
	});

	it('plays the question sound on show, the answer sound on reveal, with replay buttons', async () => {
		const j = await startJourney({ browser, colorScheme: 'dark' });
		const { page } = j;
		await importPackage(page, apkg);
		await page.goto(studyUrl(DECKS.audio));
		const replay = page.getByRole('button', { name: 'Play sound hello.wav' });
		await replay.waitFor({ timeout: 20_000 });
		const sound = page.locator('audio.anki-sound').first();
		expect(await sound.getAttribute('src')).toMatch(/^blob:/);
		// Autoplay on the question: it has played (or is playing).
		await expect
			.poll(() => sound.evaluate((a: HTMLAudioElement) => a.played.length > 0 || !a.paused))
			.toBe(true);
		expect(await sound.evaluate((a: HTMLAudioElement) => a.play().then(() => 'played'))).toBe(
			'played'
		);
		// Text-to-speech: this headless browser has no voice, so its button says why it cannot speak.
		const tts = page.getByRole('button', { name: /^Speak the text/ });
		if (await tts.isDisabled())
			expect(await tts.getAttribute('aria-label')).toContain('no text-to-speech voice for en-US');
		expect(await page.getByText('hello', { exact: true }).count()).toBeGreaterThan(0);

		await page.getByRole('button', { name: 'Show answer' }).click();
		const answer = page.locator('audio.anki-sound.anki-a');
		await answer.waitFor({ state: 'attached' });
		expect(await answer.getAttribute('src')).toMatch(/^blob:/);
		await expect
			.poll(() => answer.evaluate((a: HTMLAudioElement) => a.played.length > 0 || !a.paused))
			.toBe(true);
		// R replays (the question's sound first, as Anki).
		const question = page.locator('audio.anki-sound.anki-q');
		await question.evaluate((a: HTMLAudioElement) => {
			a.pause();
			a.currentTime = 0;
		});
		await page.keyboard.press('r');
		await expect
			.poll(() => question.evaluate((a: HTMLAudioElement) => !a.paused || a.ended))
			.toBe(true);
		expect(await page.getByRole('button', { name: 'Play sound answer.wav' }).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: '/tmp/anki-audio-back.png' });
		await j.finish();
	});

	it("leaves the app's header and buttons as they are under a hostile note type's CSS", async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		const csp = watchCsp(page);
		const requests: string[] = [];
		page.on('request', (r) => {
			if (r.url().includes('evil.example')) requests.push(r.url());
		});
		await importPackage(page, apkg);
		const look = () =>
			page.evaluate(() => {
				const pick = (el: Element | null) => {
					if (!el) return null;
					const s = getComputedStyle(el);
					const r = el.getBoundingClientRect();
					return [
						s.display,
						s.visibility,
						s.color,
						s.fontSize,
						s.backgroundColor,
						Math.round(r.top),
						Math.round(r.height)
					].join('|');
				};
				const button = [...document.querySelectorAll('button')].find((b) =>
					b.textContent?.includes('Show answer')
				);
				const r = button!.getBoundingClientRect();
				const atButton = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				return {
					back: pick(document.querySelector('.back-link')),
					title: pick(document.querySelector('h1')),
					button: pick(button ?? null),
					body: getComputedStyle(document.body).backgroundColor,
					buttonOnTop: atButton === button || button!.contains(atButton)
				};
			});
		// The same screen for a harmless Anki card…
		await page.goto(studyUrl(DECKS.farsi));
		await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
		await page.locator('.anki-root').waitFor();
		const before = await look();
		// …and for the hostile one.
		await page.goto(studyUrl(DECKS.hostile));
		await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
		await page.getByText('plain question').waitFor();
		const after = await look();
		expect(after.buttonOnTop, 'nothing covers Show answer').toBe(true);
		expect({ ...after, title: null }).toEqual({ ...before, title: null });
		expect(after.title?.split('|').slice(0, 5)).toEqual(before.title?.split('|').slice(0, 5));
		await page.screenshot({ path: '/tmp/anki-hostile.png' });
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		expect(requests).toEqual([]);
		expect(csp).toEqual([]);
		await j.finish();
	});

	it('renders a right-to-left field right-to-left', async () => {
		const j = await startJourney({ browser, colorScheme: 'dark' });
		const { page } = j;
		await importPackage(page, apkg);
		await page.goto(studyUrl(DECKS.farsi));
		const word = page.locator('span[dir="auto"]').first();
		await word.waitFor({ timeout: 20_000 });
		expect(await word.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
		expect(await word.textContent()).toBe('سلام دوست من');
		await page.screenshot({ path: '/tmp/anki-farsi-dark.png' });
		await j.finish();
	});

	it('takes a typed answer on the front and compares it on the back, as Anki', async () => {
		const j = await startJourney({ browser, colorScheme: 'dark' });
		const { page } = j;
		await importPackage(page, apkg);
		await page.goto(studyUrl(DECKS.typing));
		const box = page.getByRole('textbox', { name: 'Type the answer' });
		await box.waitFor({ timeout: 20_000 });
		expect(
			await box.evaluate(
				(el) =>
					el.getRootNode() instanceof ShadowRoot &&
					(el.getRootNode() as ShadowRoot).activeElement === el
			)
		).toBe(true);
		expect(await page.getByText('house').count(), 'no answer on the question').toBe(0);
		// "s" and "b" are study shortcuts (suspend, bury): in the box they are letters.
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: '/tmp/anki-typing-front-dark.png' });
		await box.pressSequentially('hose bs');
		expect(await box.inputValue()).toBe('hose bs');
		await box.press('Enter');
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		const result = page.locator('.typeans-result');
		expect(await result.locator('.typeGood').first().textContent()).toBe('hose');
		expect(await result.locator('.typeBad').count()).toBeGreaterThan(0);
		expect(await result.locator('.typeMissed').first().textContent()).toBe('u');
		expect(await result.textContent()).toContain('house');
		expect(await visibility(page, '.typeans-result')).toBe(true);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: '/tmp/anki-typing-back.png' });
		await j.finish();
	});

	it('keeps the grade buttons above the keyboard while typing (layout resizes)', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await importPackage(page, apkg);
		await page.goto(studyUrl(DECKS.typing));
		const box = page.getByRole('textbox', { name: 'Type the answer' });
		await box.waitFor({ timeout: 20_000 });
		expect(
			await page.evaluate(() =>
				document.querySelector('meta[name="viewport"]')?.getAttribute('content')
			)
		).toContain('interactive-widget=resizes-content');
		// A keyboard taking 300 px: the layout viewport shrinks, Show answer stays in view.
		await page.setViewportSize({ width: 360, height: 440 });
		await box.click();
		const show = await page.getByRole('button', { name: 'Show answer' }).boundingBox();
		expect(show!.y + show!.height).toBeLessThanOrEqual(440);
		await page.screenshot({ path: '/tmp/anki-typing-keyboard.png' });
		await j.finish();
	});
});
