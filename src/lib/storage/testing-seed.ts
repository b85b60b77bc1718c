/**
 * Bulk test data for statistics and benchmarks: N cards and M review-log rows written in large
 * bulkAdd batches (seconds for 100 000 cards and 1 000 000 reviews, not minutes). The data is
 * plausible rather than replayable: states, intervals and memory states are drawn from a seeded
 * generator so that every run with the same options writes the same rows.
 */
import { CardState, Queue, type Card, type Note, type RevlogEntry } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import type { RecallDb } from './db';
import { ensureDefaultPreset } from './presets';
import { seededRandom as random } from '../core/random';

const DAY_MS = 86_400_000;
const BATCH = 20_000;

export interface SeedOptions {
	cards: number;
	reviews: number;
	/** The seeded collection's "now", ms: history ends here, due dates spread after it. */
	now: number;
	/** Deck ids; cards are dealt round-robin (default: one deck "seed"). */
	deckIds?: string[];
	/** How many days back the review history reaches (default 365). */
	historyDays?: number;
	/** Also write one note per card, so the study screen can show them (default true). */
	notes?: boolean;
	seed?: number;
}

function seedCard(i: number, deckId: string, now: number, rnd: () => number): Card {
	const id = `${deckId}/s${i}/0`;
	const base = { id, noteId: `${deckId}/s${i}`, deckId, ord: 0, learningSteps: 0, rev: 1 };
	const roll = rnd();
	if (roll < 0.2) {
		const fresh = { ...base, queue: Queue.New, state: CardState.New, due: i };
		return { ...fresh, stability: 0, difficulty: 0, scheduledDays: 0, reps: 0, lapses: 0 };
	}
	// Log-uniform stability between 0.5 and ~1100 days, like a collection of mixed ages.
	const stability = 0.5 * Math.exp(rnd() * 7.7);
	const difficulty = 1 + rnd() * 9;
	const state =
		roll < 0.25 ? CardState.Learning : roll < 0.28 ? CardState.Relearning : CardState.Review;
	const scheduledDays = state === CardState.Review ? Math.max(1, Math.round(stability)) : 0;
	const lastReview = now - Math.floor(rnd() * Math.max(1, scheduledDays * 1.3) * DAY_MS);
	const due =
		state === CardState.Review ? lastReview + scheduledDays * DAY_MS : now + rnd() * DAY_MS;
	const queue = roll > 0.98 ? Queue.Suspended : state;
	const reps = 1 + Math.floor(rnd() * 20);
	const lapses = Math.floor(rnd() * 3);
	return {
		...base,
		queue,
		state,
		due,
		stability,
		difficulty,
		scheduledDays,
		reps,
		lapses,
		lastReview
	};
}

/** The first choice whose cumulative share is above `roll` (0–1). */
function pick<T>(roll: number, choices: readonly (readonly [number, T])[]): T {
	return (choices.find(([upTo]) => roll < upTo) ?? choices.at(-1)!)[1];
}

function seedRevlog(cards: Card[], now: number, days: number, rnd: () => number): RevlogEntry {
	const card = cards[Math.floor(rnd() * cards.length)]!;
	const reviewedAt = now - Math.floor(rnd() * days * DAY_MS);
	const rating = pick(rnd(), [
		[0.1, 1],
		[0.15, 2],
		[0.9, 3],
		[1, 4]
	] as const);
	const state = pick(rnd(), [
		[0.1, CardState.New],
		[0.2, CardState.Learning],
		[0.25, CardState.Relearning],
		[1, CardState.Review]
	] as const);
	const elapsedDays = state === CardState.Review ? 1 + Math.floor(rnd() * 60) : 0;
	const lastInterval = state === CardState.Review ? 1 + Math.floor(rnd() * 60) : 0;
	return {
		cardId: card.id,
		deckId: card.deckId,
		reviewedAt,
		rating,
		state,
		due: reviewedAt - (elapsedDays - lastInterval) * DAY_MS,
		stability: card.stability,
		difficulty: card.difficulty,
		elapsedDays,
		scheduledDays: rating === 1 ? 0 : Math.round(lastInterval * 2.5),
		durationMs: 2000 + Math.floor(rnd() * 18_000)
	};
}

function seedNote(card: Card): Note {
	const fields = { front: `Question ${card.noteId}?`, back: `Answer ${card.noteId}` };
	const base = { id: card.noteId, deckId: card.deckId, guid: card.noteId, type: 'basic' as const };
	return { ...base, fields, tags: [], position: Number(card.due) || 0, mtime: 0 };
}

/** Writes decks, cards (and notes) and review-log rows; returns how many of each it wrote. */
export async function seedCollection(
	db: RecallDb,
	options: SeedOptions
): Promise<{ cards: number; reviews: number }> {
	const { now, cards: cardCount, reviews } = options;
	const deckIds = options.deckIds ?? ['seed'];
	const rnd = random(options.seed ?? 1);
	await ensureDefaultPreset(db);
	await db.decks.bulkPut(
		deckIds.map((id) => ({
			id,
			title: `Seeded deck ${id}`,
			description: 'Generated test data.',
			origin: 'user' as const,
			version: 0,
			presetId: DEFAULT_PRESET.id,
			createdAt: now
		}))
	);
	const studied: Card[] = [];
	for (let start = 0; start < cardCount; start += BATCH) {
		const batch: Card[] = [];
		for (let i = start; i < Math.min(cardCount, start + BATCH); i++) {
			batch.push(seedCard(i, deckIds[i % deckIds.length]!, now, rnd));
		}
		for (const c of batch) if (c.state !== CardState.New) studied.push(c);
		await db.cards.bulkAdd(batch);
		if (options.notes !== false) await db.notes.bulkAdd(batch.map(seedNote));
	}
	if (studied.length === 0 && reviews > 0)
		throw new Error('No studied cards to write reviews for.');
	for (let start = 0; start < reviews; start += BATCH) {
		const n = Math.min(BATCH, reviews - start);
		const batch = Array.from({ length: n }, () =>
			seedRevlog(studied, now, options.historyDays ?? 365, rnd)
		);
		await db.revlog.bulkAdd(batch);
	}
	return { cards: cardCount, reviews };
}
