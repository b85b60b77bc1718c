/**
 * "Check database", as in Anki: finds what should never happen but can (a crash mid-migration,
 * a buggy import, a hand-edited backup) and repairs it, reporting counts per category. Each
 * repair runs in one transaction with the whole check, so a failure changes nothing.
 */
import { cardStubs } from '../core/decks/records';
import { CardState, Queue, type Card, type RevlogEntry } from '../core/model';
import { newCard } from '../core/scheduling/card-actions';
import { replayCard } from '../core/scheduling/replay';
import { sameTally, type StoredTally } from '../core/stats/buckets';
import type { RecallDb } from './db';
import { getPreset } from './presets';
import { buildAllTallies } from './review-tallies';

export interface CheckReport {
	orphanCards: number;
	cardsInMissingDecks: number;
	notesWithoutCards: number;
	orphanReviews: number;
	invalidDates: number;
	stateMismatches: number;
	/** Deck-days whose review tallies disagreed with a count of the log (recounted). */
	reviewTallies: number;
}

export const RECOVERED_DECK_ID = 'recovered';

const tallyKey = (t: StoredTally) => `${t.day}|${t.deckId}`;

const valid = (t: unknown): t is number => typeof t === 'number' && Number.isFinite(t);

/** The card's history starts at its first study, so replaying it must give the card back. */
function completeHistory(logs: RevlogEntry[]): boolean {
	const graded = logs.filter((l) => l.rating !== 0).sort((a, b) => a.reviewedAt - b.reviewedAt);
	return graded.length > 0 && graded[0]!.state === CardState.New;
}

/**
 * Only the shape of the history is compared: stability also moves when FSRS parameters change
 * without a reschedule, which is a choice, not damage.
 */
function disagrees(card: Card, replayed: Card): boolean {
	return (
		card.state !== replayed.state || card.reps !== replayed.reps || card.lapses !== replayed.lapses
	);
}

export function describeReport(r: CheckReport): string {
	const parts = [
		[r.orphanCards, 'card(s) without a note deleted'],
		[r.cardsInMissingDecks, 'card(s) of a missing deck moved to "Recovered cards"'],
		[r.notesWithoutCards, 'note(s) without cards given their cards again'],
		[r.orphanReviews, 'review(s) of missing cards removed'],
		[r.invalidDates, 'card(s) with an invalid date repaired'],
		[r.stateMismatches, 'card(s) rebuilt from their review history'],
		[r.reviewTallies, 'day(s) of review statistics recounted']
	].filter(([n]) => (n as number) > 0);
	if (!parts.length) return 'Database checked: no problems found.';
	return `Database checked and repaired: ${parts.map(([n, what]) => `${n} ${what}`).join('; ')}.`;
}

export async function checkDatabase(
	db: RecallDb,
	now: number,
	timeZone?: string
): Promise<CheckReport> {
	const tables = [db.decks, db.notes, db.cards, db.revlog, db.presets, db.reviewTallies];
	return db.transaction('rw', tables, async () => {
		const report: CheckReport = {
			orphanCards: 0,
			cardsInMissingDecks: 0,
			notesWithoutCards: 0,
			orphanReviews: 0,
			invalidDates: 0,
			stateMismatches: 0,
			reviewTallies: 0
		};
		const noteIds = new Set(await db.notes.toCollection().primaryKeys());
		const deckIds = new Set(await db.decks.toCollection().primaryKeys());
		const cards = await db.cards.toArray();

		const orphans = cards.filter((c) => !noteIds.has(c.noteId));
		report.orphanCards = orphans.length;
		await db.cards.bulkDelete(orphans.map((c) => c.id));
		await db.revlog
			.where('cardId')
			.anyOf(orphans.map((c) => c.id))
			.delete();

		const kept = cards.filter((c) => noteIds.has(c.noteId));
		const lost = kept.filter((c) => !deckIds.has(c.deckId));
		report.cardsInMissingDecks = lost.length;
		if (lost.length) {
			await db.decks.put({
				id: RECOVERED_DECK_ID,
				title: 'Recovered cards',
				description: 'Cards whose deck was missing, found by Check database.',
				origin: 'user',
				version: 0,
				presetId: 'default',
				createdAt: now
			});
			await db.cards.bulkPut(
				lost.map((c) => ({ ...c, deckId: RECOVERED_DECK_ID, rev: c.rev + 1 }))
			);
		}

		const withCards = new Set(kept.map((c) => c.noteId));
		const bare = (await db.notes.toArray()).filter(
			(n) => !withCards.has(n.id) && n.type !== 'anki'
		);
		report.notesWithoutCards = bare.length;
		await db.cards.bulkAdd(bare.flatMap((n) => cardStubs(n).map((stub) => newCard(stub))));

		const cardIds = new Set(kept.map((c) => c.id));
		const strayReviews = await db.revlog.filter((r) => !cardIds.has(r.cardId)).primaryKeys();
		report.orphanReviews = strayReviews.length;
		await db.revlog.bulkDelete(strayReviews);

		const fixed: Card[] = [];
		for (const card of await db.cards.bulkGet([...cardIds])) {
			if (!card) continue;
			const badDue = !valid(card.due);
			const badLast =
				card.lastReview !== undefined &&
				(!valid(card.lastReview) || card.lastReview > now + 86_400_000);
			const logs = card.reps > 0 ? await db.revlog.where('cardId').equals(card.id).toArray() : [];
			if (logs.length && completeHistory(logs)) {
				const preset = await getPreset(
					db,
					card.deckId === RECOVERED_DECK_ID
						? 'default'
						: ((await db.decks.get(card.deckId))?.presetId ?? 'default')
				);
				const replayed = replayCard(card, logs, preset, { timeZone });
				if (badDue || badLast || disagrees(card, replayed)) {
					if (badDue || badLast) report.invalidDates++;
					else report.stateMismatches++;
					fixed.push(replayed);
				}
			} else if (badDue || badLast) {
				report.invalidDates++;
				const repaired: Card = {
					...card,
					due: badDue ? (card.state === CardState.New ? 0 : now) : card.due,
					rev: card.rev + 1
				};
				if (badLast) delete repaired.lastReview;
				if (repaired.queue !== Queue.Suspended && repaired.queue !== Queue.Buried)
					repaired.queue = repaired.state;
				fixed.push(repaired);
			}
		}
		await db.cards.bulkPut(fixed);

		// The tallies are kept at write time (review-tallies.ts); a count from scratch proves it.
		const fresh = await buildAllTallies(db.revlog);
		const stored = new Map((await db.reviewTallies.toArray()).map((t) => [tallyKey(t), t]));
		for (const t of fresh) {
			const kept = stored.get(tallyKey(t));
			if (!kept || !sameTally(kept, t)) report.reviewTallies++;
			stored.delete(tallyKey(t));
		}
		report.reviewTallies += stored.size;
		if (report.reviewTallies > 0) {
			await db.reviewTallies.clear();
			await db.reviewTallies.bulkPut(fresh);
		}
		return report;
	});
}
