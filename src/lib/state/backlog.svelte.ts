/**
 * The deck list's backlog offer: whether the collection is far behind (core/scheduling/backlog),
 * a preview of "Spread over N days" or "Postpone", applying one (one transaction) and its Undo;
 * and "Going away?": how many reviews fall due in the next days and what reviewing them costs.
 */
import {
	describeSpread,
	detectBacklog,
	minimumSpreadDays,
	minutesFor,
	planPostpone,
	planSpread,
	type Backlog,
	type BacklogMove
} from '$lib/core/scheduling/backlog';
import {
	applyBacklogMoves,
	readAhead,
	readBacklog,
	type BacklogRead
} from '$lib/storage/backlog-repo';
import { UndoConflictError, undoChanges, type ChangeSet } from '$lib/storage/changes';
import { getDb, type RecallDb } from '$lib/storage/db';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export type BacklogMode = 'spread' | 'postpone';

/** Retrievability levels offered for postponing (the desired retention is usually 90 %). */
export const POSTPONE_LEVELS = [0.85, 0.8, 0.75, 0.7] as const;
export const AHEAD_DAYS = [3, 7, 14, 30] as const;

export interface BacklogPreview {
	text: string;
	moves: BacklogMove[];
}

export class BacklogState {
	read = $state.raw<BacklogRead | null>(null);
	mode = $state<BacklogMode | null>(null);
	/** Spread over how many study days (raised to the minimum the usual load allows). */
	days = $state(0);
	level = $state<number>(POSTPONE_LEVELS[1]);
	/** The last plan applied, until undone or dismissed. */
	applied = $state.raw<{ changes: ChangeSet; text: string } | null>(null);
	busy = $state(false);
	message = $state('');
	error = $state('');
	aheadDays = $state<number>(7);
	aheadCount = $state<number | null>(null);
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	/** Called after a write, so the deck list's counts follow. */
	readonly #changed: () => Promise<void>;
	/** When the read was made: the plans use the same moment. */
	#readAt = 0;

	constructor(
		changed: () => Promise<void> = async () => {},
		db: () => RecallDb = getDb,
		clock: Clock = systemClock
	) {
		this.#changed = changed;
		this.#db = db;
		this.#clock = clock;
	}

	readonly backlog: Backlog | null = $derived(
		this.read ? detectBacklog(this.read.due.length, this.read.usual) : null
	);

	readonly minimumDays = $derived(
		this.backlog ? minimumSpreadDays(this.backlog.due, this.backlog.usual) : 1
	);

	readonly preview: BacklogPreview | null = $derived.by(() => {
		const read = this.read;
		const backlog = this.backlog;
		if (!read || !backlog || !this.mode) return null;
		const now = this.#readAt;
		const timeZone = deviceTimeZone();
		if (this.mode === 'spread') {
			const plan = planSpread(read.due, {
				now,
				timeZone,
				days: Math.max(this.days, this.minimumDays),
				cap: backlog.usual,
				existing: read.existing
			});
			return { text: describeSpread(backlog.due, plan), moves: plan.moves };
		}
		const plan = planPostpone(read.due, { now, timeZone, level: this.level });
		const latest = Math.max(0, ...plan.moves.map((m) => m.days));
		const pct = Math.round(this.level * 100);
		const text =
			plan.moves.length === 0
				? `${backlog.due} due → none is above ${pct} % recall: nothing to postpone`
				: `${backlog.due} due → ${plan.moves.length} postponed by up to ${latest} ${latest === 1 ? 'day' : 'days'} (each kept above ${pct} % recall), ${plan.stay.length} stay due`;
		return { text, moves: plan.moves };
	});

	/** "about 140 cards, ~12 min" for reviewing the next `aheadDays` days' cards now. */
	readonly aheadCost = $derived.by(() => {
		if (this.aheadCount === null || !this.read) return null;
		const n = this.aheadCount;
		const min = minutesFor(n, this.read.usual.secondsPerReview);
		return n === 0
			? 'No reviews fall due then.'
			: `about ${n} ${n === 1 ? 'card' : 'cards'}, ~${min} min`;
	});

	/** The search that studies the next `aheadDays` days' reviews (Browse's "review ahead"). */
	readonly aheadHref = $derived(
		`/browse/study?q=${encodeURIComponent(`prop:due>0 prop:due<=${this.aheadDays}`)}`
	);

	async load(): Promise<void> {
		try {
			const now = this.#clock();
			const db = this.#db();
			this.read = await readBacklog(db, now, deviceTimeZone());
			this.#readAt = now;
			if (this.days < this.minimumDays) this.days = this.minimumDays;
			await this.loadAhead();
			this.error = '';
		} catch (e) {
			this.error = `The due cards could not be read: ${e instanceof Error ? e.message : String(e)}`;
		}
	}

	async loadAhead(): Promise<void> {
		this.aheadCount = await readAhead(this.#db(), this.#clock(), this.aheadDays, deviceTimeZone());
	}

	async apply(): Promise<void> {
		const preview = this.preview;
		if (!preview || this.busy || preview.moves.length === 0) return;
		this.busy = true;
		try {
			const { changes, skipped } = await applyBacklogMoves(this.#db(), preview.moves, this.#readAt);
			const moved = changes.cards.length;
			const text =
				this.mode === 'spread'
					? `Spread: ${moved} ${moved === 1 ? 'card' : 'cards'} moved to later days.`
					: `Postponed ${moved} ${moved === 1 ? 'card' : 'cards'}.`;
			this.applied = { changes, text };
			this.message =
				skipped > 0 ? `${text} ${skipped} changed meanwhile and were left as they were.` : text;
			this.mode = null;
			await this.#changed();
			await this.load();
		} catch (e) {
			this.message = `Nothing was changed: ${e instanceof Error ? e.message : String(e)}`;
		} finally {
			this.busy = false;
		}
	}

	async undo(): Promise<void> {
		const applied = this.applied;
		if (!applied || this.busy) return;
		this.busy = true;
		try {
			await undoChanges(this.#db(), applied.changes);
			this.applied = null;
			const n = applied.changes.cards.length;
			this.message = `Undone: ${n} ${n === 1 ? 'card is' : 'cards are'} due as before.`;
			await this.#changed();
			await this.load();
		} catch (e) {
			this.message =
				e instanceof UndoConflictError
					? e.message
					: `Could not undo: ${e instanceof Error ? e.message : String(e)}`;
		} finally {
			this.busy = false;
		}
	}
}

let shared: BacklogState | undefined;

/** The deck list's one BacklogState (its banner and "Going away?" share it), made on first use. */
export function deckListBacklog(changed: () => Promise<void>): BacklogState {
	shared ??= new BacklogState(changed);
	return shared;
}
