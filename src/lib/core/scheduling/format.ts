/** Short interval labels as Anki's answer buttons show them: "<1m", "10m", "1.5h", "4d", "3.2mo", "1.5y". */
import { DAY_MS, HOUR_MS, MINUTE_MS } from './day';

const MONTH_MS = (365 / 12) * DAY_MS;
const YEAR_MS = 365 * DAY_MS;

/** Largest unit first; `decimals` as Anki rounds each unit on its buttons. */
const UNITS = [
	{ ms: YEAR_MS, suffix: 'y', decimals: 1 },
	{ ms: MONTH_MS, suffix: 'mo', decimals: 1 },
	{ ms: DAY_MS, suffix: 'd', decimals: 0 },
	{ ms: HOUR_MS, suffix: 'h', decimals: 1 },
	{ ms: MINUTE_MS, suffix: 'm', decimals: 0 }
] as const;

function round(value: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}

export function formatInterval(ms: number): string {
	if (!Number.isFinite(ms) || ms < MINUTE_MS) return '<1m';
	for (let i = 0; i < UNITS.length; i++) {
		const unit = UNITS[i];
		if (!unit || ms < unit.ms) continue;
		const value = round(ms / unit.ms, unit.decimals);
		// 59.7 minutes would round to "60m": say "1h" instead.
		const larger = UNITS[i - 1];
		if (larger && value * unit.ms >= larger.ms) return `1${larger.suffix}`;
		return `${value}${unit.suffix}`;
	}
	return '<1m';
}

/** formatInterval for a number of days. */
export function formatDays(days: number): string {
	return formatInterval(days * DAY_MS);
}
