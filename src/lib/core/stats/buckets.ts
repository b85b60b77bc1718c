/**
 * Review tallies that do not depend on the time zone or the day-start hour, so they can be kept
 * up to date as reviews are written (storage/review-tallies.ts) and assembled into study days
 * for whichever zone and hour the statistics page asks for.
 *
 * A tally row covers one deck and one UTC day, split into 96 quarter-hour slots. Every zone's
 * offset is a whole number of quarter hours (+5:30, +5:45 and DST included), and the day-start
 * hour is a whole hour, so a study day always starts on a slot boundary: all rows of a slot
 * belong to the same study day, whatever the zone and hour.
 *
 * The one thing that does depend on them is Anki's young/mature split: the interval the card had
 * is `elapsedDays + (study day of due − study day of the review)` (tally.ts lastIntervalDays),
 * and the difference of study days of two instants is only known up to a day or two without the
 * zone. Each answer is classified when that margin cannot change the side of 21 days it falls
 * on; the few that sit on the border are kept apart ("undecided": slot, the due date's slot,
 * elapsed days, passed or failed) and classified when assembled, exactly as before.
 */
import { CardState, type RevlogEntry } from '../model';
import { DAY_MS, HOUR_MS, MINUTE_MS, studyDayNumber } from '../scheduling/day';
import { MATURE_DAYS, emptyDay, type DayContext, type DayTally, type ReviewTally } from './tally';

export const SLOT_MS = 15 * MINUTE_MS;
export const SLOTS_PER_DAY = DAY_MS / SLOT_MS;
/** A slot in `StoredTally.slots`: slot number, then the fields of SLOT_FIELDS. */
export const SLOT_FIELDS = [
	'reviews',
	'timeMs',
	'again',
	'youngPassed',
	'youngFailed',
	'maturePassed',
	'matureFailed'
] as const satisfies readonly (keyof DayTally)[];
export const SLOT_STRIDE = SLOT_FIELDS.length + 1;
/** An entry of `StoredTally.undecided`: slot, due slot (since 1970), elapsed days, failed, count. */
export const UNDECIDED_STRIDE = 5;
/**
 * How far apart a zone's offsets at two instants can be: the span of all offsets there are
 * (UTC−12 to UTC+14). With it the margin holds for every zone, whatever its history.
 */
const OFFSET_SPAN_MS = 26 * HOUR_MS;
/** Dates beyond this are not dates (ECMAScript's range); such rows are counted, not tallied. */
const MAX_TIME = 8.64e15;

/**
 * The deck id of the rows that sum every deck (the statistics page's default view): one row a
 * day to read instead of one per deck. Rows without a deck id of their own count only there.
 */
export const ALL_DECKS = '';

/** One row of the tally table: what the reviews of a deck (or all) on one UTC day add up to. */
export interface StoredTally {
	/** The deck, or ALL_DECKS. */
	deckId: string;
	/** UTC day number (floor(ms / day)); ±Infinity for rows whose time is ±Infinity. */
	day: number;
	/** Review-log rows of that day, answers or not: checked against a count of the log. */
	n: number;
	/**
	 * Non-empty slots, ascending: SLOT_STRIDE numbers each. Whole numbers below 2³² (all there
	 * are in practice) are kept as 32 bits: half the bytes to read.
	 */
	slots: Float64Array | Uint32Array;
	/** Undecided review-state answers, ascending: UNDECIDED_STRIDE numbers each. */
	undecided: Float64Array | Uint32Array;
}

/** What one review-log row adds to its tally row. */
export interface Contribution {
	/** The row's own deck, or null when it has none (it is counted in ALL_DECKS only). */
	deckId: string | null;
	day: number;
	/** Quarter hour of the day, or -1 when the time is not a date (counted in `n` only). */
	slot: number;
	/** A rating 1–4, as tallyReview counts it. */
	answer: boolean;
	timeMs: number;
	failed: boolean;
	/** Index into SLOT_FIELDS of the retention cell, -1 for none, or 'undecided'. */
	cell: number | 'undecided';
	dueSlot: number;
	elapsed: number;
}

const YOUNG_PASSED = 3;
const YOUNG_FAILED = 4;
const MATURE_PASSED = 5;
const MATURE_FAILED = 6;

/** The deck a row is tallied under besides ALL_DECKS, if it has one. */
export const tallyDeckId = (row: { deckId?: unknown }): string | null =>
	typeof row.deckId === 'string' && row.deckId !== ALL_DECKS ? row.deckId : null;

/** The tally rows (deck ids) a contribution goes to: its deck's and the all-decks row. */
export const tallyDecks = (c: Contribution): string[] =>
	c.deckId === null ? [ALL_DECKS] : [c.deckId, ALL_DECKS];

/**
 * What `row` adds to the tallies, or null for a row the log's reviewedAt index does not hold
 * (a time that is not a number): such a row is in no count either.
 */
export function contributionOf(row: RevlogEntry): Contribution | null {
	const t = row.reviewedAt;
	if (typeof t !== 'number' || Number.isNaN(t)) return null;
	const day = Math.floor(t / DAY_MS);
	const dated = Number.isFinite(t) && Math.abs(t) <= MAX_TIME;
	const slot = dated ? Math.floor((t - day * DAY_MS) / SLOT_MS) : -1;
	// As tallyReview: anything not below 1 or above 4 is an answer.
	const answer = dated && !(row.rating < 1 || row.rating > 4);
	const failed = row.rating === 1;
	const c: Contribution = {
		deckId: tallyDeckId(row),
		day,
		slot,
		answer,
		timeMs: answer ? Math.max(0, Number.isFinite(row.durationMs) ? row.durationMs : 0) : 0,
		failed,
		cell: -1,
		dueSlot: 0,
		elapsed: 0
	};
	if (!answer || row.state !== CardState.Review) return c;
	const mature = (m: boolean) =>
		m ? (failed ? MATURE_FAILED : MATURE_PASSED) : failed ? YOUNG_FAILED : YOUNG_PASSED;
	const e = row.elapsedDays;
	const due = row.due;
	// What lastIntervalDays gives for values that are not numbers: NaN is young, ±∞ elapsed days
	// decide alone. A due date that is not a date counts as young.
	if (typeof e !== 'number' || Number.isNaN(e)) c.cell = mature(false);
	else if (!Number.isFinite(e)) c.cell = mature(e > 0);
	else if (typeof due !== 'number' || !Number.isFinite(due) || Math.abs(due) > MAX_TIME) {
		c.cell = mature(false);
	} else {
		// Study days from the review to the due date, for any zone and day-start hour.
		const d = due - t;
		const fewest = Math.floor((d - OFFSET_SPAN_MS) / DAY_MS);
		const most = Math.floor((d + OFFSET_SPAN_MS) / DAY_MS) + 1;
		if (e + fewest >= MATURE_DAYS) c.cell = mature(true);
		else if (e + most < MATURE_DAYS) c.cell = mature(false);
		else {
			c.cell = 'undecided';
			c.dueSlot = Math.floor(due / SLOT_MS);
			c.elapsed = e;
		}
	}
	return c;
}

const rowKey = (deckId: string, day: number) => `${day}|${deckId}`;

/** 32 bits when every number fits (whole, 0 to 2³²−1), else 64-bit floats. */
function packed(values: number[]): Float64Array | Uint32Array {
	const fits = values.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff);
	return fits ? Uint32Array.from(values) : Float64Array.from(values);
}

/** A tally row being changed: decoded from its stored form, changed, encoded again. */
export class TallyBuilder {
	n = 0;
	readonly #slots = new Map<number, number[]>();
	readonly #undecided = new Map<string, number[]>();

	constructor(
		readonly deckId: string,
		readonly day: number,
		stored?: StoredTally
	) {
		if (!stored) return;
		this.n = stored.n;
		for (let i = 0; i < stored.slots.length; i += SLOT_STRIDE) {
			this.#slots.set(stored.slots[i]!, Array.from(stored.slots.subarray(i + 1, i + SLOT_STRIDE)));
		}
		for (let i = 0; i < stored.undecided.length; i += UNDECIDED_STRIDE) {
			const [slot, dueSlot, elapsed, failed, count] = stored.undecided.subarray(
				i,
				i + UNDECIDED_STRIDE
			);
			this.#undecided.set(`${slot}|${dueSlot}|${elapsed}|${failed}`, [
				slot!,
				dueSlot!,
				elapsed!,
				failed!,
				count!
			]);
		}
	}

	get key(): string {
		return rowKey(this.deckId, this.day);
	}

	/** Adds (sign 1) or takes away (sign -1) one row's contribution. */
	add(c: Contribution, sign: 1 | -1 = 1): void {
		this.n += sign;
		if (!c.answer || c.slot < 0) return;
		let fields = this.#slots.get(c.slot);
		if (!fields) {
			fields = new Array<number>(SLOT_FIELDS.length).fill(0);
			this.#slots.set(c.slot, fields);
		}
		fields[0]! += sign;
		fields[1]! += sign * c.timeMs;
		if (c.failed) fields[2]! += sign;
		if (typeof c.cell === 'number' && c.cell >= 0) fields[c.cell]! += sign;
		if (fields.every((v) => v === 0)) this.#slots.delete(c.slot);
		if (c.cell !== 'undecided') return;
		const failed = c.failed ? 1 : 0;
		const key = `${c.slot}|${c.dueSlot}|${c.elapsed}|${failed}`;
		const entry = this.#undecided.get(key) ?? [c.slot, c.dueSlot, c.elapsed, failed, 0];
		entry[4]! += sign;
		if (entry[4] === 0) this.#undecided.delete(key);
		else this.#undecided.set(key, entry);
	}

	/** Nothing left: the row is deleted rather than stored. */
	get empty(): boolean {
		return this.n === 0 && this.#slots.size === 0 && this.#undecided.size === 0;
	}

	toRow(): StoredTally {
		const slots: number[] = [];
		for (const slot of [...this.#slots.keys()].sort((a, b) => a - b)) {
			slots.push(slot, ...this.#slots.get(slot)!);
		}
		const entries = [...this.#undecided.values()].sort(
			(a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]!
		);
		return {
			deckId: this.deckId,
			day: this.day,
			n: this.n,
			slots: packed(slots),
			undecided: packed(entries.flat())
		};
	}
}

/** Tally rows being built or changed together, by deck and UTC day. */
export class TallyBuilders {
	readonly #rows = new Map<string, TallyBuilder>();

	/** The row of `deckId` and `day`, made from `stored` (or empty) the first time it is asked. */
	row(deckId: string, day: number, stored?: StoredTally): TallyBuilder {
		const key = rowKey(deckId, day);
		let row = this.#rows.get(key);
		if (!row) {
			row = new TallyBuilder(deckId, day, stored);
			this.#rows.set(key, row);
		}
		return row;
	}

	has(deckId: string, day: number): boolean {
		return this.#rows.has(rowKey(deckId, day));
	}

	/** Adds (or takes away) a review-log row, in its deck's row and the all-decks row. */
	add(row: RevlogEntry, sign: 1 | -1 = 1): void {
		const c = contributionOf(row);
		if (c) for (const deckId of tallyDecks(c)) this.row(deckId, c.day).add(c, sign);
	}

	get size(): number {
		return this.#rows.size;
	}

	values(): IterableIterator<TallyBuilder> {
		return this.#rows.values();
	}
}

/** Tally rows of `rows` from scratch (what the kept tallies must always equal). */
export function tallyRows(rows: Iterable<RevlogEntry>): StoredTally[] {
	const builders = new TallyBuilders();
	for (const row of rows) builders.add(row);
	return [...builders.values()].filter((b) => !b.empty).map((b) => b.toRow());
}

/** Whether two tally rows hold the same numbers (rows are canonical: sorted, nothing empty). */
export function sameTally(a: StoredTally, b: StoredTally): boolean {
	const same = (x: ArrayLike<number>, y: ArrayLike<number>) =>
		x.length === y.length && Array.prototype.every.call(x, (v, i) => v === y[i]);
	return (
		a.deckId === b.deckId &&
		a.day === b.day &&
		a.n === b.n &&
		same(a.slots, b.slots) &&
		same(a.undecided, b.undecided)
	);
}

/** UTC days whose rows hold the instants from `from` (inclusive) to `to` (exclusive). */
export function utcDays(from: number, to: number): { first: number; last: number } {
	return { first: Math.floor(from / DAY_MS), last: Math.floor((to - 1) / DAY_MS) };
}

/**
 * The stored rows assembled into study days for `ctx`: every answer given from `from`
 * (inclusive) to `to` (exclusive), exactly as tallyReview would count the review log.
 */
export function assembleTally(
	rows: Iterable<StoredTally>,
	ctx: DayContext,
	from: number,
	to: number
): ReviewTally {
	const tally: ReviewTally = new Map();
	const daysOf = studyDaysOfSlots(ctx);
	const get = (day: number) => {
		let t = tally.get(day);
		if (!t) {
			t = emptyDay();
			tally.set(day, t);
		}
		return t;
	};
	for (const row of rows) {
		if (!Number.isFinite(row.day)) continue;
		const base = row.day * DAY_MS;
		const days = daysOf(row.day);
		const { slots, undecided } = row;
		for (let i = 0; i < slots.length; i += SLOT_STRIDE) {
			const t = base + slots[i]! * SLOT_MS;
			if (t < from || t >= to) continue;
			const day = get(days[slots[i]!]!);
			for (let f = 0; f < SLOT_FIELDS.length; f++) day[SLOT_FIELDS[f]!] += slots[i + 1 + f]!;
		}
		for (let i = 0; i < undecided.length; i += UNDECIDED_STRIDE) {
			const [slot, dueSlot, elapsed, failed, count] = undecided.subarray(i, i + UNDECIDED_STRIDE);
			const t = base + slot! * SLOT_MS;
			if (t < from || t >= to) continue;
			const reviewDay = days[slot!]!;
			const dueUtcDay = Math.floor(dueSlot! / SLOTS_PER_DAY);
			const dueDay = daysOf(dueUtcDay)[dueSlot! - dueUtcDay * SLOTS_PER_DAY]!;
			const interval = Math.max(0, elapsed! + dueDay - reviewDay);
			const day = get(reviewDay);
			if (interval >= MATURE_DAYS) {
				if (failed) day.matureFailed += count!;
				else day.maturePassed += count!;
			} else if (failed) day.youngFailed += count!;
			else day.youngPassed += count!;
		}
	}
	return tally;
}

/**
 * The study day of each quarter hour of a UTC day, for `ctx`, remembered per UTC day. Study days
 * only grow with time, so equal ends mean equal middles: a UTC day costs a few study-day
 * computations (its ends, and a bisection around each day start in it), not 96.
 */
function studyDaysOfSlots(ctx: DayContext): (utcDay: number) => Float64Array {
	const { dayStartHour, timeZone } = ctx;
	const known = new Map<number, Float64Array>();
	return (utcDay) => {
		let days = known.get(utcDay);
		if (days) return days;
		const base = utcDay * DAY_MS;
		const at = (slot: number) => studyDayNumber(base + slot * SLOT_MS, dayStartHour, timeZone);
		const out = new Float64Array(SLOTS_PER_DAY);
		const fill = (lo: number, hi: number, dayLo: number, dayHi: number): void => {
			if (dayLo === dayHi || hi - lo <= 1) {
				out.fill(dayLo, lo, hi);
				out[hi] = dayHi;
				return;
			}
			const mid = (lo + hi) >> 1;
			const dayMid = at(mid);
			fill(lo, mid, dayLo, dayMid);
			fill(mid, hi, dayMid, dayHi);
		};
		fill(0, SLOTS_PER_DAY - 1, at(0), at(SLOTS_PER_DAY - 1));
		days = out;
		known.set(utcDay, days);
		return days;
	};
}

/** Review-log rows the tally rows count (to check them against a count of the log). */
export function countedRows(rows: Iterable<StoredTally>): number {
	let n = 0;
	for (const row of rows) n += row.n;
	return n;
}
