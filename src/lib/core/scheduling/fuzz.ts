/**
 * Anki's interval fuzz, made deterministic: the random factor comes from the card id and its
 * repetition count, so the same review always gets the same interval (tests, previews, replay).
 */

/** Anki's fuzz ranges: ±15 % of the part of the interval from 2.5 to 7 days, ±10 % to 20, ±5 % beyond. */
const FUZZ_RANGES = [
	{ start: 2.5, end: 7, factor: 0.15 },
	{ start: 7, end: 20, factor: 0.1 },
	{ start: 20, end: Infinity, factor: 0.05 }
] as const;

/** Intervals below this many days are never fuzzed. */
export const MIN_FUZZ_INTERVAL = 2.5;

export interface DayRange {
	min: number;
	max: number;
}

/** The whole days an interval may be moved to (Anki's and ts-fsrs's `get_fuzz_range`). */
export function fuzzRange(
	interval: number,
	elapsedDays: number,
	maximumInterval: number
): DayRange {
	let delta = 1;
	for (const range of FUZZ_RANGES) {
		delta += range.factor * Math.max(Math.min(interval, range.end) - range.start, 0);
	}
	const capped = Math.min(interval, maximumInterval);
	let min = Math.max(2, Math.round(capped - delta));
	const max = Math.min(Math.round(capped + delta), maximumInterval);
	// Never schedule a passed review for sooner than the time it already survived.
	if (capped > elapsedDays) min = Math.max(min, elapsedDays + 1);
	return { min: Math.min(min, max), max };
}

/** Seed for one review of one card. */
export function fuzzSeed(cardId: string, reps: number): string {
	return `${cardId}:${reps}`;
}

/** A number in [0, 1) determined by `seed` and `salt` (FNV-1a, then murmur3's finaliser). */
export function seededUnit(seed: string, salt: string | number = ''): number {
	const text = `${seed}|${salt}`;
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return (h >>> 0) / 4294967296;
}

/** A day in the fuzz range picked uniformly from the seed; intervals under 2.5 days unchanged. */
export function fuzzInterval(
	interval: number,
	elapsedDays: number,
	maximumInterval: number,
	seed: string
): number {
	if (interval < MIN_FUZZ_INTERVAL) return Math.round(interval);
	const { min, max } = fuzzRange(interval, elapsedDays, maximumInterval);
	return Math.min(max, min + Math.floor(seededUnit(seed) * (max - min + 1)));
}
