import { describe, expect, it } from 'vitest';
import {
	addStudyDays,
	nextStudyDayStart,
	startOfStudyDay,
	studyDayNumber,
	studyDayStart,
	timeZoneOffset,
	wallClock,
	weekdayOfStudyDay
} from './day';
import { DAY, HOUR, MIN } from './test-factories';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
	Date.UTC(y, mo - 1, d, h, mi);

describe('wall clock', () => {
	it('reads local wall-clock time in a zone', () => {
		expect(wallClock(utc(2024, 5, 15, 10), 'Europe/Berlin')).toBe(utc(2024, 5, 15, 12));
		expect(wallClock(utc(2024, 1, 15, 10), 'Europe/Berlin')).toBe(utc(2024, 1, 15, 11));
		expect(timeZoneOffset(utc(2024, 7, 1), 'America/New_York')).toBe(-4 * HOUR);
		expect(wallClock(utc(2024, 5, 15, 10, 30) + 123, 'UTC')).toBe(utc(2024, 5, 15, 10, 30) + 123);
	});
});

describe('day start hour', () => {
	const tz = 'Europe/Berlin';
	// 2024-05-15 in Berlin is UTC+2.
	const at0359 = utc(2024, 5, 15, 1, 59);
	const at0401 = utc(2024, 5, 15, 2, 1);

	it('puts 03:59 in the previous study day and 04:01 in the new one', () => {
		expect(studyDayStart(at0359, 4, tz)).toBe(utc(2024, 5, 14, 2));
		expect(studyDayStart(at0401, 4, tz)).toBe(utc(2024, 5, 15, 2));
		expect(studyDayNumber(at0401, 4, tz) - studyDayNumber(at0359, 4, tz)).toBe(1);
		expect(nextStudyDayStart(at0359, 4, tz)).toBe(utc(2024, 5, 15, 2));
		expect(nextStudyDayStart(at0401, 4, tz)).toBe(utc(2024, 5, 16, 2));
	});

	it('numbers study days as local calendar days since 1970-01-01', () => {
		expect(studyDayNumber(at0401, 4, tz)).toBe(utc(2024, 5, 15) / DAY);
		expect(studyDayNumber(at0359, 4, tz)).toBe(utc(2024, 5, 14) / DAY);
		expect(weekdayOfStudyDay(studyDayNumber(at0401, 4, tz))).toBe(3); // a Wednesday
		expect(weekdayOfStudyDay(0)).toBe(4); // 1970-01-01 was a Thursday
		expect(weekdayOfStudyDay(-4)).toBe(0);
	});

	it('starts days at midnight with a day start hour of 0', () => {
		expect(studyDayStart(utc(2024, 5, 14, 21, 59), 0, tz)).toBe(utc(2024, 5, 13, 22));
		expect(studyDayStart(utc(2024, 5, 14, 22, 1), 0, tz)).toBe(utc(2024, 5, 14, 22));
		expect(nextStudyDayStart(utc(2024, 5, 14, 22, 1), 0, tz)).toBe(utc(2024, 5, 15, 22));
	});

	it('uses the runtime zone when none is given', () => {
		const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
		expect(studyDayStart(at0401, 4)).toBe(studyDayStart(at0401, 4, zone));
		expect(studyDayNumber(at0359, 4)).toBe(studyDayNumber(at0359, 4, zone));
	});
});

describe('study days across DST', () => {
	const length = (t: number, hour: number, tz: string): number =>
		nextStudyDayStart(t, hour, tz) - studyDayStart(t, hour, tz);

	it('gives Berlin a 23-hour day in March and a 25-hour day in October', () => {
		// Clocks go 02:00 → 03:00 on 2024-03-31 and 03:00 → 02:00 on 2024-10-27.
		expect(studyDayStart(utc(2024, 3, 30, 12), 4, 'Europe/Berlin')).toBe(utc(2024, 3, 30, 3));
		expect(length(utc(2024, 3, 30, 12), 4, 'Europe/Berlin')).toBe(23 * HOUR);
		expect(length(utc(2024, 3, 31, 12), 4, 'Europe/Berlin')).toBe(24 * HOUR);
		expect(length(utc(2024, 10, 26, 12), 4, 'Europe/Berlin')).toBe(25 * HOUR);
		expect(nextStudyDayStart(utc(2024, 10, 26, 12), 4, 'Europe/Berlin')).toBe(utc(2024, 10, 27, 3));
	});

	it('gives New York a 23-hour day in March and a 25-hour day in November', () => {
		// Clocks go 02:00 → 03:00 on 2024-03-10 and 02:00 → 01:00 on 2024-11-03.
		expect(length(utc(2024, 3, 9, 18), 4, 'America/New_York')).toBe(23 * HOUR);
		expect(studyDayStart(utc(2024, 3, 10, 18), 4, 'America/New_York')).toBe(utc(2024, 3, 10, 8));
		expect(length(utc(2024, 11, 2, 18), 4, 'America/New_York')).toBe(25 * HOUR);
		expect(studyDayStart(utc(2024, 11, 3, 18), 4, 'America/New_York')).toBe(utc(2024, 11, 3, 9));
	});

	it('starts the day at the jump when the start hour does not exist that day', () => {
		// Berlin 2024-03-31 02:00 never happens: the day starts at 03:00 CEST = 01:00 UTC.
		expect(startOfStudyDay(utc(2024, 3, 31) / DAY, 2, 'Europe/Berlin')).toBe(utc(2024, 3, 31, 1));
		// São Paulo skipped midnight on 2018-11-04 (00:00 → 01:00, UTC−3 → UTC−2).
		expect(startOfStudyDay(utc(2018, 11, 4) / DAY, 0, 'America/Sao_Paulo')).toBe(
			utc(2018, 11, 4, 3)
		);
		expect(length(utc(2018, 11, 4, 15), 0, 'America/Sao_Paulo')).toBe(23 * HOUR);
	});

	it('starts the day at the first of two equal wall times when clocks go back', () => {
		// Berlin 2024-10-27 02:00 happens twice; the first is 00:00 UTC.
		expect(startOfStudyDay(utc(2024, 10, 27) / DAY, 2, 'Europe/Berlin')).toBe(utc(2024, 10, 27, 0));
		expect(studyDayStart(utc(2024, 10, 27, 1, 30), 2, 'Europe/Berlin')).toBe(utc(2024, 10, 27, 0));
	});

	it('keeps every instant of a year inside its own study day', () => {
		for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata']) {
			for (let t = utc(2024, 1, 1, 0, 17); t < utc(2025, 1, 1); t += 7 * HOUR + 13 * MIN) {
				const start = studyDayStart(t, 4, tz);
				const next = nextStudyDayStart(t, 4, tz);
				if (!(start <= t && t < next && next - start >= 23 * HOUR && next - start <= 25 * HOUR)) {
					throw new Error(`${tz} ${new Date(t).toISOString()}: ${start} ${next}`);
				}
			}
		}
		expect(studyDayNumber(utc(2025, 1, 1, 12), 4, 'Asia/Kolkata')).toBe(utc(2025, 1, 1) / DAY);
	});
});

describe('addStudyDays', () => {
	it('keeps the time of day across a 23-hour day', () => {
		const noonBerlin = utc(2024, 3, 30, 11); // 12:00 CET
		expect(addStudyDays(noonBerlin, 1, 4, 'Europe/Berlin')).toBe(utc(2024, 3, 31, 10)); // 12:00 CEST
		expect(addStudyDays(noonBerlin, 0, 4, 'Europe/Berlin')).toBe(noonBerlin);
	});

	it('stays inside the target day when the time does not fit', () => {
		// 03:30 CET on 2024-10-27 is 24.5 h into the 25-hour study day of Oct 26; the next has 24.
		const late = utc(2024, 10, 27, 2, 30);
		expect(studyDayNumber(late, 4, 'Europe/Berlin')).toBe(utc(2024, 10, 26) / DAY);
		const target = addStudyDays(late, 1, 4, 'Europe/Berlin');
		expect(studyDayNumber(target, 4, 'Europe/Berlin')).toBe(utc(2024, 10, 27) / DAY);
		expect(target).toBe(nextStudyDayStart(utc(2024, 10, 27, 12), 4, 'Europe/Berlin') - 1);
	});
});
