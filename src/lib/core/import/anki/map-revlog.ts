import { CardState, type RevlogEntry } from '../../model';
import { TIME_MAX, isPlausibleTime } from '../bundle';
import type { RawRevlog } from './collection';
import { DAY_MS } from './map-cards';

/** Anki revlog `type`: how the card was answered. */
const RevlogKind = { Learn: 0, Review: 1, Relearn: 2, Filtered: 3, Manual: 4, Rescheduled: 5 };

interface Track {
	/** State the card is in after the entries seen so far. */
	after: CardState;
	previous?: RawRevlog;
	lastGraded?: number;
}

export interface RevlogResult {
	entries: RevlogEntry[];
	/** Entries whose card is not in the package (deleted in Anki, or outside the export). */
	orphans: number;
	/** Entries whose time (the row id, ms) is no date at all: damage, not history. */
	undated: number;
	/** The latest graded review of each Anki card id, ms. */
	lastReview: Map<number, number>;
}

/**
 * Anki's revlog in Recall's terms. Anki records the answer, not the state before it or the due
 * date the card had, so both are rebuilt by walking each card's history in order. Memory state
 * is left at 0: replaying the entries through ts-fsrs fills it in.
 */
export function convertRevlog(
	rows: RawRevlog[],
	cards: Map<number, { id: string; deckId: string }>
): RevlogResult {
	const sorted = [...rows].sort((a, b) => a.id - b.id);
	const tracks = new Map<number, Track>();
	const entries: RevlogEntry[] = [];
	let orphans = 0;
	let undated = 0;
	for (const row of sorted) {
		const card = cards.get(row.cid);
		if (!card) {
			orphans++;
			continue;
		}
		// Study days are computed from this time; one past the year 9999 would break them.
		if (!isPlausibleTime(row.id)) {
			undated++;
			continue;
		}
		const track = tracks.get(row.cid) ?? { after: CardState.New };
		const manual = row.type === RevlogKind.Manual || row.type === RevlogKind.Rescheduled;
		const rating = manual || row.ease < 1 || row.ease > 4 ? 0 : (row.ease as 1 | 2 | 3 | 4);
		const state = stateBefore(row, track.after);
		entries.push({
			cardId: card.id,
			deckId: card.deckId,
			reviewedAt: row.id,
			rating,
			state,
			due: track.previous ? dueAfter(track.previous) : row.id,
			stability: 0,
			difficulty: 0,
			elapsedDays:
				rating > 0 && track.lastGraded !== undefined
					? Math.max(0, Math.floor((row.id - track.lastGraded) / DAY_MS))
					: 0,
			// A negative ivl is a (re)learning step in seconds: no days scheduled.
			scheduledDays: Math.max(0, row.ivl),
			durationMs: Math.max(0, row.time)
		});
		tracks.set(row.cid, {
			after: stateAfter(row, rating, state),
			previous: row,
			lastGraded: rating > 0 ? row.id : track.lastGraded
		});
	}
	const lastReview = new Map<number, number>();
	for (const [cid, track] of tracks) {
		if (track.lastGraded !== undefined) lastReview.set(cid, track.lastGraded);
	}
	return { entries, orphans, undated, lastReview };
}

function stateBefore(row: RawRevlog, after: CardState): CardState {
	switch (row.type) {
		case RevlogKind.Learn:
			return after === CardState.New ? CardState.New : CardState.Learning;
		case RevlogKind.Review:
			return CardState.Review;
		case RevlogKind.Relearn:
			return CardState.Relearning;
		default:
			return after;
	}
}

function stateAfter(row: RawRevlog, rating: number, before: CardState): CardState {
	if (rating === 0) {
		// Manual entries: "set due date" gives an interval, "forget" resets to new.
		if (row.ivl > 0) return CardState.Review;
		return row.ivl === 0 ? CardState.New : before;
	}
	if (row.ivl > 0) return CardState.Review;
	if (row.type === RevlogKind.Learn) return CardState.Learning;
	if (before === CardState.New || before === CardState.Learning) return CardState.Learning;
	return CardState.Relearning;
}

/** When the card fell due after an entry: its interval, in days or (negative) seconds. */
function dueAfter(row: RawRevlog): number {
	const due = row.ivl > 0 ? row.id + row.ivl * DAY_MS : row.id - row.ivl * 1000;
	// A damaged interval cannot push the due date past any date.
	return Math.min(due, TIME_MAX);
}
