import { describe, expect, it } from 'vitest';
import { ACCOUNT_KEY } from './sync-repo';
import { SYNC_ACCOUNT_KEY } from './sync-signed-in';

describe('the start-up sign-in check', () => {
	it('reads the same meta row the sync code writes', () => {
		expect(SYNC_ACCOUNT_KEY).toBe(ACCOUNT_KEY);
	});
});
