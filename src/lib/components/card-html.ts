/**
 * Every card is sanitized as a whole, after rendering, right before it reaches the DOM: imported
 * and edited HTML may be hostile, and only this allow-list decides what survives. Media may come
 * only from the media store (or data:/blob: URLs), so a card can never make the device fetch
 * from another host; links open outside the app without giving it a handle on Recall.
 *
 * Inline `style` is kept, declaration by declaration (`cleanDeclarations`): a `url()` only to a
 * file of the media store (rewritten to its blob: URL) or a data: image, nothing that binds
 * behaviour (`behavior`, `-moz-binding`, `expression()`). What the card's own styles can do to
 * the screen around it is bounded by its frame (`contain: paint` in CardPreview, the shadow root
 * of imported Anki cards).
 */
import DOMPurify from 'dompurify';
import { resolveMediaSrc } from '$lib/core/render/stored';

/** Resolves a media file name from a card to a blob: URL from the media store. */
export type MediaResolver = (name: string) => string | undefined;

const FORBID_TAGS = [
	'style',
	'link',
	'meta',
	'base',
	'form',
	'input',
	'button',
	'textarea',
	'select',
	'iframe',
	'frame',
	'object',
	'embed',
	'template',
	'noscript'
];

const MEDIA_ATTRS = new Set(['src', 'poster']);
/** A URL with a scheme or protocol-relative: anything that is not a local media name. */
const REMOTE = /^\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const LOCAL_DATA = /^\s*(?:data:(?:image|audio|video)\/|blob:)/i;

/** Properties that run code or bind behaviour in some browser, dropped whatever their value. */
const BEHAVIOUR = /^(?:behavior|-moz-binding|binding|-ms-behavior)$/i;
/** Values that run code (old IE, old Firefox) or fetch through a URL that is not a url(). */
const BAD_VALUE = /expression\s*\(|javascript:|vbscript:|image-set\s*\(|\bsrc\s*\(|@import/i;
const URL_FN = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)/gi;

/**
 * One declaration's value with its url()s resolved to the media store, or null to drop it:
 * a url() that is not a media file on this device (or a data: image, or a `#fragment`) is never
 * fetched.
 */
export function cleanValue(value: string, media?: MediaResolver): string | null {
	if (BAD_VALUE.test(value)) return null;
	if (!/url\(/i.test(value)) return value;
	let ok = true;
	const out = value.replace(URL_FN, (_m, dq?: string, sq?: string, bare?: string) => {
		const raw = (dq ?? sq ?? bare ?? '').replace(/\\(.)/g, '$1').trim();
		if (/^data:image\//i.test(raw) || raw.startsWith('#'))
			return `url("${raw.replace(/"/g, '%22')}")`;
		if (REMOTE.test(raw) || raw.startsWith('/') || raw === '') {
			ok = false;
			return '';
		}
		let name = raw;
		try {
			name = decodeURIComponent(raw);
		} catch {
			// a literal % in a file name
		}
		const url = media?.(name);
		if (!url) {
			ok = false;
			return '';
		}
		return `url("${url}")`;
	});
	// A url( the pattern did not understand is not let through.
	if (!ok || /url\(\s*(?!"(?:blob:|data:image\/|#))/i.test(out)) return null;
	return out;
}

/** A declaration block (parsed by the browser) as safe `prop: value` text. */
export function cleanDeclarations(style: CSSStyleDeclaration, media?: MediaResolver): string {
	const out: string[] = [];
	for (let i = 0; i < style.length; i++) {
		const prop = style.item(i);
		if (BEHAVIOUR.test(prop)) continue;
		const value = cleanValue(style.getPropertyValue(prop), media);
		if (value === null) continue;
		const important = style.getPropertyPriority(prop) ? ' !important' : '';
		out.push(`${prop}: ${value}${important}`);
	}
	return out.join('; ');
}

let probe: HTMLElement | undefined;
/** An inline `style` attribute, parsed by the browser on a detached element (nothing loads). */
function cleanStyleAttr(value: string, media?: MediaResolver): string {
	probe ??= document.createElement('div');
	probe.setAttribute('style', value);
	const clean = cleanDeclarations(probe.style, media);
	probe.removeAttribute('style');
	return clean;
}

/** The call being sanitized: DOMPurify's hooks are global, the resolver is per call. */
let current: { media?: MediaResolver; styles?: string[] } = {};

let hooked = false;
function installHooks(): void {
	if (hooked) return;
	hooked = true;
	DOMPurify.addHook('uponSanitizeElement', (node, data) => {
		// An Anki template's own <style>: handed to the caller (scoped to the card), not kept.
		if (data.tagName === 'style' && current.styles) current.styles.push(node.textContent ?? '');
	});
	DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
		if (
			MEDIA_ATTRS.has(data.attrName) &&
			REMOTE.test(data.attrValue) &&
			!LOCAL_DATA.test(data.attrValue)
		) {
			data.keepAttr = false;
		} else if (data.attrName === 'style') {
			const clean = cleanStyleAttr(data.attrValue, current.media);
			if (clean) data.attrValue = clean;
			else data.keepAttr = false;
		}
	});
	DOMPurify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A' && node.hasAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		}
	});
}

/** Inline event handlers, removed from the text before any parser sees them. */
const HANDLERS = /(<[^>]*?\s)on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

export interface SanitizeOptions {
	/** Collects the text of `<style>` elements (which are removed from the HTML either way). */
	styles?: string[];
}

export function sanitizeCardHtml(
	html: string,
	media?: MediaResolver,
	options: SanitizeOptions = {}
): string {
	installHooks();
	// Strip on…= handlers first (repeatedly: one tag may have several), so no parse of the card
	// can ever see one. DOMPurify removes them too; this is the first line.
	let text = html;
	for (let before = ''; before !== text;) {
		before = text;
		text = text.replace(HANDLERS, '$1');
	}
	current = { media, styles: options.styles };
	let clean: string;
	try {
		clean = DOMPurify.sanitize(text, {
			USE_PROFILES: { html: true },
			FORBID_TAGS,
			FORBID_ATTR: ['srcset', 'action', 'formaction', 'ping', 'background'],
			ALLOW_DATA_ATTR: false
		});
	} finally {
		current = {};
	}
	// The same last step as stored card HTML takes (core/render/stored.ts).
	return resolveMediaSrc(clean, media);
}
