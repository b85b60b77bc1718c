/**
 * Study-day arithmetic. A study day runs from `dayStartHour` local time to the same hour the
 * next calendar day, in an IANA time zone (default: the runtime's zone, resolved on every call so
 * a traveller's device follows them). Offsets come from Intl.DateTimeFormat, so days of 23 or 25
 * hours around DST transitions come out right.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Intl is slow (~15 µs a call) and offsets rarely change, so they are cached per zone: a UTC day
 * whose two midnights have the same offset has it all day (zones change at most once a day);
 * on a day with a change, offsets are measured per quarter hour, on which every change falls.
 */
interface ZoneOffsets {
	/** Offset measured at an instant. */
	at: Map<number, number>;
	/** UTC day number → its offset, or null when the offset changes during that day. */
	days: Map<number, number | null>;
}
const zones = new Map<string, ZoneOffsets>();
const QUARTER_MS = 15 * MINUTE_MS;
const MAX_CACHED = 20_000;

/**
 * `timeZone`, or the runtime's zone resolved now: it can change while the app runs (travel).
 * Resolving costs a formatter; callers doing many date computations resolve once and pass it on.
 */
export function resolveTimeZone(timeZone?: string): string {
	return timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(zone, formatter);
	}
	return formatter;
}

function measureOffset(t: number, zone: string): number {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(zone).formatToParts(t)) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		parts.year ?? 1970,
		(parts.month ?? 1) - 1,
		parts.day ?? 1,
		(parts.hour ?? 0) % 24,
		parts.minute ?? 0,
		parts.second ?? 0
	);
	return wall - (t - (((t % 1000) + 1000) % 1000));
}

function measured(cache: ZoneOffsets, instant: number, zone: string): number {
	let offset = cache.at.get(instant);
	if (offset === undefined) {
		if (cache.at.size >= MAX_CACHED) cache.at.clear();
		offset = measureOffset(instant, zone);
		cache.at.set(instant, offset);
	}
	return offset;
}

/** UTC offset of `timeZone` at instant `t`, ms (Berlin in summer: +7 200 000). */
export function timeZoneOffset(t: number, timeZone?: string): number {
	const zone = resolveTimeZone(timeZone);
	let cache = zones.get(zone);
	if (!cache) {
		cache = { at: new Map(), days: new Map() };
		zones.set(zone, cache);
	}
	const day = Math.floor(t / DAY_MS);
	let constant = cache.days.get(day);
	if (constant === undefined) {
		const start = measured(cache, day * DAY_MS, zone);
		const end = measured(cache, (day + 1) * DAY_MS, zone);
		constant = start === end ? start : null;
		if (cache.days.size >= MAX_CACHED) cache.days.clear();
		cache.days.set(day, constant);
	}
	return constant ?? measured(cache, Math.floor(t / QUARTER_MS) * QUARTER_MS, zone);
}

/**
 * The wall-clock time at instant `t` in `timeZone`, expressed as if that wall clock were UTC
 * (so `new Date(result).getUTCHours()` is the local hour).
 */
export function wallClock(t: number, timeZone?: string): number {
	return t + timeZoneOffset(t, timeZone);
}

/**
 * A timeline whose UTC calendar date is the study day containing `t`: local wall clock minus the
 * day-start hour. Differences of its UTC dates are differences of study days.
 */
export function studyClock(t: number, dayStartHour: number, timeZone?: string): number {
	return wallClock(t, timeZone) - dayStartHour * HOUR_MS;
}

/** Integer study days since 1970-01-01 in local terms; use it for "same day?" comparisons. */
export function studyDayNumber(now: number, dayStartHour: number, timeZone?: string): number {
	return Math.floor(studyClock(now, dayStartHour, timeZone) / DAY_MS);
}

/** The first instant of study day `dayNumber` (see studyDayNumber). */
export function startOfStudyDay(
	dayNumber: number,
	dayStartHour: number,
	timeZone?: string
): number {
	const zone = resolveTimeZone(timeZone);
	const target = dayNumber * DAY_MS + dayStartHour * HOUR_MS;
	const before = timeZoneOffset(target - DAY_MS, zone);
	const after = timeZoneOffset(target + DAY_MS, zone);
	const valid = [target - before, target - after].filter((t) => wallClock(t, zone) === target);
	// A wall time that occurs twice (clocks go back) starts the day at its first occurrence.
	if (valid.length > 0) return Math.min(...valid);
	// The wall time does not exist (clocks jump over it): the day starts at the jump.
	let lo = target - Math.max(before, after);
	let hi = target - Math.min(before, after);
	if (hi <= lo) return hi;
	while (hi - lo > 1000) {
		const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
		if (wallClock(mid, zone) >= target) hi = mid;
		else lo = mid;
	}
	return hi;
}

/** Start (ms) of the study day containing `now`. */
export function studyDayStart(now: number, dayStartHour: number, timeZone?: string): number {
	const zone = resolveTimeZone(timeZone);
	return startOfStudyDay(studyDayNumber(now, dayStartHour, zone), dayStartHour, zone);
}

/** Start (ms) of the study day after the one containing `now`. */
export function nextStudyDayStart(now: number, dayStartHour: number, timeZone?: string): number {
	const zone = resolveTimeZone(timeZone);
	return startOfStudyDay(studyDayNumber(now, dayStartHour, zone) + 1, dayStartHour, zone);
}

/**
 * The same time into the study day `days` study days after `now`'s, clamped inside that day
 * (a 25-hour day can hold a time of day a 23-hour day cannot).
 */
export function addStudyDays(
	now: number,
	days: number,
	dayStartHour: number,
	timeZone?: string
): number {
	const zone = resolveTimeZone(timeZone);
	const today = studyDayNumber(now, dayStartHour, zone);
	const intoDay = now - startOfStudyDay(today, dayStartHour, zone);
	const start = startOfStudyDay(today + days, dayStartHour, zone);
	const end = startOfStudyDay(today + days + 1, dayStartHour, zone);
	return Math.min(start + intoDay, end - 1);
}

/** Weekday of a study day number, 0 = Sunday … 6 = Saturday (day 0 was a Thursday). */
export function weekdayOfStudyDay(dayNumber: number): number {
	return (((dayNumber + 4) % 7) + 7) % 7;
}
