/**
 * FSRS memory state for imported history. Anki packages without FSRS data (and every Anki
 * revlog row) carry no stability/difficulty; they are rebuilt here from each card's reviews.
 *
 * Only the memory state is replayed — the step `scheduling/replay.ts` takes through the whole
 * scheduler (four outcomes, fuzz, load balancing and due dates per review). The card keeps the
 * due date and interval Anki gave it, so the user's schedule survives the move, and a 200,000-row
 * history replays in a fraction of a second instead of many seconds. The same ts-fsrs parameters
 * and study-day arithmetic as the scheduler are used; a test pins that both give equal results.
 */
import { S_MIN, fsrs, type FSRSState } from 'ts-fsrs';
import { CardState, type Card, type Preset, type RevlogEntry } from '../model';
import { resolveTimeZone, studyDayNumber } from '../scheduling/day';
import type { ImportBundle } from './bundle';
import { historyByCard } from './anki/history';

export interface MemoryReplayOptions {
	/** IANA zone for study days (default: the runtime's zone). */
	timeZone?: string;
	/** Called every few hundred cards: (cards done, cards in all). */
	onProgress?: (done: number, total: number) => void;
}

function scheduler(preset: Preset) {
	// As scheduler.ts configures it: relearning steps decide how ts-fsrs clamps w17/w18.
	return fsrs({
		request_retention: preset.desiredRetention,
		maximum_interval: preset.maximumInterval,
		w: preset.weights,
		enable_fuzz: false,
		enable_short_term: true,
		learning_steps: preset.learningSteps.map((m) => `${Math.max(1, Math.round(m))}m` as const),
		relearning_steps: preset.relearningSteps.map((m) => `${Math.max(1, Math.round(m))}m` as const)
	});
}

function usable(memory: FSRSState | null): FSRSState | null {
	if (!memory) return null;
	const { stability, difficulty } = memory;
	return Number.isFinite(stability) && stability >= S_MIN && difficulty >= 1 && difficulty <= 10
		? memory
		: null;
}

/** Whether a log row is a reset as `forgetCard` writes it (see scheduling/replay.ts). */
function isReset(log: RevlogEntry): boolean {
	return log.stability === 0 && log.difficulty === 0 && log.scheduledDays === 0;
}

/**
 * A card's memory after each of its reviews, oldest first. Graded rows follow ts-fsrs exactly as
 * `gradeCard` calls it; rating-0 rows follow `replayCard`: a reset forgets, a manual due date
 * keeps the memory (or takes the row's own when there is none yet).
 */
export function memoryAfterEach(
	logs: readonly RevlogEntry[],
	preset: Preset,
	timeZone?: string,
	algorithm = scheduler(preset)
): (FSRSState | null)[] {
	const tz = resolveTimeZone(timeZone);
	const dayOf = (t: number) => studyDayNumber(t, preset.dayStartHour, tz);
	let memory: FSRSState | null = null;
	let isNew = true;
	let last: number | undefined;
	return logs.map((log) => {
		if (log.rating === 0) {
			if (isReset(log)) {
				memory = null;
				isNew = true;
				last = undefined;
			} else {
				if (isNew || !usable(memory)) {
					memory = usable({ stability: log.stability, difficulty: log.difficulty });
				}
				isNew = false;
				last ??= log.reviewedAt;
			}
			return memory;
		}
		const elapsed =
			isNew || last === undefined
				? 0
				: Math.max(0, dayOf(log.reviewedAt) - dayOf(Math.min(last, log.reviewedAt)));
		memory = algorithm.next_state(isNew ? null : usable(memory), elapsed, log.rating);
		isNew = false;
		last = log.reviewedAt;
		return memory;
	});
}

/**
 * Fills the memory state of the cards in `cardsToReplay` and of graded revlog rows that lack
 * one. A studied card without usable history gets the memory its interval implies (stability
 * = interval, as at 90% retention) and the difficulty of a first "Good".
 */
export function replayImportedMemory(
	bundle: ImportBundle,
	preset: Preset,
	options: MemoryReplayOptions = {}
): ImportBundle {
	const algorithm = scheduler(preset);
	const toReplay = new Set(bundle.cardsToReplay);
	const byCard = historyByCard(bundle.revlog);
	const rowMemory = new Map<RevlogEntry, FSRSState>();
	const finalMemory = new Map<string, FSRSState>();
	const total = byCard.size;
	let done = 0;
	for (const [cardId, logs] of byCard) {
		const missing = logs.some((l) => l.rating > 0 && l.stability === 0 && l.difficulty === 0);
		if (missing || toReplay.has(cardId)) {
			const memories = memoryAfterEach(logs, preset, options.timeZone, algorithm);
			memories.forEach((memory, i) => {
				const log = logs[i];
				if (log && memory && log.rating > 0 && log.stability === 0 && log.difficulty === 0) {
					rowMemory.set(log, memory);
				}
			});
			const final = usable(memories.at(-1) ?? null);
			if (final) finalMemory.set(cardId, final);
		}
		if (++done % 500 === 0) options.onProgress?.(done, total);
	}
	options.onProgress?.(total, total);
	const revlog = bundle.revlog.map((log) => {
		const memory = rowMemory.get(log);
		return memory ? { ...log, stability: memory.stability, difficulty: memory.difficulty } : log;
	});
	const cards = bundle.cards.map((card): Card => {
		if (!toReplay.has(card.id)) return card;
		const memory = finalMemory.get(card.id);
		if (memory) return { ...card, stability: memory.stability, difficulty: memory.difficulty };
		if (card.state === CardState.New) return card;
		return {
			...card,
			stability: Math.max(
				S_MIN,
				card.scheduledDays > 0 ? card.scheduledDays : algorithm.init_stability(3)
			),
			difficulty: Math.min(10, Math.max(1, algorithm.init_difficulty(3)))
		};
	});
	return { ...bundle, cards, revlog, cardsToReplay: [] };
}
