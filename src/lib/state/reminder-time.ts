/** Wall-clock times of the daily reminder (local time of the device). */

/** "HH:MM" → minutes after midnight, or null when it is not a time. */
export function parseTime(text: string): number | null {
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The next moment (after `now`) the wall clock reads `minutes` after midnight. */
export function nextAt(now: number, minutes: number): number {
	const d = new Date(now);
	d.setHours(Math.floor(minutes / 60), minutes % 60, 0, 0);
	if (d.getTime() <= now) d.setDate(d.getDate() + 1);
	return d.getTime();
}

/** Today's moment at `minutes` after midnight (local). */
export function todayAt(now: number, minutes: number): number {
	const d = new Date(now);
	d.setHours(Math.floor(minutes / 60), minutes % 60, 0, 0);
	return d.getTime();
}

/** The local calendar day of `t`, as the service worker also names it (`Date#toDateString`). */
export function dayLabel(t: number): string {
	return new Date(t).toDateString();
}

/** Where this device keeps the reminder's time (localStorage). */
export const REMINDER_KEY = 'recall.reminder';

/**
 * The reminder's time, "HH:MM", or '' when none is set (or storage cannot be read). Read on its
 * own by the deck list, which loads the in-app nudge (and the reminders state) only when one is.
 */
export function reminderTime(): string {
	try {
		return localStorage.getItem(REMINDER_KEY) ?? '';
	} catch {
		return '';
	}
}
