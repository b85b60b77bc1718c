/**
 * The card browser: the search typed and the rows it found, their sort, the selection, bulk
 * actions on it (each one transaction in storage/bulk-actions) and undo of the last one.
 * Rows are plain objects kept raw: 100 000 of them must not become deep proxies.
 */
import type { Deck, Note, NoteModel } from '$lib/core/model';
import { nextStudyDayStart } from '$lib/core/scheduling/day';
import {
	parseSearch,
	SearchSyntaxError,
	sortRows,
	type BrowseRow,
	type SortColumn,
	type SortOrder
} from '$lib/core/search';
import { searchCards } from '$lib/storage/browse-repo';
import { takeSnapshot } from '$lib/storage/snapshots';
import * as bulk from '$lib/storage/bulk-actions';
import { undoChanges, type ChangeSet } from '$lib/storage/changes';
import { getDb, type RecallDb } from '$lib/storage/db';
import { listDecks } from '$lib/storage/deck-repo';
import { getPreset } from '$lib/storage/presets';
import { CardInfo } from './card-info.svelte';
import { deviceTimeZone, systemClock, type Clock } from './clock';
import { NoteDraft } from './note-draft.svelte';
import { NOTHING, selectionOf, within, withIds, type Selection } from './selection';

export type BrowseStatus = 'idle' | 'searching' | 'ready' | 'error';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export class BrowseState {
	/** What is in the search box. */
	query = $state('');
	/** The search the rows are for (what "Study these" studies). */
	searched = $state('');
	/** When it ran: due dates and recall in the rows are as of then. */
	searchedAt = $state(0);
	status = $state<BrowseStatus>('idle');
	syntaxError = $state.raw<SearchSyntaxError | null>(null);
	sort = $state<SortOrder>({ column: 'due', descending: false });
	#found = $state.raw<BrowseRow[]>([]);
	rows = $derived(sortRows(this.#found, this.sort));
	selected = $state.raw<Selection>(NOTHING);
	decks = $state.raw<Deck[]>([]);
	/** The card whose info panel is open. */
	openCardId = $state<string | null>(null);
	busy = $state(false);
	/** For the status region: what the last action did, or what went wrong. */
	message = $state('');
	#last = $state.raw<{ label: string; changes: ChangeSet } | null>(null);
	#anchor = -1;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	readonly #timeZone: string;

	constructor(db: () => RecallDb = getDb, clock: Clock = systemClock, timeZone = deviceTimeZone()) {
		this.#db = db;
		this.#clock = clock;
		this.#timeZone = timeZone ?? 'UTC';
	}

	/** The open card's info, on this browser's store and clock. */
	cardInfo(cardId: string): CardInfo {
		return new CardInfo(this.#db, cardId, this.#clock);
	}

	noteDraft(note: Note, model: NoteModel | null): NoteDraft {
		return new NoteDraft(this.#db, { note, model, clock: this.#clock });
	}

	get undoLabel(): string | null {
		return this.#last?.label ?? null;
	}

	get selectedIds(): string[] {
		return this.rows.filter((r) => this.selected.has(r.cardId)).map((r) => r.cardId);
	}

	async search(text = this.query): Promise<void> {
		this.query = text;
		let node;
		try {
			node = parseSearch(text);
			this.syntaxError = null;
		} catch (e) {
			if (!(e instanceof SearchSyntaxError)) throw e;
			this.syntaxError = e;
			return;
		}
		this.status = 'searching';
		try {
			const db = this.#db();
			const now = this.#clock();
			const [result, decks] = await Promise.all([
				searchCards(db, node, { now, timeZone: this.#timeZone }),
				listDecks(db)
			]);
			this.#found = result.rows;
			this.decks = decks;
			this.searched = text;
			this.searchedAt = now;
			this.selected = within(
				this.selected,
				result.rows.map((r) => r.cardId)
			);
			this.status = 'ready';
		} catch (e) {
			this.message = `The search failed: ${errorText(e)}`;
			this.status = 'error';
		}
	}

	/** The same column again flips the direction. */
	sortBy(column: SortColumn): void {
		this.sort =
			this.sort.column === column
				? { column, descending: !this.sort.descending }
				: { column, descending: false };
	}

	/** Toggles a row; with `range`, every row from the last toggled one takes its new state. */
	toggle(index: number, range = false): void {
		const row = this.rows[index];
		if (!row) return;
		const on = !this.selected.has(row.cardId);
		const from = range && this.#anchor >= 0 ? Math.min(this.#anchor, index) : index;
		const to = range && this.#anchor >= 0 ? Math.max(this.#anchor, index) : index;
		const ids = this.rows.slice(from, to + 1).map((r) => r.cardId);
		this.#anchor = index;
		this.selected = withIds(this.selected, ids, on);
	}

	selectAll(on: boolean): void {
		this.selected = on ? selectionOf(this.rows.map((r) => r.cardId)) : NOTHING;
	}

	suspend = () =>
		this.#run(
			'suspend',
			(ids) => bulk.suspendCards(this.#db(), ids),
			(n) => `Suspended ${plural(n, 'card')}.`
		);
	unsuspend = () =>
		this.#run(
			'unsuspend',
			(ids) => bulk.unsuspendCards(this.#db(), ids),
			(n) => `Unsuspended ${plural(n, 'card')}.`
		);
	unbury = () =>
		this.#run(
			'unbury',
			(ids) => bulk.unburyCards(this.#db(), ids),
			(n) => `Unburied ${plural(n, 'card')}.`
		);
	forget = () =>
		this.#run(
			'forget',
			(ids, now) => bulk.forgetCards(this.#db(), ids, now),
			(n) => `Reset ${plural(n, 'card')} to new.`
		);

	bury = () =>
		this.#run(
			'bury',
			async (ids, now) => {
				const preset = await getPreset(this.#db(), 'default');
				const until = nextStudyDayStart(now, preset.dayStartHour, this.#timeZone);
				return bulk.buryCards(this.#db(), ids, until);
			},
			(n) => `Buried ${plural(n, 'card')} until tomorrow.`
		);

	reschedule = (days: number) =>
		this.#run(
			'set due date',
			(ids, now) => bulk.rescheduleCards(this.#db(), ids, days, now, this.#timeZone),
			(n) => `${plural(n, 'card')} due ${days === 0 ? 'today' : `in ${plural(days, 'day')}`}.`
		);

	move = (deckId: string) => {
		const title = this.decks.find((d) => d.id === deckId)?.title ?? 'the deck';
		let kept = 0;
		return this.#run(
			'move',
			async (ids) => {
				const result = await bulk.moveCards(this.#db(), ids, deckId);
				kept = result.keptBuiltin;
				return result.changes;
			},
			(n) =>
				`Moved ${plural(n, 'card')} to “${title}”.` +
				(kept
					? ` ${plural(kept, 'card')} of built-in decks stayed: their updates find them there.`
					: '')
		);
	};

	addTags = (text: string) => {
		const tags = bulk.parseTags(text);
		return this.#run(
			'add tags',
			(ids, now) => bulk.addTags(this.#db(), ids, tags, now),
			(_, c) => `Tagged ${plural(c.notes.length, 'note')} “${tags.join(' ')}”.`
		);
	};

	removeTags = (text: string) => {
		const tags = bulk.parseTags(text);
		return this.#run(
			'remove tags',
			(ids, now) => bulk.removeTags(this.#db(), ids, tags, now),
			(_, c) => `Removed “${tags.join(' ')}” from ${plural(c.notes.length, 'note')}.`
		);
	};

	delete = () =>
		this.#run(
			'delete',
			async (ids, now) => {
				await takeSnapshot(this.#db(), 'delete', now);
				return bulk.deleteNotesOfCards(this.#db(), ids);
			},
			(_, c) => `Deleted ${plural(c.notes.length, 'note')} with ${plural(c.cards.length, 'card')}.`
		);

	async undo(): Promise<void> {
		const last = this.#last;
		if (!last || this.busy) return;
		this.busy = true;
		try {
			await undoChanges(this.#db(), last.changes);
			this.#last = null;
			this.message = `Undone: ${last.label}.`;
			await this.search(this.searched);
		} catch (e) {
			this.message = errorText(e);
		} finally {
			this.busy = false;
		}
	}

	/** After an edit elsewhere (the note editor): rows again, and what to undo. */
	async edited(label: string, changes: ChangeSet): Promise<void> {
		this.#last = { label, changes };
		await this.search(this.searched);
	}

	async #run(
		label: string,
		action: (ids: string[], now: number) => Promise<ChangeSet>,
		done: (cards: number, changes: ChangeSet) => string
	): Promise<void> {
		const ids = this.selectedIds;
		if (ids.length === 0 || this.busy) return;
		this.busy = true;
		try {
			const changes = await action(ids, this.#clock());
			const changed = changes.cards.filter((c) => c.before && c.after).length;
			this.#last = { label, changes };
			this.message =
				changes.cards.length + changes.notes.length === 0
					? 'Nothing needed changing.'
					: done(changed, changes);
			await this.search(this.searched);
		} catch (e) {
			this.message = errorText(e);
		} finally {
			this.busy = false;
		}
	}
}
