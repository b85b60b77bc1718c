/**
 * One card's info panel: its note, deck, memory state now (retrievability, stability,
 * difficulty) and review history, read in one transaction; and the images its note shows.
 */
import { memorySummary, type MemorySummary } from '$lib/core/scheduling/explain';
import type { RecallDb } from '$lib/storage/db';
import { cardDetails, type CardDetails } from '$lib/storage/note-repo';
import { systemClock, type Clock } from './clock';
import { MediaUrls } from './media-urls.svelte';

export class CardInfo {
	status = $state<'loading' | 'ready' | 'missing' | 'error'>('loading');
	details = $state.raw<CardDetails | null>(null);
	/** Why the card could not be read, in words for the user. */
	error = $state('');
	/** When the memory state was computed. */
	at = $state(0);
	memory = $derived<MemorySummary | null>(
		this.details ? memorySummary(this.details.card, this.at, this.details.preset) : null
	);
	readonly media: MediaUrls;
	readonly cardId: string;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;

	constructor(db: () => RecallDb, cardId: string, clock: Clock = systemClock) {
		this.#db = db;
		this.cardId = cardId;
		this.#clock = clock;
		this.media = new MediaUrls(db);
	}

	async load(): Promise<void> {
		try {
			const details = await cardDetails(this.#db(), this.cardId);
			this.at = this.#clock();
			this.details = details;
			this.status = details ? 'ready' : 'missing';
			if (details) await this.media.ensureFor(...Object.values(details.note.fields));
		} catch (e) {
			console.warn('Card info: reading the card failed', e);
			this.error =
				'The browser’s storage did not answer. Close this card and open it again, or reload the page.';
			this.status = 'error';
		}
	}
}
