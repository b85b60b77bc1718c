import { describe, expect, it } from 'vitest';
import { CardState } from '../core/model';
import type { ReviewRecord } from '../core/optimizer/items';
import { buffersOf, packRecords, unpackRecords } from './packed-records';

describe('packRecords', () => {
	it('gives the records back after unpacking, states known or not', () => {
		const records: ReviewRecord[] = [
			{ cardId: 'a', reviewedAt: 1_700_000_000_123, rating: 3, state: CardState.New },
			{ cardId: 'b', reviewedAt: 1_700_000_100_000, rating: 0 },
			{ cardId: 'a', reviewedAt: 1_700_086_400_000, rating: 1, state: CardState.Review }
		];
		const packed = packRecords(records);
		expect(packed.cardIds).toEqual(['a', 'b']);
		expect([...packed.card]).toEqual([0, 1, 0]);
		expect(unpackRecords(packed)).toEqual(records);
		expect(buffersOf(packed)).toHaveLength(4);
	});
});
