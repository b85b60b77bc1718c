import { describe, expect, it } from 'vitest';
import { nextAt, parseTime, todayAt } from './reminder-time';

describe('reminder times', () => {
	it('reads HH:MM and refuses anything else', () => {
		expect(parseTime('19:30')).toBe(19 * 60 + 30);
		expect(parseTime('00:00')).toBe(0);
		for (const bad of ['', '24:00', '7:5', '19:60', 'soon']) expect(parseTime(bad)).toBeNull();
	});

	it('gives the next moment the clock reads that time: later today, or tomorrow', () => {
		const now = new Date(2026, 11, 7, 18, 0).getTime();
		expect(nextAt(now, 19 * 60)).toBe(new Date(2026, 11, 7, 19, 0).getTime());
		expect(nextAt(now, 8 * 60)).toBe(new Date(2026, 11, 8, 8, 0).getTime());
		expect(nextAt(now, 18 * 60)).toBe(new Date(2026, 11, 8, 18, 0).getTime());
		expect(todayAt(now, 8 * 60)).toBe(new Date(2026, 11, 7, 8, 0).getTime());
	});
});
