/** Number, date and duration wording shared by the statistics components (the device's locale). */
import { formatUtcDate, formatUtcWeekday } from '$lib/core/format/dates';
import { DAY_MS } from '$lib/core/scheduling/day';

const monthFormat = new Intl.DateTimeFormat(undefined, {
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percentFormat = new Intl.NumberFormat(undefined, {
	style: 'percent',
	maximumFractionDigits: 1
});

// A study day number counts days on a clock where the study day's date is the UTC date.
const dateOf = (day: number) => new Date(day * DAY_MS);

export const formatDay = (day: number): string => formatUtcDate(dateOf(day));
export const formatWeekday = (day: number): string => formatUtcWeekday(dateOf(day));
export const formatMonth = (day: number): string => monthFormat.format(dateOf(day));
export const formatNumber = (n: number): string => numberFormat.format(n);

/** "—" when there is nothing to divide. */
export const formatPercent = (share: number | null): string =>
	share === null ? '—' : percentFormat.format(share);

export function formatDuration(ms: number): string {
	const minutes = Math.round(ms / 60_000);
	if (ms > 0 && minutes === 0) return `${Math.max(1, Math.round(ms / 1000))} s`;
	if (minutes < 60) return `${minutes} min`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const plural = (n: number, one: string, many = `${one}s`): string =>
	`${formatNumber(n)} ${n === 1 ? one : many}`;
