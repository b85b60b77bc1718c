import { describe, expect, it } from 'vitest';
import { BACKUP_NUDGE_DAYS, nudgeDue } from './backup-due';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);

describe('whether the deck list loads the backup nudge', () => {
	it('is due 14 days after the last backup, or after the first review when there was none', () => {
		expect(BACKUP_NUDGE_DAYS).toBe(14);
		expect(nudgeDue(undefined, undefined, NOW)).toBe(false);
		expect(nudgeDue(undefined, NOW - 13 * DAY, NOW)).toBe(false);
		expect(nudgeDue(undefined, NOW - 15 * DAY, NOW)).toBe(true);
		expect(nudgeDue(NOW - 2 * DAY, NOW - 90 * DAY, NOW)).toBe(false);
		expect(nudgeDue(NOW - 15 * DAY, NOW - 90 * DAY, NOW)).toBe(true);
	});
});
