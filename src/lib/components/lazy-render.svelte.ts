/**
 * The Markdown renderer (marked) and the card sanitizer (DOMPurify), loaded on demand: a card
 * whose HTML was stored when its note was written (core/render/stored.ts) needs neither, so the
 * study screen of the built-in decks never downloads them. Reading `render` or `sanitize` in a
 * $derived re-runs it once the module has loaded.
 */
import type { renderCard } from '$lib/core/render/card';
import type { sanitizeCardHtml } from './card-html';

class LazyRender {
	render = $state.raw<typeof renderCard | null>(null);
	sanitize = $state.raw<typeof sanitizeCardHtml | null>(null);
	#rendering: Promise<unknown> | undefined;
	#sanitizing: Promise<unknown> | undefined;

	/** Starts loading the renderer (once); safe to call from a $derived. */
	loadRenderer(): void {
		if (this.#rendering) return;
		this.#rendering = import('$lib/core/render/card').then((m) => {
			this.render = m.renderCard;
		});
	}

	/** The sanitizer, from a screen that imports it anyway (card-html.ts calls this). */
	provideSanitizer(sanitize: typeof sanitizeCardHtml): void {
		this.sanitize = sanitize;
		this.#sanitizing ??= Promise.resolve();
	}

	/** Starts loading the sanitizer (once); safe to call from a $derived. */
	loadSanitizer(): void {
		if (this.#sanitizing) return;
		this.#sanitizing = import('./card-html').then((m) => {
			this.sanitize = m.sanitizeCardHtml;
		});
	}
}

export const lazyRender = new LazyRender();
