/**
 * blob: URLs for images in the media store, for the renderers' resolver (sanitizeCardHtml's
 * `media`). The resolver is synchronous, so names are loaded ahead (`ensureFor`); reading
 * `resolve` inside a $derived re-runs it when a load finishes. URLs are revoked on `dispose`.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { RecallDb } from '$lib/storage/db';
import { loadMedia, mediaNames } from '$lib/storage/media-repo';

export class MediaUrls {
	/** Reactive: a $derived that resolved a name before its load finished runs again after. */
	#urls = new SvelteMap<string, string>();
	#pending = new SvelteSet<string>();
	readonly #db: () => RecallDb;

	constructor(db: () => RecallDb) {
		this.#db = db;
	}

	/** Loads the media `html` refers to (if not loaded yet). */
	async ensureFor(...html: string[]): Promise<void> {
		const names = html.flatMap(mediaNames);
		const missing = names.filter((n) => !this.#urls.has(n) && !this.#pending.has(n));
		if (missing.length === 0) return;
		for (const n of missing) this.#pending.add(n);
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

	resolve = (name: string): string | undefined => this.#urls.get(name);

	dispose(): void {
		for (const url of this.#urls.values()) URL.revokeObjectURL(url);
		this.#urls.clear();
	}
}
