/**
 * blob: URLs for images and sounds in the media store, for the renderers' resolver
 * (sanitizeCardHtml's `media`). The resolver is synchronous, so names are loaded ahead
 * (`ensureFor`: pictures, `[sound:…]` tags, CSS `url()`s); a name asked for that was not loaded
 * ahead is read then, and reading `resolve` inside a $derived re-runs it when a load finishes.
 * URLs are revoked on `dispose`.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { RecallDb } from '$lib/storage/db';
import { loadMedia, mediaNames } from '$lib/storage/media-repo';

export class MediaUrls {
	/** Reactive: a $derived that resolved a name before its load finished runs again after. */
	#urls = new SvelteMap<string, string>();
	#pending = new SvelteSet<string>();
	/** Names asked for and read already, found or not (not reactive: never read twice). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive
	#asked = new Set<string>();
	readonly #db: () => RecallDb;

	constructor(db: () => RecallDb) {
		this.#db = db;
	}

	/** Loads the media `html` refers to (if not loaded yet). */
	async ensureFor(...html: string[]): Promise<void> {
		const names = html.flatMap(referencedMedia).filter((n, i, all) => all.indexOf(n) === i);
		const missing = names.filter((n) => !this.#urls.has(n) && !this.#pending.has(n));
		if (missing.length === 0) return;
		for (const n of missing) {
			this.#pending.add(n);
			this.#asked.add(n);
		}
		try {
			const blobs = await loadMedia(this.#db(), missing);
			for (const [name, blob] of blobs) this.add(name, blob);
		} finally {
			for (const n of missing) this.#pending.delete(n);
		}
	}

	/** A blob just stored (a photo taken now): no need to read it back. */
	add(name: string, blob: Blob): void {
		if (this.#urls.has(name)) return;
		this.#urls.set(name, URL.createObjectURL(blob));
	}

	resolve = (name: string): string | undefined => {
		const url = this.#urls.get(name);
		if (url === undefined && !this.#asked.has(name)) {
			this.#asked.add(name);
			// Not while a $derived is running (it may not change state): just after.
			queueMicrotask(() => void this.ensureFor(`<img src="${name.replace(/"/g, '&quot;')}">`));
		}
		return url;
	};

	dispose(): void {
		for (const url of this.#urls.values()) URL.revokeObjectURL(url);
		this.#urls.clear();
	}
}

/**
 * The media names card HTML (or CSS) refers to: `src` quoted or not, Anki's `[sound:…]`, and
 * CSS `url()`s; not URLs with a scheme.
 */
export function referencedMedia(html: string): string[] {
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, not state
	const names = new Set(mediaNames(html));
	const local = (name: string) => {
		const n = name.trim();
		if (n && !/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(n)) names.add(decode(n));
	};
	for (const m of html.matchAll(/<(?:img|audio|source)\b[^>]*?\bsrc\s*=\s*([^\s"'>]+)/gi))
		local(m[1] as string);
	for (const m of html.matchAll(/\[sound:([^\]<>]+)\]/g)) names.add((m[1] as string).trim());
	for (const m of html.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) local(m[1] as string);
	return [...names];
}

function decode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}
