import { describe, expect, it } from 'vitest';
import { dailySnapshotDue, snapshotsToKeep, withinBudget, type SnapshotStamp } from './retention';

const DAY = 86_400_000;
// Noon UTC on Monday 2026-11-23.
const NOW = Date.UTC(2026, 10, 23, 12);

function daily(count: number): SnapshotStamp[] {
	return Array.from({ length: count }, (_, i) => ({ id: i + 1, createdAt: NOW - i * DAY }));
}

describe('snapshot retention', () => {
	it('keeps everything while there are fewer than 7 days', () => {
		expect([...snapshotsToKeep(daily(5), 4, 'UTC')].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
	});

	it('keeps the newest of each of the last 7 days, then one per week for 4 weeks', () => {
		const keep = snapshotsToKeep(daily(60), 4, 'UTC');
		// Days 0–6 (ids 1–7: Mon 23 back to Tue 17 Nov). Mon 16 (id 8) is in a week the dailies
		// already cover; then the newest of each earlier week: Sundays 15, 8, 1 Nov and 25 Oct.
		expect([...keep].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 16, 23, 30]);
		expect(keep.size).toBe(11);
	});

	it('keeps every snapshot of the newest day, but only the newest of an older day', () => {
		const snapshots = [
			{ id: 1, createdAt: NOW - 3_600_000 },
			{ id: 2, createdAt: NOW - 60_000 },
			{ id: 3, createdAt: NOW - 7_200_000 },
			{ id: 4, createdAt: NOW - DAY - 60_000 },
			{ id: 5, createdAt: NOW - DAY - 3_600_000 }
		];
		expect([...snapshotsToKeep(snapshots, 4, 'UTC')].sort()).toEqual([1, 2, 3, 4]);
	});

	it('counts days from the day-start hour: 03:00 belongs to the previous day', () => {
		const early = { id: 1, createdAt: Date.UTC(2026, 10, 23, 3) };
		const late = { id: 2, createdAt: Date.UTC(2026, 10, 22, 23) };
		const dayBefore = { id: 3, createdAt: Date.UTC(2026, 10, 22, 12) };
		// Day start 04:00: 03:00 on the 23rd and 23:00 on the 22nd are one study day (both kept as
		// the newest day), so only one can be kept of the 22nd's noon snapshot's day… it is older.
		expect(snapshotsToKeep([early, late, dayBefore], 4, 'UTC')).toEqual(new Set([1, 2, 3]));
		// Day start 00:00: the 22nd holds two snapshots, only its newest is kept.
		expect(snapshotsToKeep([early, late, dayBefore], 0, 'UTC')).toEqual(new Set([1, 2]));
	});

	it('takes a daily snapshot once per study day', () => {
		expect(dailySnapshotDue(undefined, NOW, 4, 'UTC')).toBe(true);
		expect(dailySnapshotDue(NOW - 3_600_000, NOW, 4, 'UTC')).toBe(false);
		expect(dailySnapshotDue(NOW - DAY, NOW, 4, 'UTC')).toBe(true);
	});

	it('drops the oldest kept snapshots beyond the size budget, keeping at least two', () => {
		const MB = 1_000_000;
		const kept = [1, 2, 3, 4, 5].map((id) => ({ id, createdAt: id * 86_400_000, bytes: 30 * MB }));
		// Newest first: 5, 4, 3 fit in 100 MB (90), 2 would not.
		expect([...withinBudget(kept, 100 * MB)].sort()).toEqual([3, 4, 5]);
		// Two are kept even when each alone is over the budget.
		expect([...withinBudget(kept, 10 * MB)].sort()).toEqual([4, 5]);
		// Small snapshots: all of them.
		expect(
			withinBudget(
				kept.map((s) => ({ ...s, bytes: MB })),
				100 * MB
			).size
		).toBe(5);
	});
});
