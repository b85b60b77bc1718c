/**
 * Hostile note-type CSS in real Chromium: nothing fetched from outside, nothing that binds
 * behaviour, and a card's CSS applied in its shadow root cannot restyle the page around it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizeCardCss } from './card-css';
import { cleanValue, sanitizeCardHtml } from '../card-html';

const media = (name: string) => (name === 'bg.png' ? 'blob:local/bg' : undefined);

function externalRequests(): string[] {
	return performance
		.getEntriesByType('resource')
		.map((e) => e.name)
		.filter((url) => url.includes('evil.example'));
}

let host: HTMLElement | undefined;
afterEach(() => host?.remove());

const HOSTILE: [string, string, RegExp][] = [
	['@import', '@import url(https://evil.example/a.css); .card { color: red }', /@import|evil/],
	[
		'@import as a string',
		'@import "https://evil.example/b.css"; .x { color: red }',
		/@import|evil/
	],
	['url(http://…)', '.card { background: url(http://evil.example/bg.png) }', /evil|url\(/],
	[
		'protocol-relative url()',
		'.card { background-image: url(//evil.example/p.png) }',
		/evil|url\(/
	],
	['escaped url()', '.card { background: \\75 rl(https://evil.example/e.png) }', /evil|url\(/],
	['expression()', '.card { width: expression(alert(1)) }', /expression/],
	['-moz-binding', '.card { -moz-binding: url(https://evil.example/x.xml#b) }', /binding|evil/],
	['behavior:', '.card { behavior: url(https://evil.example/x.htc) }', /behavior|evil/],
	['image-set()', '.card { background-image: image-set("https://evil.example/i.png" 1x) }', /evil/],
	['custom property url()', '.card { --bg: url(https://evil.example/v.png) }', /evil/],
	[
		'@font-face',
		'@font-face { font-family: x; src: url(https://evil.example/f.woff) }',
		/evil|font-face/
	],
	[':host', ':host { position: fixed; inset: 0 } .card { color: red }', /:host|fixed/]
];

describe('note-type CSS', () => {
	it.each(HOSTILE)('removes %s', (_name, css, bad) => {
		const clean = sanitizeCardCss(css, media);
		expect(clean).not.toMatch(bad);
		expect(clean).not.toContain('evil.example');
	});

	it('keeps ordinary rules, media queries, keyframes and resolves url() to the media store', () => {
		const clean = sanitizeCardCss(
			`.card { font-family: arial; text-align: center; color: black; background: url("bg.png") }
			 .nightMode .cloze { color: lightblue }
			 @media (max-width: 400px) { .card { font-size: 18px } }
			 @keyframes spin { from { opacity: 0 } to { opacity: 1 } }
			 .missing { background-image: url(nothere.png); color: green }`,
			media
		);
		expect(clean).toContain('text-align: center');
		expect(clean).toContain('url("blob:local/bg")');
		expect(clean).toContain('.nightMode .cloze');
		expect(clean).toMatch(/@media \(max-width: 400px\)/);
		expect(clean).toContain('@keyframes spin');
		// A picture not on the device is not requested; the rule's other declarations stay.
		expect(clean).not.toContain('nothere');
		expect(clean).toMatch(/\.missing \{ color: green/);
	});

	it('maps Anki document selectors onto the card: body → .card, html and :root → its root', () => {
		const clean = sanitizeCardCss(
			'body { margin: 0 } html, :root { color: red } body.nightMode .x { color: blue } .body { x: y }',
			media
		);
		expect(clean).toMatch(/^\.card \{ margin/);
		expect(clean).toContain('.anki-root, .anki-root {');
		expect(clean).toContain('.card.nightMode .x');
	});

	it('cannot restyle the page outside its shadow root, whatever the selector', async () => {
		const outside = document.createElement('header');
		outside.className = 'app-header';
		outside.textContent = 'Recall';
		document.body.append(outside);
		host = document.createElement('div');
		document.body.append(host);
		const shadow = host.attachShadow({ mode: 'open' });
		const sheet = new CSSStyleSheet();
		sheet.replaceSync(
			sanitizeCardCss(
				`* { color: rgb(255, 0, 0) !important } header, .app-header, body > header { display: none !important }
				 :root, html, body { background: rgb(255, 0, 0) !important }
				 :host { position: fixed !important; inset: 0 }
				 .card { color: rgb(0, 128, 0) }`,
				media
			)
		);
		shadow.adoptedStyleSheets = [sheet];
		shadow.innerHTML = '<div class="anki-root"><div class="card">inside</div></div>';
		await new Promise((r) => setTimeout(r, 20));
		expect(getComputedStyle(outside).display).toBe('block');
		expect(getComputedStyle(outside).color).not.toBe('rgb(255, 0, 0)');
		expect(getComputedStyle(document.body).backgroundColor).not.toBe('rgb(255, 0, 0)');
		expect(getComputedStyle(host).position).toBe('static');
		// Inside, the card's CSS applies (the universal rule's !important wins there, as it would in Anki).
		expect(getComputedStyle(shadow.querySelector('.card')!).color).toBe('rgb(255, 0, 0)');
		outside.remove();
		expect(externalRequests()).toEqual([]);
	});
});

describe('inline style', () => {
	it('is kept, with url() only to the media store', () => {
		const html = sanitizeCardHtml(
			'<div style="visibility: hidden; color: red">pinyin</div>' +
				'<div style="background: url(https://evil.example/s.png); color: blue">x</div>' +
				'<div style="background-image: url(bg.png)">y</div>' +
				'<div style="width: expression(alert(1)); behavior: url(x.htc)">z</div>',
			media
		);
		expect(html).toContain('style="visibility: hidden; color: red"');
		expect(html).not.toContain('evil.example');
		expect(html).toMatch(/style="[^"]*color: blue"/);
		expect(html).toContain('url(&quot;blob:local/bg&quot;)');
		expect(html).not.toMatch(/expression|behavior/);
	});

	it('never lets a value through that fetches or runs', () => {
		expect(cleanValue('url(https://evil.example/a.png)', media)).toBeNull();
		expect(cleanValue('url("bg.png") no-repeat', media)).toBe('url("blob:local/bg") no-repeat');
		expect(cleanValue('url(data:image/png;base64,AAAA)', media)).toBe(
			'url("data:image/png;base64,AAAA")'
		);
		expect(cleanValue('expression(alert(1))', media)).toBeNull();
		expect(cleanValue('red', media)).toBe('red');
	});
});
