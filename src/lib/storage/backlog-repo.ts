/**
 * Backlogs (core/scheduling/backlog.ts) in the store: what is due across the collection and what
 * the learner usually does, read in one transaction; a spread or a postpone written in one, as
 * manual reschedules (card + rating-0 review-log row, built in core) whose change set undoes it
 * (changes.ts: the cards back, the log rows removed).
 */
import { Queue, type Card, type Deck, type Preset } from '../core/model';
import {
	manualReschedule,
	usualLoad,
	type BacklogItem,
	type BacklogMove,
	type DayAnswers,
	type UsualLoad
} from '../core/scheduling/backlog';
import { DAY_MS, nextStudyDayStart, startOfStudyDay, studyDayNumber } from '../core/scheduling/day';
import { assembleTally, utcDays } from '../core/stats/buckets';
import { changeTables, emptyChanges, writeChanges, type ChangeSet } from './changes';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import { tallyRowsBetween } from './review-tallies';

/** How far back the usual load looks for its 14 study days. */
const HISTORY_DAYS = 365;
/** How many days ahead the day loads are read (the longest spread offered, and a margin). */
export const LOAD_DAYS = 60;

export interface BacklogRead {
	/** Review cards due by the end of today's study day, each with its preset. */
	due: BacklogItem[];
	usual: UsualLoad;
	/** Review cards already due on later days: index 1 = tomorrow. */
	existing: number[];
	/** Study day start hour of the default preset (the collection's days). */
	dayStartHour: number;
}

function reviewRange(db: RecallDb, deckId: string, from: number, to: number) {
	return db.cards
		.where('[deckId+queue+due]')
		.between([deckId, Queue.Review, from], [deckId, Queue.Review, to], true, false);
}

async function presetsOf(db: RecallDb, decks: Deck[]): Promise<Map<string, Preset>> {
	const byId = new Map<string, Preset>();
	const out = new Map<string, Preset>();
	for (const deck of decks) {
		let p = byId.get(deck.presetId);
		if (!p) byId.set(deck.presetId, (p = await getPreset(db, deck.presetId)));
		out.set(deck.id, p);
	}
	return out;
}

/** Due reviews, the usual load and the coming days' loads, read together. */
export async function readBacklog(
	db: RecallDb,
	now: number,
	timeZone?: string
): Promise<BacklogRead> {
	return db.transaction('r', [db.decks, db.presets, db.cards, db.reviewTallies], async () => {
		const decks = await db.decks.toArray();
		const presets = await presetsOf(db, decks);
		const base = await getPreset(db, 'default');
		const due: BacklogItem[] = [];
		for (const deck of decks) {
			const preset = presets.get(deck.id)!;
			const end = nextStudyDayStart(now, preset.dayStartHour, timeZone);
			for (const card of await reviewRange(db, deck.id, -Infinity, end).toArray()) {
				due.push({ card, preset });
			}
		}
		const hour = base.dayStartHour;
		const today = studyDayNumber(now, hour, timeZone);
		const from = now - HISTORY_DAYS * DAY_MS;
		const days = utcDays(from, now);
		const rows = await tallyRowsBetween(db, null, days.first, days.last).toArray();
		const tally = assembleTally(
			rows,
			{ dayStartHour: hour, timeZone: timeZone ?? 'UTC' },
			from,
			now
		);
		const history: DayAnswers[] = [...tally].map(([day, t]) => ({
			day,
			reviews: t.reviews,
			timeMs: t.timeMs
		}));
		const existing = await dayLoads(db, today, hour, timeZone);
		return { due, usual: usualLoad(history, today), existing, dayStartHour: hour };
	});
}

/** Review cards (any deck) due from `from` to `to`, by the `due` index. */
function reviewsDueBetween(db: RecallDb, from: number, to: number) {
	return db.cards
		.where('due')
		.between(from, to, true, false)
		.filter((c) => c.queue === Queue.Review);
}

/** Review cards due on each of the next LOAD_DAYS study days (index 1 = tomorrow). */
async function dayLoads(
	db: RecallDb,
	today: number,
	hour: number,
	timeZone?: string
): Promise<number[]> {
	const loads = Array.from({ length: LOAD_DAYS + 1 }, () => 0);
	const from = startOfStudyDay(today + 1, hour, timeZone);
	const to = startOfStudyDay(today + LOAD_DAYS + 1, hour, timeZone);
	await reviewsDueBetween(db, from, to).each((card) => {
		const d = studyDayNumber(card.due, hour, timeZone) - today;
		if (d >= 1 && d <= LOAD_DAYS) loads[d]!++;
	});
	return loads;
}

/** Review cards that fall due after today and by the end of the study day `days` from now. */
export async function readAhead(
	db: RecallDb,
	now: number,
	days: number,
	timeZone?: string
): Promise<number> {
	const hour = (await getPreset(db, 'default')).dayStartHour;
	const today = studyDayNumber(now, hour, timeZone);
	const from = startOfStudyDay(today + 1, hour, timeZone);
	const to = startOfStudyDay(today + days + 1, hour, timeZone);
	return reviewsDueBetween(db, from, to).count();
}

export interface AppliedBacklog {
	changes: ChangeSet;
	/** Cards left alone because they changed since the plan was made (answered meanwhile). */
	skipped: number;
}

/**
 * Writes a plan's moves in one transaction. Each card is read again; one whose `rev` moved since
 * the plan (an answer in another tab) is left as it is.
 */
export async function applyBacklogMoves(
	db: RecallDb,
	moves: readonly BacklogMove[],
	now: number
): Promise<AppliedBacklog> {
	let skipped = 0;
	const changes = await db.transaction('rw', changeTables(db), async () => {
		const stored = await db.cards.bulkGet(moves.map((m) => m.item.card.id));
		const changes = emptyChanges();
		moves.forEach((move, i) => {
			const card: Card | undefined = stored[i];
			if (!card || card.rev !== move.item.card.rev || card.queue !== Queue.Review) {
				skipped++;
				return;
			}
			const { card: after, log } = manualReschedule(card, move.days, move.due, now);
			changes.cards.push({ before: card, after });
			changes.revlog.push({ after: log });
		});
		return writeChanges(db, changes);
	});
	return { changes, skipped };
}
