/** Plain-language memory facts for the card info panel. */
import { CardState, Rating, type Card, type Preset } from '../model';
import { formatInterval } from './format';
import { previewGrades, retrievability, type GradeContext } from './scheduler';

export interface MemorySummary {
	/** Probability of recall now, 0–1; null for a card never studied. */
	retrievability: number | null;
	/** Days until recall falls to 90 %; null for a card never studied. */
	stability: number | null;
	/** FSRS difficulty on its own 1–10 scale (1 easiest); null for a card never studied. */
	difficulty: number | null;
	reps: number;
	lapses: number;
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;

/** Stability stays in days (a memory measure, not a due date): "10 days", "33.6 days". */
const days = (x: number): string => `${Math.round(x * 10) / 10} ${x === 1 ? 'day' : 'days'}`;

export function memorySummary(card: Card, now: number, preset: Preset): MemorySummary {
	const studied = card.state !== CardState.New && card.stability > 0;
	return {
		retrievability: studied ? retrievability(card, now, preset) : null,
		stability: studied ? card.stability : null,
		difficulty: studied ? card.difficulty : null,
		reps: card.reps,
		lapses: card.lapses
	};
}

/** One sentence on why answering Good gives the interval it gives. */
export function explainInterval(
	card: Card,
	preset: Preset,
	now: number,
	ctx?: GradeContext
): string {
	const good = previewGrades(card, preset, now, ctx)[Rating.Good];
	const when = formatInterval(good.intervalMs);
	const retention = percent(preset.desiredRetention);
	if (good.card.scheduledDays === 0) {
		const kind = card.state === CardState.New ? 'a new card' : 'in (re)learning';
		return `This card is ${kind}, so Good shows it again after a fixed learning step (${when}) before FSRS spaces it out in days.`;
	}
	const before =
		card.state === CardState.New || !(card.stability > 0)
			? 'starts its stability at'
			: `raises its stability from ${days(card.stability)} to`;
	return `Answering Good ${before} ${days(good.card.stability)}, and with a desired retention of ${retention} it is due when predicted recall falls to about ${retention}: in ${when}${preset.fuzz ? ' (moved a little by fuzz and load balancing)' : ''}.`;
}
