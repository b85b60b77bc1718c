/**
 * Every card is sanitized as a whole, after rendering, right before it reaches the DOM: imported
 * and edited HTML may be hostile, and only this allow-list decides what survives. Media may come
 * only from the media store (or data:/blob: URLs), so a card can never make the device fetch
 * from another host; links open outside the app without giving it a handle on Recall.
 */
import DOMPurify from 'dompurify';

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

let hooked = false;
function installHooks(): void {
	if (hooked) return;
	hooked = true;
	DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
		if (
			MEDIA_ATTRS.has(data.attrName) &&
			REMOTE.test(data.attrValue) &&
			!LOCAL_DATA.test(data.attrValue)
		) {
			data.keepAttr = false;
		}
	});
	DOMPurify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A' && node.hasAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		}
	});
}

export function sanitizeCardHtml(html: string, media?: MediaResolver): string {
	installHooks();
	const clean = DOMPurify.sanitize(html, {
		USE_PROFILES: { html: true },
		FORBID_TAGS,
		FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'ping', 'background'],
		ALLOW_DATA_ATTR: false
	});
	if (!media || !clean.includes('src=')) return clean;
	return clean.replace(
		/(<(?:img|audio|video|source)\b[^>]*\bsrc=")([^"]+)(")/g,
		(m, pre: string, src: string, post: string) => {
			let name = src;
			try {
				name = decodeURIComponent(src);
			} catch {
				// a literal % in a file name
			}
			const url = media(name.replace(/&amp;/g, '&'));
			return url ? `${pre}${url}${post}` : m;
		}
	);
}
