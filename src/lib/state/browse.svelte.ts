/**
 * The card browser: the search typed and the rows it found, their sort, the selection, bulk
 * actions on it (each one transaction in storage/bulk-actions) and undo of the last one.
 *
 * Results come in one of two shapes (see docs/SEARCH.md, "How searches are read"):
 * - a window: the empty search sorted by due or deck in a large collection — every card id in
 *   order from an index, rows read only for the part of the table on screen (`showRange`);
 * - a list: rows streamed in pages as they are found ("N found so far…"), sorted once all are in
 *   (in steps, so the page stays responsive).
 * A newer search cancels an older one; nothing from the older one is shown after it started.
 * Rows are plain objects kept raw: 100 000 of them must not become deep proxies.
 */
import type { Deck, Note, NoteModel } from '$lib/core/model';
import { nextStudyDayStart } from '$lib/core/scheduling/day';
import {
	compareRows,
	parseSearch,
	SearchSyntaxError,
	sortInSteps,
	type BrowseRow,
	type SearchNode,
	type SortColumn,
	type SortOrder
} from '$lib/core/search';
import { holdBrowseCache, nextTask, releaseBrowseCache } from '$lib/storage/browse-cache';
import {
	countCards,
	idsUpTo,
	readWindow,
	rowContext,
	streamSearch,
	windowIds,
	type RowContext,
	type WindowIds
} from '$lib/storage/browse-repo';
import { takeSnapshotOffThread } from '$lib/workers/snapshot-client';
import * as bulk from '$lib/storage/bulk-actions';
import { undoChanges, UndoConflictError, type ChangeSet } from '$lib/storage/changes';
import { getDb, type RecallDb } from '$lib/storage/db';
import { listDecks } from '$lib/storage/deck-repo';
import { getPreset } from '$lib/storage/presets';
import { CardInfo } from './card-info.svelte';
import { deviceTimeZone, systemClock, type Clock } from './clock';
import { NoteDraft } from './note-draft.svelte';
import { NOTHING, selectionOf, within, withIds, type Selection } from './selection';

/** `invalid`: the search in the box cannot be understood (see `syntaxError`); nothing ran. */
export type BrowseStatus = 'idle' | 'searching' | 'sorting' | 'ready' | 'invalid' | 'error';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

const READ_FAILED =
	'Some cards could not be read: the browser’s storage did not answer. Search again, or reload the page.';

/** Rows read at a time for a window, and how many above and below the screen. */
const BLOCK = 64;
/** Rows sorted at once without pausing (a few ms). */
const SORT_AT_ONCE = 5000;
/** Main-thread time a stepwise sort may take before letting the page paint, ms. */
const SORT_SLICE_MS = 8;

type Results =
	| { kind: 'window'; view: WindowIds; rows: Map<number, BrowseRow | undefined>; ctx: RowContext }
	| { kind: 'list'; rows: BrowseRow[]; sorted: boolean };

const EMPTY: Results = { kind: 'list', rows: [], sorted: true };

export interface BrowseOptions {
	/**
	 * Collections with at least this many cards open the empty search as a window on an index;
	 * smaller ones read every row (everything sorts at once).
	 */
	windowFrom?: number;
}

class Cancelled extends Error {}

export class BrowseState {
	/** What is in the search box. */
	query = $state('');
	/** The search the rows are for (what "Study these" studies). */
	searched = $state('');
	/** When it ran: due dates and recall in the rows are as of then. */
	searchedAt = $state(0);
	status = $state<BrowseStatus>('idle');
	/** Cards found so far by a search still running. */
	found = $state(0);
	syntaxError = $state.raw<SearchSyntaxError | null>(null);
	/** Why the last search could not be run (status `error`), in words; '' otherwise. */
	searchError = $state('');
	sort = $state<SortOrder>({ column: 'due', descending: false });
	#results = $state.raw<Results>(EMPTY);
	/** Bumped when rows arrive in the current results (they are mutated in place, not copied). */
	#version = $state(0);
	selected = $state.raw<Selection>(NOTHING);
	decks = $state.raw<Deck[]>([]);
	/** The card whose info panel is open. */
	openCardId = $state<string | null>(null);
	busy = $state(false);
	/** For the status region: what the last action did, or what went wrong. */
	message = $state('');
	#last = $state.raw<{ label: string; changes: ChangeSet } | null>(null);
	#anchor = -1;
	/** The newest search; an older one finding it changed stops and shows nothing more. */
	#generation = 0;
	#abort: AbortController | null = null;
	/** Rows on screen (first, last), as the table last said. */
	#range: [number, number] = [0, BLOCK];
	/** The search whose window rows are being read, if any. */
	#filling = -1;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	readonly #timeZone: string;
	readonly #windowFrom: number;

	constructor(
		db: () => RecallDb = getDb,
		clock: Clock = systemClock,
		timeZone = deviceTimeZone(),
		options: BrowseOptions = {}
	) {
		this.#db = db;
		this.#clock = clock;
		this.#timeZone = timeZone ?? 'UTC';
		this.#windowFrom = options.windowFrom ?? 5000;
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

	/** How many rows the results have (so far, while a search runs). */
	get count(): number {
		void this.#version;
		const results = this.#results;
		return results.kind === 'window' ? results.view.total : results.rows.length;
	}

	/** The row at `index`, or undefined while it is being read. */
	rowAt(index: number): BrowseRow | undefined {
		void this.#version;
		const results = this.#results;
		return results.kind === 'window' ? results.rows.get(index) : results.rows[index];
	}

	/** The card ids of the results in their order (of a window: those read so far). */
	#ids(): string[] {
		const results = this.#results;
		return results.kind === 'window' ? results.view.ids : results.rows.map((r) => r.cardId);
	}

	get selectedIds(): string[] {
		return this.#ids().filter((id) => this.selected.has(id));
	}

	/** The table shows rows [first, last): a window reads those it has not read yet. */
	showRange(first: number, last: number): void {
		this.#range = [first, last];
		void this.#fill(this.#generation);
	}

	/** Reads the window's rows on screen, a few blocks at a time, until all are there. */
	async #fill(run: number): Promise<void> {
		if (this.#filling === run) return;
		this.#filling = run;
		try {
			for (;;) {
				const results = this.#results;
				if (run !== this.#generation || results.kind !== 'window') return;
				const span = this.#missing(results);
				if (!span) return;
				await this.#read(results, span[0], span[1]);
				if (run === this.#generation) this.#version++;
			}
		} catch (e) {
			if (run === this.#generation) this.message = READ_FAILED;
			console.warn('Browse: reading rows failed', e);
		} finally {
			if (this.#filling === run) this.#filling = -1;
		}
	}

	/** The first run of unread rows around the screen, whole blocks, or null. */
	#missing(results: Extract<Results, { kind: 'window' }>): [number, number] | null {
		const count = results.view.total;
		const [first, last] = this.#range;
		const from = Math.max(0, Math.floor(first / BLOCK) - 1) * BLOCK;
		const to = Math.min(count, (Math.ceil(last / BLOCK) + 1) * BLOCK);
		let start = from;
		while (start < to && results.rows.has(start)) start++;
		if (start >= to) return null;
		let end = start;
		while (end < to && !results.rows.has(end)) end++;
		return [start, end];
	}

	async #read(results: Extract<Results, { kind: 'window' }>, from: number, to: number) {
		const rows = await readWindow(this.#db(), results.view, from, to, results.ctx);
		rows.forEach((row, i) => results.rows.set(from + i, row));
	}

	/** The page opened: the session's copy of the collection is kept while it is open. */
	open(): void {
		holdBrowseCache(this.#db());
	}

	/** The page closed: the copy is freed a little later unless the page opens again. */
	close(): void {
		releaseBrowseCache(this.#db());
	}

	async search(text = this.query): Promise<void> {
		this.query = text;
		this.searchError = '';
		if (this.message === READ_FAILED) this.message = '';
		let node: SearchNode;
		try {
			node = parseSearch(text);
			this.syntaxError = null;
		} catch (e) {
			if (!(e instanceof SearchSyntaxError)) throw e;
			// Nothing is found by a search that was not run: no rows, no count, no "Study these".
			++this.#generation;
			this.#abort?.abort(new Cancelled());
			this.syntaxError = e;
			this.status = 'invalid';
			this.found = 0;
			this.#results = EMPTY;
			this.selected = NOTHING;
			return;
		}
		// The same search again (after an action) keeps its rows on screen until the new ones
		// are all in; a new search shows its rows as they are found.
		await this.#start(node, text, text === this.searched && this.status === 'ready');
	}

	async #start(node: SearchNode, text: string, quiet: boolean): Promise<void> {
		const run = ++this.#generation;
		this.#abort?.abort(new Cancelled());
		const abort = new AbortController();
		this.#abort = abort;
		const stale = () => run !== this.#generation;
		const db = this.#db();
		const now = this.#clock();
		const order = this.sort;
		this.status = 'searching';
		this.found = 0;
		if (!quiet) {
			this.searched = text;
			this.searchedAt = now;
			this.#results = EMPTY;
		}
		try {
			const decks = listDecks(db);
			decks.catch(() => undefined);
			const total = node.kind === 'all' ? await countCards(db) : 0;
			const view = total >= this.#windowFrom ? await windowIds(db, node, order) : null;
			if (stale()) return;
			let results: Results;
			if (view) {
				const ctx = await rowContext(db, now);
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- filled in place; #version tells
				results = { kind: 'window', view, rows: new Map(), ctx };
				// The rows on screen are read before the results replace the old ones.
				const span = this.#missing(results);
				if (span) await this.#read(results, span[0], span[1]);
			} else {
				const streamed: BrowseRow[] = [];
				const live: Results = { kind: 'list', rows: streamed, sorted: false };
				const { rows } = await streamSearch(db, node, {
					now,
					timeZone: this.#timeZone,
					signal: abort.signal,
					onRows: (page, progress) => {
						if (stale()) return;
						this.found = progress.found;
						streamed.push(...page);
						// A search read in one page shows its rows once, sorted, with its count.
						if (quiet || (this.#results !== live && progress.scanned >= progress.total)) return;
						if (this.#results !== live) this.#results = live;
						this.#version++;
					}
				});
				if (stale()) return;
				this.status = 'sorting';
				results = { kind: 'list', rows: await this.#sorted(rows, order, stale), sorted: true };
			}
			if (stale()) return;
			this.decks = await decks;
			if (stale()) return;
			this.#results = results;
			this.#version++;
			this.searched = text;
			this.searchedAt = now;
			// A window's ids are not all read yet: #readIds trims the selection once they are.
			if (results.kind === 'list') this.selected = within(this.selected, this.#ids());
			this.status = 'ready';
			if (results.kind === 'window') {
				void this.#fill(run);
				void this.#readIds(results.view, run);
			}
		} catch (e) {
			if (stale() || e instanceof Cancelled) return;
			console.warn('Browse: the search could not be run', e);
			this.searchError =
				'The search could not read your cards: the browser’s storage did not answer. Search again, or reload the page.';
			this.#results = EMPTY;
			this.status = 'error';
		}
	}

	/** `rows` in `order`: at once when few, else in steps between which the page paints. */
	async #sorted(rows: BrowseRow[], order: SortOrder, stale: () => boolean): Promise<BrowseRow[]> {
		const compare = compareRows(order);
		if (rows.length <= SORT_AT_ONCE) return rows.sort(compare);
		const steps = sortInSteps(rows, compare, 2000);
		let slice = performance.now();
		for (;;) {
			const next = steps.next();
			if (next.done) return next.value;
			if (performance.now() - slice > SORT_SLICE_MS) {
				await nextTask();
				if (stale()) throw new Cancelled();
				slice = performance.now();
			}
		}
	}

	/** The same column again flips the direction. */
	sortBy(column: SortColumn): void {
		this.sort =
			this.sort.column === column
				? { column, descending: !this.sort.descending }
				: { column, descending: false };
		void this.#resort();
	}

	/** Rows in the new order: sorted where they are, or read again (a window, a search running). */
	async #resort(): Promise<void> {
		const results = this.#results;
		if (results.kind === 'list' && results.sorted && this.status === 'ready') {
			const order = this.sort;
			if (results.rows.length <= SORT_AT_ONCE) {
				this.#results = { ...results, rows: [...results.rows].sort(compareRows(order)) };
				return;
			}
			const run = ++this.#generation;
			this.#abort?.abort(new Cancelled());
			this.status = 'sorting';
			try {
				const rows = await this.#sorted([...results.rows], order, () => run !== this.#generation);
				if (run !== this.#generation) return;
				this.#results = { kind: 'list', rows, sorted: true };
				this.status = 'ready';
			} catch (e) {
				if (!(e instanceof Cancelled)) throw e;
			}
			return;
		}
		let node: SearchNode;
		try {
			node = parseSearch(this.searched);
		} catch {
			return;
		}
		await this.#start(node, this.searched, false);
	}

	/** Toggles a row; with `range`, every row from the last toggled one takes its new state. */
	toggle(index: number, range = false): void {
		const ids = this.#ids();
		const id = ids[index];
		if (id === undefined) return;
		const on = !this.selected.has(id);
		const from = range && this.#anchor >= 0 ? Math.min(this.#anchor, index) : index;
		const to = range && this.#anchor >= 0 ? Math.max(this.#anchor, index) : index;
		this.#anchor = index;
		this.selected = withIds(this.selected, ids.slice(from, to + 1), on);
	}

	selectAll(on: boolean): void {
		const results = this.#results;
		if (on && results.kind === 'window' && results.view.ids.length < results.view.total) {
			// The ids not read yet come first (they are being read in the background).
			const run = this.#generation;
			void idsUpTo(results.view, results.view.total).then(() => {
				if (run === this.#generation) this.selected = selectionOf(results.view.ids);
			});
			return;
		}
		this.selected = on ? selectionOf(this.#ids()) : NOTHING;
	}

	/** Reads the rest of a window's ids in the background, then keeps what is still selected. */
	async #readIds(view: WindowIds, run: number): Promise<void> {
		try {
			while (await view.more()) {
				if (run !== this.#generation) return;
				await nextTask();
			}
			if (run === this.#generation) this.selected = within(this.selected, view.ids);
		} catch (e) {
			if (run === this.#generation) this.message = READ_FAILED;
			console.warn('Browse: reading card ids failed', e);
		}
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
				await takeSnapshotOffThread(this.#db(), 'delete', now);
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
			console.warn(`Browse: undo ${last.label} failed`, e);
			this.message =
				e instanceof UndoConflictError
					? e.message
					: `Could not undo ${last.label}: the browser’s storage did not accept the change, so nothing was changed. Try again, or reload the page.`;
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
			console.warn(`Browse: ${label} failed`, e);
			this.message =
				e instanceof bulk.MissingDeckError
					? e.message
					: `Could not ${label} the selected cards: the browser’s storage did not accept the change, so nothing was changed. Try again, or reload the page.`;
		} finally {
			this.busy = false;
		}
	}
}
