import { describe, expect, it } from 'vitest';
import { formatDays, formatInterval } from './format';
import { DAY, HOUR, MIN } from './test-factories';

describe('formatInterval', () => {
	it.each([
		[0, '<1m'],
		[30_000, '<1m'],
		[-5, '<1m'],
		[Number.NaN, '<1m'],
		[MIN, '1m'],
		[10 * MIN, '10m'],
		[59.4 * MIN, '59m'],
		[59.7 * MIN, '1h'],
		[HOUR, '1h'],
		[1.5 * HOUR, '1.5h'],
		[23.97 * HOUR, '1d'],
		[DAY, '1d'],
		[4 * DAY, '4d'],
		[4.4 * DAY, '4d'],
		[30 * DAY, '30d'],
		[31 * DAY, '1mo'],
		[97 * DAY, '3.2mo'],
		[300 * DAY, '9.9mo'],
		[364 * DAY, '1y'],
		[365 * DAY, '1y'],
		[547.5 * DAY, '1.5y'],
		[36500 * DAY, '100y']
	])('formats %d ms as %s', (ms, label) => {
		expect(formatInterval(ms)).toBe(label);
	});

	it('formats days', () => {
		expect(formatDays(8)).toBe('8d');
		expect(formatDays(0.5)).toBe('12h');
	});
});
