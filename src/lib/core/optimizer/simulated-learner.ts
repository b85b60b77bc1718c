/**
 * A made-up learner for tests and demos: cards studied day after day with Recall's own
 * scheduler, recalled or forgotten as a *different* FSRS-6 memory model says. The review log is
 * what the app would have written, so an optimizer run on it has something real to learn: the
 * scheduler's default parameters are not the ones the learner's memory follows.
 */
import { default_w, fsrs, type FSRSState } from 'ts-fsrs';
import type { Card, Grade, Preset, RevlogEntry } from '../model';
import { newCard } from '../scheduling/card-actions';
import { DAY_MS } from '../scheduling/day';
import { gradeCard } from '../scheduling/scheduler';
import { seededRandom as random } from '../random';

/**
 * The memory the simulated learner has: FSRS-6's defaults with initial stabilities at a quarter
 * and slower growth after a pass — a fast forgetter the defaults over-trust.
 */
export const LEARNER_WEIGHTS: readonly number[] = default_w.map((w, i) =>
	i < 4 ? w * 0.25 : i === 8 ? w * 0.6 : w
);

export interface SimulationOptions {
	preset: Preset;
	deckId: string;
	cards: number;
	newPerDay: number;
	days: number;
	/** First study day, ms (reviews happen from then on, at the same time of day). */
	start: number;
	timeZone: string;
	seed?: number;
	memoryWeights?: readonly number[];
}

/** Cards as the store would hold them after `days` of study, and every revlog row, in time order. */
export function simulateLearner(options: SimulationOptions): {
	cards: Card[];
	revlog: RevlogEntry[];
} {
	const rand = random(options.seed ?? 7);
	const memory = fsrs({
		w: [...(options.memoryWeights ?? LEARNER_WEIGHTS)],
		enable_short_term: true
	});
	let cards = Array.from({ length: options.cards }, (_, i) =>
		newCard({
			id: `${options.deckId}/n${i}/0`,
			noteId: `${options.deckId}/n${i}`,
			deckId: options.deckId,
			ord: 0,
			position: i
		})
	);
	const truth = new Map<string, { state: FSRSState; at: number }>();
	const revlog: RevlogEntry[] = [];
	const answer = (card: Card, now: number): Card => {
		const known = truth.get(card.id);
		let rating: Grade;
		if (!known) rating = ([1, 3, 3, 4] as const)[Math.floor(rand() * 4)]!;
		else {
			const elapsed = (now - known.at) / DAY_MS;
			const recalled = rand() < memory.forgetting_curve(elapsed, known.state.stability);
			rating = recalled ? (rand() < 0.15 ? 2 : rand() < 0.9 ? 3 : 4) : 1;
		}
		const elapsedDays = known ? Math.floor((now - known.at) / DAY_MS) : 0;
		truth.set(card.id, {
			state: memory.next_state(known?.state ?? null, elapsedDays, rating),
			at: now
		});
		const result = gradeCard(card, rating, options.preset, now, { timeZone: options.timeZone });
		revlog.push(result.log);
		return result.card;
	};
	for (let day = 0; day < options.days; day++) {
		const dayStart = options.start + day * DAY_MS;
		const dayEnd = dayStart + 12 * 3_600_000;
		let introduced = 0;
		cards = cards.map((c) => {
			if (c.reps > 0 || introduced >= options.newPerDay) return c;
			introduced++;
			return answer(c, dayStart);
		});
		// Due cards, learning steps included, until nothing more is due before the session ends.
		for (let pass = 0; pass < 20; pass++) {
			let any = false;
			cards = cards.map((c) => {
				if (c.reps === 0 || c.due >= dayEnd) return c;
				any = true;
				return answer(c, Math.max(c.due, dayStart));
			});
			if (!any) break;
		}
	}
	revlog.sort((a, b) => a.reviewedAt - b.reviewedAt);
	return { cards, revlog };
}
