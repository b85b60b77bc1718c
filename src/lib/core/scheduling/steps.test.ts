import { describe, expect, it } from 'vitest';
import { formatSteps, parseSteps, StepsError } from './steps';

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
