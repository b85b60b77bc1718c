import { describe, expect, it } from 'vitest';
import {
	ankiLeft,
	formatSteps,
	hardDelaySeconds,
	parseSteps,
	stepDelaySeconds,
	StepsError
} from './steps';

describe('learning steps text', () => {
	it('parses minutes, hours, days, seconds and bare numbers', () => {
		expect(parseSteps('1m 10m')).toEqual([1, 10]);
		expect(parseSteps(' 30s, 5m  1h 1d ')).toEqual([0.5, 5, 60, 1440]);
		expect(parseSteps('15')).toEqual([15]);
		expect(parseSteps('')).toEqual([]);
	});

	it('prints in the largest whole unit', () => {
		expect(formatSteps([1, 10])).toBe('1m 10m');
		expect(formatSteps([0.5, 60, 1440, 90])).toBe('30s 1h 1d 90m');
	});

	it('round-trips: parse(format(steps)) equals steps', () => {
		for (const steps of [[1, 10], [10], [], [0.5, 5, 60, 1440], [90, 120, 2880]]) {
			expect(parseSteps(formatSteps(steps))).toEqual(steps);
		}
	});

	it.each(['ten', '10x', '-1m', '0m', '1m 2q'])('rejects %j with the bad entry named', (text) => {
		expect(() => parseSteps(text)).toThrow(StepsError);
		expect(() => parseSteps(text)).toThrow(/is not a step|longer than zero/);
	});
});

describe('step delays and left as Anki computes them', () => {
	it('Hard: mean of the first two steps, 1.5× a single step capped at a day more, else the step', () => {
		expect(hardDelaySeconds([1, 10], 0)).toBe(330);
		expect(hardDelaySeconds([10], 0)).toBe(900);
		expect(hardDelaySeconds([1200], 0)).toBe(108_000);
		expect(hardDelaySeconds([1, 10, 60], 1)).toBe(600);
		expect(hardDelaySeconds([1, 10], 2)).toBeUndefined();
		expect(hardDelaySeconds([], 0)).toBeUndefined();
	});

	it('Again is the first step, Good the next, Easy and Good on the last step graduate', () => {
		expect(stepDelaySeconds([1, 10], 1, 1)).toBe(60);
		expect(stepDelaySeconds([1, 10], 0, 3)).toBe(600);
		expect(stepDelaySeconds([1, 10], 1, 3)).toBeUndefined();
		expect(stepDelaySeconds([1, 10], 0, 4)).toBeUndefined();
	});

	const NOON = Date.UTC(2026, 11, 7, 12);
	const DAY_ENDS = Date.UTC(2026, 11, 8, 4);
	it('left is today × 1000 + steps to go: 2002 after Again with 1m 10m, 1001 at the last step', () => {
		expect(ankiLeft([1, 10], 0, NOON, DAY_ENDS)).toBe(2002);
		expect(ankiLeft([1, 10], 1, NOON, DAY_ENDS)).toBe(1001);
		expect(ankiLeft([10], 0, NOON, DAY_ENDS)).toBe(1001);
		expect(ankiLeft([1, 10, 60], 0, NOON, DAY_ENDS)).toBe(3003);
	});

	it('counts only the steps that end before the day does (at least one), as Anki’s _leftToday', () => {
		const late = DAY_ENDS - 5 * 60_000;
		expect(ankiLeft([1, 10], 0, late, DAY_ENDS)).toBe(1002);
		expect(ankiLeft([1, 10], 0, DAY_ENDS - 30_000, DAY_ENDS)).toBe(1002);
		// A step index past the steps (the preset lost steps) still leaves one to go.
		expect(ankiLeft([10], 3, NOON, DAY_ENDS)).toBe(1001);
	});
});
