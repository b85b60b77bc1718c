/**
 * Reads the review queue from indexed range queries and writes grades. A grade is one
 * transaction (card + review-log row + buried siblings), guarded by the card's `rev` so a stale
 * tab can never grade a card twice; undo is the exact inverse, in one transaction too.
 */
import { liveQuery } from 'dexie';
import { Queue, type Card, type Preset, type RevlogEntry } from '../core/model';
import {
	BURY_BOTH,
	siblingsToBury,
	unbury,
	type BuryOptions
} from '../core/scheduling/card-actions';
import { startOfStudyDay, studyDayNumber } from '../core/scheduling/day';
import { limitUsed } from '../core/scheduling/queue';
import type { QueueCandidates } from '../core/scheduling/session-queue';
import type { RecallDb } from './db';
import { decksWithin } from './deck-repo';
import { getPreset } from './presets';

export class StaleCardError extends Error {
	constructor(cardId: string) {
		super(`The card ${cardId} was changed elsewhere (another tab?); it has been reloaded.`);
		this.name = 'StaleCardError';
	}
}

export type { QueueCandidates } from '../core/scheduling/session-queue';

/**
 * How many (re)learning cards of each queue are read at once: a deck with thousands in learning
 * opens as fast as one with a few, and the session reads on when it has used these.
 */
export const LEARNING_READ = 200;

export interface StudyDay {
	start: number;
	end: number;
}

function queueRange(db: RecallDb, deckId: string, queue: number, from: number, to: number) {
	return db.cards
		.where('[deckId+queue+due]')
		.between([deckId, queue, from], [deckId, queue, to], true, false);
}

/** Cards studied today in a deck, from the review log: what the daily limits have used up. */
export async function studiedToday(
	db: RecallDb,
	deckId: string,
	day: StudyDay
): Promise<{ newStudied: number; reviewsDone: number }> {
	let newStudied = 0;
	let reviewsDone = 0;
	await db.revlog
		.where('[deckId+reviewedAt]')
		.between([deckId, day.start], [deckId, day.end], true, false)
		.each((log) => {
			const used = limitUsed(log);
			if (used === 'new') newStudied++;
			else if (used === 'review') reviewsDone++;
		});
	return { newStudied, reviewsDone };
}

/** Buried cards whose day has passed go back to their queue. */
export async function unburyDue(db: RecallDb, deckId: string, now: number): Promise<number> {
	return db.transaction('rw', db.cards, async () => {
		const due = await db.cards
			.where('[deckId+queue+due]')
			.between([deckId, Queue.Buried, -Infinity], [deckId, Queue.Buried, Infinity])
			.filter((c) => (c.buriedUntil ?? 0) <= now)
			.toArray();
		await db.cards.bulkPut(due.map(unbury));
		return due.length;
	});
}

/** How many cards of the deck are buried (until the next study day, once unburyDue has run). */
export function countBuried(db: RecallDb, deckId: string): Promise<number> {
	return db.cards
		.where('[deckId+queue+due]')
		.between([deckId, Queue.Buried, -Infinity], [deckId, Queue.Buried, Infinity])
		.count();
}

export async function loadCandidates(
	db: RecallDb,
	deckId: string,
	preset: Preset,
	day: StudyDay
): Promise<QueueCandidates> {
	return (await readDeck(db, deckId, preset, day)).candidates;
}

/** One deck's candidates, and what its day's reviews used of the limits (for a tree's total). */
async function readDeck(
	db: RecallDb,
	deckId: string,
	preset: Preset,
	day: StudyDay
): Promise<{ candidates: QueueCandidates; used: Awaited<ReturnType<typeof studiedToday>> }> {
	return db.transaction('r', [db.cards, db.revlog], async () => {
		const used = await studiedToday(db, deckId, day);
		const newLeft = Math.max(0, preset.newPerDay - used.newStudied);
		const reviewsLeft = Math.max(0, preset.reviewsPerDay - used.reviewsDone);
		const learningQueues = [Queue.Learning, Queue.Relearning];
		const [learningLists, reviews, newCards] = await Promise.all([
			Promise.all(
				learningQueues.map((q) =>
					queueRange(db, deckId, q, -Infinity, day.end).limit(LEARNING_READ).toArray()
				)
			),
			queueRange(db, deckId, Queue.Review, -Infinity, day.end).limit(reviewsLeft).toArray(),
			queueRange(db, deckId, Queue.New, -Infinity, Infinity).limit(newLeft).toArray()
		]);
		// A full slice may have more behind it: count them, and note where the unread ones start.
		let learningUnread = 0;
		let learningHorizon: number | null = null;
		for (const [i, list] of learningLists.entries()) {
			if (list.length < LEARNING_READ) continue;
			const total = await queueRange(db, deckId, learningQueues[i]!, -Infinity, day.end).count();
			learningUnread += total - list.length;
			const last = list.at(-1)!.due;
			learningHorizon = learningHorizon === null ? last : Math.min(learningHorizon, last);
		}
		const learning = learningLists.flat().sort((a, b) => a.due - b.due);
		let nextDue: number | null = null;
		if (learning.length === 0 && reviews.length === 0 && newCards.length === 0) {
			nextDue = await nextDueAfter(db, deckId, day.end);
		}
		const candidates: QueueCandidates = {
			learning,
			learningUnread,
			learningHorizon,
			reviews,
			newCards,
			truncated:
				(reviewsLeft > 0 && reviews.length === reviewsLeft) ||
				(newLeft > 0 && newCards.length === newLeft),
			limits: { newLeft, reviewsLeft },
			nextDue
		};
		return { candidates, used };
	});
}

/**
 * The queue of a deck together with its subdecks (`Parent::Child`), as Anki builds it: each
 * deck contributes within its own preset's daily limits, and the deck being studied caps the
 * total with its limits, counted over the whole tree's reviews of the day.
 */
export async function loadTreeCandidates(
	db: RecallDb,
	rootId: string,
	day: StudyDay
): Promise<QueueCandidates> {
	const tree = await decksWithin(db, rootId);
	const read = await Promise.all(
		tree.map(async (deck) => readDeck(db, deck.id, await getPreset(db, deck.presetId), day))
	);
	const parts = read.map((r) => r.candidates);
	if (parts.length === 1) return parts[0]!;
	const rootPreset = await getPreset(db, tree.find((d) => d.id === rootId)?.presetId ?? 'default');
	// Each deck's day of reviews was read once, with its candidates; the tree's total is their sum.
	const newStudied = read.reduce((n, r) => n + r.used.newStudied, 0);
	const reviewsDone = read.reduce((n, r) => n + r.used.reviewsDone, 0);
	const dues = parts.map((p) => p.nextDue).filter((d): d is number => d !== null);
	const horizons = parts.map((p) => p.learningHorizon).filter((d): d is number => d !== null);
	return {
		learning: parts.flatMap((p) => p.learning).sort((a, b) => a.due - b.due),
		learningUnread: parts.reduce((n, p) => n + p.learningUnread, 0),
		learningHorizon: horizons.length ? Math.min(...horizons) : null,
		reviews: parts.flatMap((p) => p.reviews).sort((a, b) => a.due - b.due),
		newCards: parts.flatMap((p) => p.newCards),
		truncated: parts.some((p) => p.truncated),
		limits: {
			newLeft: Math.max(0, rootPreset.newPerDay - newStudied),
			reviewsLeft: Math.max(0, rootPreset.reviewsPerDay - reviewsDone)
		},
		nextDue: dues.length ? Math.min(...dues) : null
	};
}

/** The earliest due time at or after `from` among learning and review cards. */
async function nextDueAfter(db: RecallDb, deckId: string, from: number): Promise<number | null> {
	const firsts = await Promise.all(
		[Queue.Learning, Queue.Review, Queue.Relearning].map((q) =>
			queueRange(db, deckId, q, from, Infinity).first()
		)
	);
	const dues = firsts.filter((c) => c !== undefined).map((c) => c.due);
	return dues.length ? Math.min(...dues) : null;
}

export interface GradeRecord {
	before: Card;
	after: Card;
	logId: number;
	/** Siblings as they were before this grade buried them. */
	buried: Card[];
}

/**
 * Saves a grade: the card's new state and its review-log row, and buries the note's other new
 * and review cards (as `bury`, the card's preset, says) until `buryUntil`. Throws StaleCardError if the card changed since `before`.
 */
export async function saveGrade(
	db: RecallDb,
	before: Card,
	after: Card,
	log: RevlogEntry,
	buryUntil: number | null,
	bury: BuryOptions = BURY_BOTH
): Promise<GradeRecord> {
	return db.transaction('rw', [db.cards, db.revlog, db.notes], async () => {
		const current = await db.cards.get(before.id);
		if (!current || current.rev !== before.rev) throw new StaleCardError(before.id);
		await db.cards.put(after);
		const logId = (await db.revlog.add(log)) as number;
		if (after.tags?.includes('leech') && !before.tags?.includes('leech')) {
			const note = await db.notes.get(after.noteId);
			if (note && !note.tags.includes('leech')) {
				await db.notes.put({ ...note, tags: [...note.tags, 'leech'] });
			}
		}
		let buried: Card[] = [];
		if (buryUntil !== null) {
			const noteCards = await db.cards.where('noteId').equals(after.noteId).toArray();
			const toBury = siblingsToBury(after, noteCards, buryUntil, bury);
			const ids = new Set(toBury.map((c) => c.id));
			buried = noteCards.filter((c) => ids.has(c.id));
			await db.cards.bulkPut(toBury);
		}
		return { before, after, logId, buried };
	});
}

/** Undoes a grade exactly: card back to its previous state, log row removed, siblings unburied. */
export async function undoGrade(db: RecallDb, record: GradeRecord): Promise<void> {
	await db.transaction('rw', [db.cards, db.revlog, db.notes], async () => {
		const current = await db.cards.get(record.after.id);
		if (!current || current.rev !== record.after.rev) throw new StaleCardError(record.after.id);
		await db.cards.put(record.before);
		await db.revlog.delete(record.logId);
		if (record.after.tags?.includes('leech') && !record.before.tags?.includes('leech')) {
			const note = await db.notes.get(record.after.noteId);
			if (note) await db.notes.put({ ...note, tags: note.tags.filter((t) => t !== 'leech') });
		}
		const now = await db.cards.bulkGet(record.buried.map((c) => c.id));
		const restore = record.buried.filter((c, i) => now[i]?.rev === c.rev + 1);
		await db.cards.bulkPut(restore);
	});
}

/** Replaces a card after a manual action (suspend, bury, forget), with the same stale check. */
export async function updateCard(
	db: RecallDb,
	before: Card,
	after: Card,
	log?: RevlogEntry
): Promise<number | undefined> {
	return db.transaction('rw', [db.cards, db.revlog], async () => {
		const current = await db.cards.get(before.id);
		if (!current || current.rev !== before.rev) throw new StaleCardError(before.id);
		await db.cards.put(after);
		return log ? ((await db.revlog.add(log)) as number) : undefined;
	});
}

/**
 * Cards due per study day over the `days` study days from `from` on, across the whole collection
 * (load balancing spreads the total workload), keyed by study day number. One `count()` of the
 * `due` index per day: IndexedDB counts inside the browser, no key or card is copied to the page.
 */
export async function dueHistogram(
	db: RecallDb,
	from: number,
	days: number,
	dayStartHour: number,
	timeZone?: string
): Promise<Map<number, number>> {
	const first = studyDayNumber(from, dayStartHour, timeZone);
	const counts = await db.transaction('r', db.cards, () =>
		Promise.all(
			Array.from({ length: days }, (_, i) => {
				const lower = Math.max(from, startOfStudyDay(first + i, dayStartHour, timeZone));
				const upper = startOfStudyDay(first + i + 1, dayStartHour, timeZone);
				return db.cards.where('due').between(lower, upper, true, false).count();
			})
		)
	);
	const histogram = new Map<number, number>();
	counts.forEach((n, i) => {
		if (n > 0) histogram.set(first + i, n);
	});
	return histogram;
}

/** The other cards of a note (siblings), for load balancing and burying. */
export async function noteCards(db: RecallDb, noteId: string): Promise<Card[]> {
	return db.cards.where('noteId').equals(noteId).toArray();
}

/** Reviews in a deck's log from `since` on (what watchDeckReviews reports). */
export function countDeckReviews(db: RecallDb, deckId: string, since: number): Promise<number> {
	return db.revlog
		.where('[deckId+reviewedAt]')
		.between([deckId, since], [deckId, Infinity])
		.count();
}

/** How long the watch waits before subscribing again after its query failed. */
const WATCH_RETRY_MS = 1000;
/** Failures in a row after which the watch gives up (and says so). */
const WATCH_RETRIES = 5;

/**
 * Calls `onChange` whenever reviews are added to or removed from the deck after `since` — by this
 * tab or another one (Dexie's liveQuery sees other tabs' writes). Returns the unsubscribe.
 * A failed query (the connection closed, a blocked upgrade) ends a liveQuery: each failure is
 * reported to `onError` and the watch subscribes again a second later, so other tabs' answers
 * keep showing; after 5 failures in a row it stops, and `onError` hears `{ final: true }`.
 */
export function watchDeckReviews(
	db: RecallDb,
	deckId: string,
	since: number,
	onChange: (count: number) => void,
	onError: (e: unknown, info: { final: boolean }) => void = (e, { final }) =>
		console.warn(
			final
				? 'Other tabs’ answers are no longer watched:'
				: 'Watching other tabs’ answers failed; trying again:',
			e
		)
): () => void {
	let stopped = false;
	let failures = 0;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let subscription: { unsubscribe(): void } | undefined;
	const subscribe = () => {
		subscription = liveQuery(() => countDeckReviews(db, deckId, since)).subscribe({
			next: (count) => {
				failures = 0;
				onChange(count);
			},
			error: (e: unknown) => {
				if (stopped) return;
				failures++;
				const final = failures >= WATCH_RETRIES;
				onError(e, { final });
				if (final) return;
				retry = setTimeout(() => {
					if (!stopped) subscribe();
				}, WATCH_RETRY_MS);
			}
		});
	};
	subscribe();
	return () => {
		stopped = true;
		clearTimeout(retry);
		subscription?.unsubscribe();
	};
}
