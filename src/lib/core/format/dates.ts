/**
 * How Recall writes dates and times, everywhere: one format, in the user's locale ("Dec 6, 2026",
 * "6 déc. 2026", "2026年12月6日"), with the time when it matters ("Dec 6, 2026, 9:26 PM").
 * Pure formatting: the instant is an argument.
 */
const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

const date = new Intl.DateTimeFormat(undefined, DATE);
const dateTime = new Intl.DateTimeFormat(undefined, { ...DATE, ...TIME });
const time = new Intl.DateTimeFormat(undefined, TIME);
// A study day number's date is its UTC date (core/scheduling/day): formatted in UTC.
const utcDate = new Intl.DateTimeFormat(undefined, { ...DATE, timeZone: 'UTC' });
const utcWeekday = new Intl.DateTimeFormat(undefined, {
	...DATE,
	weekday: 'short',
	timeZone: 'UTC'
});

/** "Dec 6, 2026" for a time in ms (or a Date). */
export const formatDate = (when: number | Date): string => date.format(when);

/** "Dec 6, 2026, 9:26 PM" */
export const formatDateTime = (when: number | Date): string => dateTime.format(when);

/** "9:26 PM" */
export const formatTime = (when: number | Date): string => time.format(when);

/** The date of a study day given as a UTC midnight, ms: "Dec 6, 2026". */
export const formatUtcDate = (when: number | Date): string => utcDate.format(when);

/** The same with the weekday: "Sun, Dec 6, 2026". */
export const formatUtcWeekday = (when: number | Date): string => utcWeekday.format(when);
