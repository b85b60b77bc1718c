/**
 * What the deck list shows beside a deck's counts: how many cards the deck holds (with its
 * subdecks), and when the next card comes back once nothing is left for today. Read from the
 * `[deckId+queue+due]` index (a count and a first-key lookup per queue), never a scan of the
 * cards. The counts themselves (new / learning / due) are computed elsewhere.
 */
import { isWithinDeck } from '../core/decks/deck-title';
import { Queue } from '../core/model';
import { nextStudyDayStart } from '../core/scheduling/day';
import type { RecallDb } from './db';
import { getPreset } from './presets';

export interface DeckTotals {
	/** Cards in the deck and its subdecks, suspended ones included. */
	total: number;
	/**
	 * When the deck next has something to study, ms, if nothing is left now: the first learning
	 * or review card due later, or the next study day's start when cards wait for it (new cards
	 * past the daily limit, reviews over the limit, buried cards). `null` when no card will ever
	 * come back by itself (an empty deck, or every card suspended).
	 */
	nextDue: number | null;
}

interface OwnTotals {
	total: number;
	/** First due later than now among learning and review cards. */
	laterDue: number | null;
	/** Cards that come back on the next study day: new, due-but-over-limit, buried. */
	waitsForTomorrow: boolean;
	dayEnd: number;
}

const STUDIABLE_LATER = [Queue.Learning, Queue.Review, Queue.Relearning] as const;

async function ownTotals(
	db: RecallDb,
	deck: { id: string; presetId: string },
	now: number,
	timeZone: string | undefined
): Promise<OwnTotals> {
	const key = (queue: number, due: number) => [deck.id, queue, due];
	const [total, later, dueNow, fresh, buried, preset] = await Promise.all([
		db.cards.where('deckId').equals(deck.id).count(),
		Promise.all(
			STUDIABLE_LATER.map((q) =>
				db.cards
					.where('[deckId+queue+due]')
					.between(key(q, now), key(q, Infinity), false, true)
					.first()
			)
		),
		db.cards
			.where('[deckId+queue+due]')
			.between(key(Queue.Review, -Infinity), key(Queue.Review, now), true, true)
			.count(),
		db.cards
			.where('[deckId+queue+due]')
			.between(key(Queue.New, -Infinity), key(Queue.New, Infinity))
			.count(),
		db.cards
			.where('[deckId+queue+due]')
			.between(key(Queue.Buried, -Infinity), key(Queue.Buried, Infinity))
			.count(),
		getPreset(db, deck.presetId)
	]);
	const dues = later.filter((c) => c !== undefined).map((c) => c.due);
	return {
		total,
		laterDue: dues.length ? Math.min(...dues) : null,
		waitsForTomorrow: dueNow + fresh + buried > 0,
		dayEnd: nextStudyDayStart(now, preset.dayStartHour, timeZone)
	};
}

/** Totals for each deck, keyed by deck id, each including its subdecks (`Parent::Child`). */
export async function readDeckTotals(
	db: RecallDb,
	decks: readonly { id: string; title: string; presetId: string }[],
	now: number,
	timeZone?: string
): Promise<Record<string, DeckTotals>> {
	const own = await Promise.all(decks.map((d) => ownTotals(db, d, now, timeZone)));
	const result: Record<string, DeckTotals> = {};
	for (const root of decks) {
		let total = 0;
		const times: number[] = [];
		decks.forEach((d, i) => {
			if (!isWithinDeck(d.title, root.title)) return;
			const o = own[i]!;
			total += o.total;
			if (o.laterDue !== null) times.push(o.laterDue);
			if (o.waitsForTomorrow) times.push(o.dayEnd);
		});
		result[root.id] = { total, nextDue: times.length ? Math.min(...times) : null };
	}
	return result;
}
