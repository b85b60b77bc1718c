/**
 * Card tallies: what the statistics page's card part shows (counts by state, the future-due
 * forecast, intervals, difficulty, stability, retrievability), kept in a form that depends on
 * neither the clock, the time zone nor the day-start hour, so storage can keep it up to date as
 * cards are written (storage/card-tallies.ts) and the page only sums a few rows.
 *
 * Three kinds of row per deck:
 * - COUNTS (one, day 0): cards per count category, and review-state cards per interval;
 * - DUE (one per period of PERIOD_DAYS UTC days of the due date): forecast cards per quarter hour
 *   of their due time (counted from the period's first day),
 *   buried or not, with their Σ 1/interval. A study day always starts on a quarter-hour slot
 *   boundary (core/stats/buckets.ts), so every card of a slot falls on the same study day;
 * - MEMORY (one per bucket of card ids, MEMORY_BUCKETS a deck): the exact (last review,
 *   stability, difficulty) of every card with a memory state, so retrievability is computed for
 *   `now` when shown. A card stays in its bucket, so a grade rewrites one small row.
 *
 * Assembled with the same CardStatsBuilder as a pass over the cards, so the two agree (up to the
 * order floating-point sums are added in).
 */
import type { Card } from '../model';
import { DAY_MS } from '../scheduling/day';
import { SLOT_MS } from './buckets';
import {
	CARD_CATEGORIES,
	CardStatsBuilder,
	countCategory,
	dailyLoadOf,
	forecasts,
	hasMemory,
	type CardStats,
	type CardStatsContext
} from './cards';
import { CardState, Queue } from '../model';

export const CARD_COUNTS = 0;
export const CARD_DUE = 1;
export const CARD_MEMORY = 2;
export type CardTallyKind = typeof CARD_COUNTS | typeof CARD_DUE | typeof CARD_MEMORY;

/** A DUE entry: slot (−1 for a due time that is not a number), buried (0/1), cards, Σ 1/interval. */
export const DUE_STRIDE = 4;
/** A MEMORY entry: last review (NaN when unknown), stability, difficulty. */
export const MEMORY_STRIDE = 3;
/** A COUNTS row's `v`: interval (days), cards with it. */
export const INTERVAL_STRIDE = 2;

/** One row of the card tally table. */
export interface StoredCardTally {
	deckId: string;
	kind: CardTallyKind;
	/**
	 * 0 for COUNTS; for DUE the first UTC day number of the due date's period (±Infinity beyond
	 * dates); for MEMORY the bucket of the card ids (0 … MEMORY_BUCKETS − 1).
	 */
	day: number;
	/** Cards the row counts (COUNTS: every card of the deck). */
	n: number;
	/** COUNTS only: cards per CARD_CATEGORIES entry. */
	counts?: number[];
	/** Entries of the row's kind, ascending for COUNTS and DUE. */
	v: Float64Array;
}

/** What one card adds to its deck's tally rows. */
interface CardContribution {
	deckId: string;
	category: number;
	interval: number | null;
	due: { day: number; slot: number; buried: number; load: number } | null;
	memory: { day: number; lastReview: number; stability: number; difficulty: number } | null;
}

/**
 * UTC days per DUE row. Longer periods mean fewer rows to read for the page (some 600 for 100,000
 * cards in 10 decks, against 15,000 with a row a day) and larger rows to rewrite per grade.
 */
export const PERIOD_DAYS = 16;
/** MEMORY rows per deck: some 300 cards a row in a deck of 10,000. */
export const MEMORY_BUCKETS = 32;

/** The MEMORY row of a card: a hash (FNV-1a) of its id. */
function bucketOf(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return (h >>> 0) % MEMORY_BUCKETS;
}

/** The first UTC day of the period holding instant `t`. */
const dayOf = (t: number) =>
	Number.isFinite(t)
		? Math.floor(t / DAY_MS / PERIOD_DAYS) * PERIOD_DAYS
		: t > 0
			? Infinity
			: -Infinity;

/** The deck id a card is tallied under (any id a card could be stored with, as a string key). */
export const cardDeckId = (card: { deckId?: unknown }): string =>
	typeof card.deckId === 'string' || typeof card.deckId === 'number' ? String(card.deckId) : '';

export function cardContribution(card: Card): CardContribution {
	let due: CardContribution['due'] = null;
	if (forecasts(card)) {
		const t = card.due;
		const day = Number.isNaN(t) ? -Infinity : dayOf(t);
		const slot = Number.isNaN(t)
			? -1
			: Number.isFinite(t)
				? Math.floor((t - day * DAY_MS) / SLOT_MS)
				: 0;
		due = { day, slot, buried: card.queue === Queue.Buried ? 1 : 0, load: dailyLoadOf(card) };
	}
	let memory: CardContribution['memory'] = null;
	if (hasMemory(card)) {
		const lr = typeof card.lastReview === 'number' ? card.lastReview : NaN;
		memory = {
			day: bucketOf(String(card.id)),
			lastReview: lr,
			stability: card.stability,
			difficulty: card.difficulty
		};
	}
	return {
		deckId: cardDeckId(card),
		category: countCategory(card),
		interval: card.state === CardState.Review ? card.scheduledDays : null,
		due,
		memory
	};
}

const keyOf = (deckId: string, kind: CardTallyKind, day: number) => `${kind}|${day}|${deckId}`;
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** One tally row being changed: its entries unpacked. */
class RowBuilder {
	n = 0;
	counts: number[] = CARD_CATEGORIES.map(() => 0);
	/** COUNTS: interval → cards. DUE: `slot|buried` → [slot, buried, cards, load]. */
	readonly entries = new Map<number | string, number[]>();
	/** MEMORY: the triples, in any order. */
	memory: number[] = [];

	constructor(
		readonly deckId: string,
		readonly kind: CardTallyKind,
		readonly day: number,
		stored?: StoredCardTally
	) {
		if (!stored) return;
		this.n = stored.n;
		const v = stored.v;
		if (kind === CARD_COUNTS) {
			this.counts = [...(stored.counts ?? this.counts)];
			for (let i = 0; i < v.length; i += INTERVAL_STRIDE)
				this.entries.set(v[i]!, [v[i]!, v[i + 1]!]);
		} else if (kind === CARD_DUE) {
			for (let i = 0; i < v.length; i += DUE_STRIDE) {
				this.entries.set(`${v[i]}|${v[i + 1]}`, [v[i]!, v[i + 1]!, v[i + 2]!, v[i + 3]!]);
			}
		} else this.memory = Array.from(v);
	}

	get empty(): boolean {
		return this.n === 0;
	}

	/** Adds (sign 1) or takes away (−1) a contribution's share of this row. */
	apply(c: CardContribution, sign: 1 | -1): void {
		this.n += sign;
		if (this.kind === CARD_COUNTS) {
			this.counts[c.category]! += sign;
			if (c.interval !== null) this.#count(c.interval, sign);
		} else if (this.kind === CARD_DUE) {
			const d = c.due!;
			const key = `${d.slot}|${d.buried}`;
			const e = this.entries.get(key) ?? [d.slot, d.buried, 0, 0];
			e[2]! += sign;
			e[3]! += sign * d.load;
			this.entries.set(key, e);
		} else {
			const m = c.memory!;
			const triple = [m.lastReview, m.stability, m.difficulty];
			if (sign === 1) this.memory.push(...triple);
			else {
				const all = this.memory;
				for (let i = 0; i < all.length; i += MEMORY_STRIDE) {
					if (
						same(all[i]!, triple[0]!) &&
						same(all[i + 1]!, triple[1]!) &&
						same(all[i + 2]!, triple[2]!)
					) {
						all.splice(i, MEMORY_STRIDE);
						break;
					}
				}
			}
		}
	}

	#count(interval: number, sign: 1 | -1): void {
		// The histogram leaves out what is not a finite number: so do the tallies.
		if (!Number.isFinite(interval)) return;
		const e = this.entries.get(interval) ?? [interval, 0];
		e[1]! += sign;
		this.entries.set(interval, e);
	}

	toRow(): StoredCardTally {
		const row: StoredCardTally = {
			deckId: this.deckId,
			kind: this.kind,
			day: this.day,
			n: this.n,
			v: new Float64Array(0)
		};
		// Entries whose cards all went are dropped only now: within a change they may come back.
		if (this.kind === CARD_COUNTS) {
			row.counts = [...this.counts];
			const kept = [...this.entries.values()].filter((e) => e[1] !== 0);
			const sorted = kept.sort((a, b) => a[0]! - b[0]!);
			row.v = Float64Array.from(sorted.flat());
		} else if (this.kind === CARD_DUE) {
			const kept = [...this.entries.values()].filter((e) => e[2] !== 0);
			const sorted = kept.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
			row.v = Float64Array.from(sorted.flat());
		} else row.v = Float64Array.from(this.memory);
		return row;
	}
}

/** The rows a contribution touches, as [deckId, kind, day] keys. */
export function rowKeys(c: CardContribution): [string, CardTallyKind, number][] {
	const keys: [string, CardTallyKind, number][] = [[c.deckId, CARD_COUNTS, 0]];
	if (c.due) keys.push([c.deckId, CARD_DUE, c.due.day]);
	if (c.memory) keys.push([c.deckId, CARD_MEMORY, c.memory.day]);
	return keys;
}

/** Tally rows being changed, by key: load the stored ones with `row`, then `apply` cards. */
export class CardTallyBuilders {
	readonly #rows = new Map<string, RowBuilder>();

	/** The builder of one row, started from `stored` when it is first asked for. */
	row(deckId: string, kind: CardTallyKind, day: number, stored?: StoredCardTally): RowBuilder {
		const key = keyOf(deckId, kind, day);
		let b = this.#rows.get(key);
		if (!b) {
			b = new RowBuilder(deckId, kind, day, stored);
			this.#rows.set(key, b);
		}
		return b;
	}

	/** Adds (1) or takes away (−1) a card. */
	apply(card: Card, sign: 1 | -1): void {
		const c = cardContribution(card);
		for (const [deckId, kind, day] of rowKeys(c)) this.row(deckId, kind, day).apply(c, sign);
	}

	values(): IterableIterator<RowBuilder> {
		return this.#rows.values();
	}
}

/** The tally rows of `cards` counted from scratch (upgrade, recount, tests). */
export function cardTallyRows(cards: Iterable<Card>): StoredCardTally[] {
	const builders = new CardTallyBuilders();
	for (const card of cards) builders.apply(card, 1);
	return [...builders.values()].filter((b) => !b.empty).map((b) => b.toRow());
}

/** The card statistics that tally rows (of one deck, or of all) add up to. */
export function cardStatsFromTallies(
	rows: Iterable<StoredCardTally>,
	ctx: CardStatsContext
): CardStats {
	const builder = new CardStatsBuilder(ctx);
	for (const row of rows) {
		const v = row.v;
		if (row.kind === CARD_COUNTS) {
			(row.counts ?? []).forEach((n, category) => {
				if (n !== 0) builder.addCount(category, n);
			});
			for (let i = 0; i < v.length; i += INTERVAL_STRIDE) builder.addInterval(v[i]!, v[i + 1]!);
		} else if (row.kind === CARD_DUE) {
			for (let i = 0; i < v.length; i += DUE_STRIDE) {
				const slot = v[i]!;
				const due =
					slot === -1
						? NaN
						: Number.isFinite(row.day)
							? row.day * DAY_MS + slot * SLOT_MS
							: row.day;
				builder.addDue(due, v[i + 1] === 1, v[i + 2]!, v[i + 3]!);
			}
		} else {
			for (let i = 0; i < v.length; i += MEMORY_STRIDE) {
				const lr = v[i]!;
				builder.addMemory(row.deckId, Number.isNaN(lr) ? undefined : lr, v[i + 1]!, v[i + 2]!);
			}
		}
	}
	return builder.result();
}

/** Cards the tally rows count (the COUNTS rows' n), checked against a count of the store. */
export function countedCards(rows: Iterable<StoredCardTally>): number {
	let n = 0;
	for (const row of rows) if (row.kind === CARD_COUNTS) n += row.n;
	return n;
}
