import { describe, expect, it } from 'vitest';
import { direction, SWIPE_GRADES } from './swipe';

describe('swipe direction', () => {
	it('ignores short drags', () => {
		expect(direction(50, 10, 320, 300)).toBeNull();
	});
	it('reads the dominant axis', () => {
		expect(direction(120, 30, 320, 300)).toBe('right');
		expect(direction(-120, 30, 320, 300)).toBe('left');
		expect(direction(10, -120, 320, 300)).toBe('up');
		expect(direction(10, 120, 320, 300)).toBe('down');
	});
	it('maps right to Good, left to Again, up to Easy, down to Hard', () => {
		expect(SWIPE_GRADES).toEqual({ right: 3, left: 1, up: 4, down: 2 });
	});
});
