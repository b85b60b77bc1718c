import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime, formatUtcDate, formatUtcWeekday } from './dates';

const T = Date.UTC(2026, 11, 6, 21, 26);
const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

describe('dates, one format in the user’s locale', () => {
	it('writes a date as the locale writes a medium date, and a time after it', () => {
		const date = new Intl.DateTimeFormat(undefined, DATE).format(T);
		expect(formatDate(T)).toBe(date);
		expect(formatDate(new Date(T))).toBe(date);
		expect(formatDateTime(T).startsWith(date)).toBe(true);
		expect(formatDateTime(T)).toContain(formatTime(T));
	});

	it('writes a study day (a UTC midnight) with the same date, whatever the zone', () => {
		const day = Date.UTC(2026, 11, 6);
		expect(formatUtcDate(day)).toBe(
			new Intl.DateTimeFormat(undefined, { ...DATE, timeZone: 'UTC' }).format(day)
		);
		expect(formatUtcWeekday(day)).toContain(formatUtcDate(day).replace(/^\S+ /, '').slice(-4));
	});
});
