import { describe, expect, it } from 'vitest';
import { balancedInterval, type BalanceInput } from './load-balance';

// Study day 19858 is Wednesday 2024-05-15; candidates +3…+7 are Sat, Sun, Mon, Tue, Wed.
const TODAY = 19858;
const NORMAL = [1, 1, 1, 1, 1, 1, 1];

function input(overrides: Partial<BalanceInput> = {}): BalanceInput {
	return {
		range: { min: 3, max: 7 },
		today: TODAY,
		seed: 'card:1',
		easyDays: NORMAL,
		...overrides
	};
}

const counts =
	(byInterval: Record<number, number>) =>
	(day: number): number =>
		byInterval[day - TODAY] ?? 0;

describe('balancedInterval', () => {
	it('picks the day with the fewest cards due', () => {
		const dueCountsByDay = counts({ 3: 40, 4: 35, 5: 12, 6: 30, 7: 50 });
		expect(balancedInterval(input({ dueCountsByDay }))).toBe(5);
	});

	it('keeps away from days a sibling is due, even when they are lighter', () => {
		const dueCountsByDay = counts({ 3: 40, 4: 35, 5: 12, 6: 30, 7: 50 });
		const siblingDueDays = new Set([TODAY + 5]);
		expect(balancedInterval(input({ dueCountsByDay, siblingDueDays }))).toBe(6);
	});

	it('uses a sibling day when every day has a sibling', () => {
		const siblingDueDays = new Set([3, 4, 5, 6, 7].map((d) => TODAY + d));
		const dueCountsByDay = counts({ 3: 9, 4: 9, 5: 9, 6: 1, 7: 9 });
		expect(balancedInterval(input({ dueCountsByDay, siblingDueDays }))).toBe(6);
	});

	it('avoids minimum easy days unless there is no other choice', () => {
		// Saturday and Sunday (+3, +4) are minimum days; Saturday is empty but still avoided.
		const easyDays = [0, 1, 1, 1, 1, 1, 0];
		const dueCountsByDay = counts({ 3: 0, 4: 0, 5: 20, 6: 25, 7: 30 });
		expect(balancedInterval(input({ easyDays, dueCountsByDay }))).toBe(5);
		const weekend = { range: { min: 3, max: 4 }, easyDays, dueCountsByDay };
		expect(balancedInterval(input(weekend))).toBeGreaterThanOrEqual(3);
		expect(balancedInterval(input(weekend))).toBeLessThanOrEqual(4);
	});

	it('prefers normal days over reduced days of equal load, but not over much busier ones', () => {
		const easyDays = [0.5, 1, 1, 1, 1, 1, 0.5];
		// Everything empty: a reduced weekend day weighs twice a normal day.
		const empty = [0, 1, 2, 3, 4].map((i) => balancedInterval(input({ easyDays, seed: `s${i}` })));
		for (const pick of empty) expect(pick).toBeGreaterThanOrEqual(5);
		// Saturday empty (weight (0+1)/0.5 = 2) beats weekdays with 5 cards each (6).
		const busyWeek = counts({ 3: 0, 4: 3, 5: 5, 6: 5, 7: 5 });
		expect(balancedInterval(input({ easyDays, dueCountsByDay: busyWeek }))).toBe(3);
	});

	it('breaks ties from the seed: stable for one seed, spread over many', () => {
		expect(balancedInterval(input({ seed: 'x:3' }))).toBe(balancedInterval(input({ seed: 'x:3' })));
		const picks = new Set(
			Array.from({ length: 100 }, (_, i) => balancedInterval(input({ seed: `card:${i}` })))
		);
		expect([...picks].sort()).toEqual([3, 4, 5, 6, 7]);
	});

	it('treats nonsense counts as empty days', () => {
		const dueCountsByDay = counts({ 3: Number.NaN, 4: -5, 5: 1, 6: 1, 7: 1 });
		expect([3, 4]).toContain(balancedInterval(input({ dueCountsByDay })));
	});
});
