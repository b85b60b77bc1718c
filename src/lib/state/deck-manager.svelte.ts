/**
 * Managing decks: the list with presets, creating decks and subdecks, renaming, choosing a
 * preset, deleting (the page asks first, with what would go), and undoing the last change.
 */
import type { Deck, Preset } from '$lib/core/model';
import { listPresets } from '$lib/storage/presets';
import { takeSnapshotOffThread } from '$lib/workers/snapshot-client';
import { undoChanges, type ChangeSet } from '$lib/storage/changes';
import { getDb, type RecallDb } from '$lib/storage/db';
import {
	createDeck,
	deleteDeck,
	deletionSummary,
	listDecks,
	renameDeck,
	setDeckPreset
} from '$lib/storage/deck-repo';
import { systemClock, type Clock } from './clock';
import { errorText } from './browse.svelte';

export class DeckManager {
	decks = $state.raw<Deck[]>([]);
	presets = $state.raw<Preset[]>([]);
	loaded = $state(false);
	busy = $state(false);
	/** For the status region. */
	message = $state('');
	#last = $state.raw<{ label: string; changes: ChangeSet } | null>(null);
	readonly #db: () => RecallDb;
	readonly #clock: Clock;

	constructor(db: () => RecallDb = getDb, clock: Clock = systemClock) {
		this.#db = db;
		this.#clock = clock;
	}

	get undoLabel(): string | null {
		return this.#last?.label ?? null;
	}

	async load(): Promise<void> {
		const db = this.#db();
		[this.decks, this.presets] = await Promise.all([listDecks(db), listPresets(db)]);
		this.loaded = true;
	}

	/** A deck named `title`, under `parentId` when given; returns it, or null (see `message`). */
	async create(title: string, parentId = '', presetId = ''): Promise<Deck | null> {
		const parent = this.decks.find((d) => d.id === parentId);
		const full = parent ? `${parent.title}::${title}` : title;
		let created: Deck | null = null;
		await this.#run(`create “${full}”`, async () => {
			const result = await createDeck(this.#db(), { title: full, presetId }, this.#clock());
			created = result.deck;
			this.message = `Created the deck “${result.deck.title}”.`;
			return result.changes;
		});
		return created;
	}

	rename = (id: string, title: string) =>
		this.#run('rename', async () => {
			const changes = await renameDeck(this.#db(), id, title);
			this.message = `Renamed to “${changes.decks[0]?.after?.title ?? title}”.`;
			return changes;
		});

	setPreset = (id: string, presetId: string) =>
		this.#run('preset change', async () => {
			const changes = await setDeckPreset(this.#db(), id, presetId);
			const name = this.presets.find((p) => p.id === presetId)?.name ?? presetId;
			this.message = `The deck now uses the preset “${name}”.`;
			return changes;
		});

	/** The sentence the confirmation shows: what a deletion removes. */
	async deletionQuestion(id: string): Promise<string> {
		const deck = this.decks.find((d) => d.id === id);
		const s = await deletionSummary(this.#db(), id);
		const subdecks = s.decks > 1 ? `, its ${s.decks - 1} subdeck${s.decks > 2 ? 's' : ''}` : '';
		const builtin =
			deck?.origin === 'builtin'
				? ' A built-in deck comes back, new, when Recall next starts.'
				: '';
		return `Delete “${deck?.title ?? id}”${subdecks}, ${s.cards} card${s.cards === 1 ? '' : 's'} and ${s.reviews} review${s.reviews === 1 ? '' : 's'}?${builtin}`;
	}

	remove = (id: string) =>
		this.#run('delete', async () => {
			await takeSnapshotOffThread(this.#db(), 'delete', this.#clock());
			const changes = await deleteDeck(this.#db(), id);
			this.message = `Deleted ${changes.decks.length === 1 ? 'the deck' : `${changes.decks.length} decks`} and ${changes.cards.length} cards.`;
			return changes;
		});

	async undo(): Promise<void> {
		const last = this.#last;
		if (!last || this.busy) return;
		this.busy = true;
		try {
			await undoChanges(this.#db(), last.changes);
			this.#last = null;
			this.message = `Undone: ${last.label}.`;
			await this.load();
		} catch (e) {
			this.message = errorText(e);
		} finally {
			this.busy = false;
		}
	}

	async #run(label: string, action: () => Promise<ChangeSet>): Promise<boolean> {
		if (this.busy) return false;
		this.busy = true;
		try {
			this.#last = { label, changes: await action() };
			await this.load();
			return true;
		} catch (e) {
			this.message = errorText(e);
			return false;
		} finally {
			this.busy = false;
		}
	}
}
