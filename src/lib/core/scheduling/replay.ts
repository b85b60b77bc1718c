/**
 * A card's state is a function of its review log: replaying the log through the scheduler gives
 * the card back. Used to reschedule after the FSRS parameters change and to import history.
 */
import { CardState, Queue, type Card, type Preset, type RevlogEntry } from '../model';
import { forgetCard, newCard, queueForState } from './card-actions';
import { addStudyDays, resolveTimeZone } from './day';
import { gradeCard } from './scheduler';

export interface ReplayOptions {
	/** IANA zone for study days (default: the runtime's zone). */
	timeZone?: string;
	/** New-card position after a reset; default: `base.due` if base is new, else 0. */
	position?: number;
}

/**
 * Rating-0 rows: a reset (no memory state and no interval, as forgetCard writes) or a manual
 * reschedule to `scheduledDays` after the row's time.
 */
function applyManual(
	card: Card,
	log: RevlogEntry,
	preset: Preset,
	position: number,
	timeZone: string
): Card {
	if (log.stability === 0 && log.difficulty === 0 && log.scheduledDays === 0) {
		return forgetCard(card, log.reviewedAt, position).card;
	}
	// A manual due date (Anki's "set due date") keeps the memory state the log has replayed so far,
	// or takes the row's own when there is none yet (history imported from elsewhere).
	const hasMemory = card.state !== CardState.New && card.stability > 0;
	const days = Math.max(0, Math.round(log.scheduledDays));
	return {
		...card,
		state: CardState.Review,
		queue: Queue.Review,
		stability: hasMemory ? card.stability : log.stability,
		difficulty: hasMemory ? card.difficulty : log.difficulty,
		scheduledDays: days,
		learningSteps: 0,
		due: addStudyDays(log.reviewedAt, days, preset.dayStartHour, timeZone),
		lastReview: card.lastReview ?? log.reviewedAt,
		rev: card.rev + 1
	};
}

/**
 * Rebuild a card from `logs` (any order; sorted by time here). `base` gives the card's identity,
 * tags and whether it is suspended or buried; its memory and due come only from the log. Fuzz is
 * reproduced (it is seeded by card id and reps) but load balancing is not: the day loads at the
 * time are unknown, so the final due may differ by a few days from the one originally given.
 */
export function replayCard(
	base: Card,
	logs: readonly RevlogEntry[],
	preset: Preset,
	options: ReplayOptions = {}
): Card {
	const position = options.position ?? (base.state === CardState.New ? base.due : 0);
	const timeZone = resolveTimeZone(options.timeZone);
	const ordered = [...logs].sort((a, b) => a.reviewedAt - b.reviewedAt);
	let card = newCard({ ...base, position });
	for (const log of ordered) {
		card =
			log.rating === 0
				? applyManual(card, log, preset, position, timeZone)
				: gradeCard(card, log.rating, preset, log.reviewedAt, { timeZone }).card;
	}
	const held = base.queue === Queue.Suspended || base.queue === Queue.Buried;
	const replayed: Card = {
		...card,
		queue: held ? base.queue : queueForState(card.state),
		rev: base.rev + 1
	};
	delete replayed.tags;
	delete replayed.buriedUntil;
	if (base.tags !== undefined) replayed.tags = [...base.tags];
	if (base.queue === Queue.Buried && base.buriedUntil !== undefined) {
		replayed.buriedUntil = base.buriedUntil;
	}
	return replayed;
}

/**
 * Rescheduling after a preset change (desired retention, maximum interval, FSRS parameters)
 * touches the cards that have been studied: a card never answered has no memory to rebuild.
 */
export function needsReschedule(card: Card): boolean {
	return card.reps > 0;
}

/**
 * A studied card rebuilt from its own review log under `preset`, so its memory state and due
 * date are what the new settings would have given; null when it has no log to replay (it is
 * left as it is).
 */
export function rescheduleFromLog(
	card: Card,
	logs: readonly RevlogEntry[],
	preset: Preset,
	options: ReplayOptions = {}
): Card | null {
	return logs.length === 0 ? null : replayCard(card, logs, preset, options);
}
