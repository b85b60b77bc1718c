/**
 * A note type's CSS (and the `<style>` elements of its templates), made safe to apply to its
 * card. The browser parses it (a constructed CSSStyleSheet: it never loads anything, and refuses
 * `@import`), then only an allow-list of rules is written back, declaration by declaration
 * through the same checks as inline `style` (card-html.ts `cleanDeclarations`): `url()` only to a
 * file of the media store, no `@import`, no external URL, no `expression()`, `behavior` or
 * `-moz-binding`.
 *
 * Scoping is not done here: the result goes into the shadow root of the card (AnkiCard.svelte),
 * so no selector can match the app. Only selectors that reach out of the shadow tree are dropped
 * (`:host`, `:host-context`, `::slotted`, `::part`), and Anki's document selectors (`html`,
 * `body`, `:root`) are mapped onto the card's own root and `.card` element, where Anki has them.
 */
import { cleanDeclarations, type MediaResolver } from '../card-html';

const OUTSIDE = /:host|::slotted|::part/i;

/** `html`/`:root` → the card's root, `body` → `.card`, outside strings and brackets. */
function mapSelector(selector: string): string {
	let out = '';
	let depth = 0;
	let quote = '';
	for (let i = 0; i < selector.length; i++) {
		const c = selector[i] as string;
		if (quote) {
			out += c;
			if (c === '\\') out += selector[++i] ?? '';
			else if (c === quote) quote = '';
			continue;
		}
		if (c === '"' || c === "'") quote = c;
		else if (c === '[') depth++;
		else if (c === ']') depth--;
		const prev = out.at(-1) ?? ' ';
		if (depth === 0 && /[\s>+~,(]/.test(prev)) {
			const rest = selector.slice(i);
			const m = /^(html|body|:root)(?![\w-])/i.exec(rest);
			if (m) {
				out += m[1]?.toLowerCase() === 'body' ? '.card' : '.anki-root';
				i += (m[1] as string).length - 1;
				continue;
			}
		}
		out += c;
	}
	return out;
}

function cleanRules(rules: CSSRuleList, media: MediaResolver | undefined, out: string[]): void {
	for (const rule of Array.from(rules)) {
		if (rule instanceof CSSStyleRule) {
			if (OUTSIDE.test(rule.selectorText)) continue;
			const inner: string[] = [];
			// CSS nesting: a style rule's own nested rules.
			if (rule.cssRules?.length) cleanRules(rule.cssRules, media, inner);
			const body = cleanDeclarations(rule.style, media);
			if (body || inner.length)
				out.push(
					`${mapSelector(rule.selectorText)} { ${body}${body ? ';' : ''} ${inner.join(' ')} }`
				);
		} else if (rule instanceof CSSMediaRule) {
			group(`@media ${rule.media.mediaText}`, rule.cssRules, media, out);
		} else if (rule instanceof CSSSupportsRule) {
			if (!OUTSIDE.test(rule.conditionText))
				group(`@supports ${rule.conditionText}`, rule.cssRules, media, out);
		} else if (typeof CSSContainerRule !== 'undefined' && rule instanceof CSSContainerRule) {
			group(`@container ${rule.conditionText}`, rule.cssRules, media, out);
		} else if (typeof CSSLayerBlockRule !== 'undefined' && rule instanceof CSSLayerBlockRule) {
			group(`@layer ${rule.name}`, rule.cssRules, media, out);
		} else if (rule instanceof CSSKeyframesRule) {
			const frames = Array.from(rule.cssRules)
				.filter((f): f is CSSKeyframeRule => f instanceof CSSKeyframeRule)
				.map((f) => `${f.keyText} { ${cleanDeclarations(f.style, media)} }`);
			if (/^[\w-]+$/.test(rule.name)) out.push(`@keyframes ${rule.name} { ${frames.join(' ')} }`);
		}
		// Anything else (@import, @font-face — fonts may only come from the app under the CSP —,
		// @namespace, @page, @property, @counter-style, unknown rules) is left out.
	}
}

function group(
	prelude: string,
	rules: CSSRuleList,
	media: MediaResolver | undefined,
	out: string[]
) {
	if (/[{};]/.test(prelude)) return;
	const inner: string[] = [];
	cleanRules(rules, media, inner);
	if (inner.length) out.push(`${prelude} { ${inner.join(' ')} }`);
}

/** The CSS text, cleaned; the empty string for CSS the browser cannot parse at all. */
export function sanitizeCardCss(css: string, media?: MediaResolver): string {
	const sheet = new CSSStyleSheet();
	// @import is refused by constructed sheets anyway; removing it first spares a console warning.
	sheet.replaceSync(css.replace(/@import\b[^;]*;?/gi, ''));
	const out: string[] = [];
	cleanRules(sheet.cssRules, media, out);
	return out.join('\n');
}
