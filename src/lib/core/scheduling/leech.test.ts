import { describe, expect, it } from 'vitest';
import { isLeech, withTag } from './leech';

describe('isLeech', () => {
	it('fires at the threshold and every half threshold after it, like Anki', () => {
		const hits = Array.from({ length: 25 }, (_, lapses) => lapses).filter((l) => isLeech(l, 8));
		expect(hits).toEqual([8, 12, 16, 20, 24]);
		const odd = Array.from({ length: 15 }, (_, lapses) => lapses).filter((l) => isLeech(l, 5));
		expect(odd).toEqual([5, 8, 11, 14]);
	});

	it('never fires with threshold 0, and on every lapse with threshold 1', () => {
		expect(isLeech(100, 0)).toBe(false);
		expect([1, 2, 3].map((l) => isLeech(l, 1))).toEqual([true, true, true]);
	});
});

describe('withTag', () => {
	it('adds a tag once, case-insensitively, without touching the input', () => {
		const tags = ['hard'];
		expect(withTag(tags, 'leech')).toEqual(['hard', 'leech']);
		expect(withTag(['Leech'], 'leech')).toEqual(['Leech']);
		expect(withTag(undefined, 'leech')).toEqual(['leech']);
		expect(tags).toEqual(['hard']);
	});
});
