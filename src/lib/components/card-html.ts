/**
 * Every card is sanitized as a whole, after rendering, right before it reaches the DOM: imported
 * and edited HTML may be hostile, and only this allow-list decides what survives.
 */
import DOMPurify from 'dompurify';

const FORBID_TAGS = [
	'style',
	'form',
	'input',
	'button',
	'textarea',
	'select',
	'iframe',
	'object',
	'embed',
	'base',
	'meta',
	'link'
];

/** Resolves `src` of media to blob URLs from the media store, when a resolver is given. */
export type MediaResolver = (name: string) => string | undefined;

export function sanitizeCardHtml(html: string, media?: MediaResolver): string {
	const clean = DOMPurify.sanitize(html, {
		USE_PROFILES: { html: true },
		FORBID_TAGS,
		FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
		ALLOW_DATA_ATTR: false,
		RETURN_TRUSTED_TYPE: false
	});
	if (!media || !clean.includes('src=')) return clean;
	return clean.replace(
		/(<(?:img|audio|source)\b[^>]*\bsrc=")([^"]+)(")/g,
		(m, pre: string, src: string, post: string) => {
			const url = media(decodeURIComponent(src));
			return url ? `${pre}${url}${post}` : m;
		}
	);
}
