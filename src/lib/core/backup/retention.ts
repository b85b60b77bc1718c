/**
 * Which automatic snapshots to keep: all of the newest day's (an import, then a deletion, then
 * a restore…), the newest of each of the 6 days before that have one, and the newest of each of
 * the 4 weeks before those. Days are study days in the user's zone, so
 * "yesterday's snapshot" means what the user thinks it means.
 */
import { studyDayNumber } from '../scheduling/day';

export interface SnapshotStamp {
	id: number;
	createdAt: number;
}

export const KEEP_DAILY = 7;
export const KEEP_WEEKLY = 4;
/** Every snapshot of the newest day is kept (up to this many): "before the import an hour ago". */
export const KEEP_LATEST_DAY = 10;

export function snapshotsToKeep(
	snapshots: readonly SnapshotStamp[],
	dayStartHour: number,
	timeZone?: string
): Set<number> {
	const newestFirst = [...snapshots].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
	const keep = new Set<number>();
	const days = new Set<number>();
	const weeks = new Set<number>();
	let weekly = 0;
	const latestDay =
		newestFirst[0] && studyDayNumber(newestFirst[0].createdAt, dayStartHour, timeZone);
	let sameDay = 0;
	for (const s of newestFirst) {
		const day = studyDayNumber(s.createdAt, dayStartHour, timeZone);
		const week = Math.floor((day + 3) / 7); // weeks start on Monday (day 0 was a Thursday)
		if (day === latestDay && sameDay < KEEP_LATEST_DAY) {
			sameDay++;
			days.add(day);
			weeks.add(week);
			keep.add(s.id);
		} else if (days.size < KEEP_DAILY && !days.has(day)) {
			days.add(day);
			weeks.add(week);
			keep.add(s.id);
		} else if (
			days.size >= KEEP_DAILY &&
			!days.has(day) &&
			!weeks.has(week) &&
			weekly < KEEP_WEEKLY
		) {
			// Older than the daily window: one per week not already covered by a daily one.
			weeks.add(week);
			weekly++;
			keep.add(s.id);
		}
	}
	return keep;
}

/** What the kept snapshots may take together, bytes: beyond it the oldest go. */
export const SNAPSHOT_BUDGET_BYTES = 200_000_000;
/** Kept whatever their size: the state before the last change, and one more. */
export const KEEP_AT_LEAST = 2;

/**
 * Of the snapshots `snapshotsToKeep` chose, the newest ones that fit in `budget` bytes together
 * (at least KEEP_AT_LEAST): on a large collection a snapshot is tens of megabytes, and eleven of
 * them would take more room on the device than the collection itself.
 */
export function withinBudget(
	kept: readonly (SnapshotStamp & { bytes: number })[],
	budget = SNAPSHOT_BUDGET_BYTES
): Set<number> {
	const newestFirst = [...kept].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
	const keep = new Set<number>();
	let total = 0;
	for (const s of newestFirst) {
		if (keep.size >= KEEP_AT_LEAST && total + s.bytes > budget) break;
		keep.add(s.id);
		total += s.bytes;
	}
	return keep;
}

/** Whether a daily snapshot is due: none yet today (in study days). */
export function dailySnapshotDue(
	newest: number | undefined,
	now: number,
	dayStartHour: number,
	timeZone?: string
): boolean {
	return (
		newest === undefined ||
		studyDayNumber(newest, dayStartHour, timeZone) < studyDayNumber(now, dayStartHour, timeZone)
	);
}
