import { describe, expect, it } from 'vitest';
import { direction, MIN_DISTANCE, SWIPE_GRADES } from './swipe';

const card = { width: 320, height: 300 };

describe('swipe direction', () => {
	it('ignores short drags', () => {
		expect(direction({ dx: 50, dy: 10, ...card })).toBeNull();
		expect(direction({ dx: MIN_DISTANCE - 1, dy: 0, width: 100, height: 100 })).toBeNull();
	});

	it('needs the distance to grow with the card (30% of its width)', () => {
		expect(direction({ dx: 90, dy: 0, ...card })).toBeNull();
		expect(direction({ dx: 100, dy: 0, ...card })).toBe('right');
		expect(direction({ dx: -100, dy: 0, ...card })).toBe('left');
	});

	it('takes a quick flick from half the distance, but not a slow half drag', () => {
		expect(direction({ dx: 60, dy: 0, vx: 1, ...card })).toBe('right');
		expect(direction({ dx: -60, dy: 0, vx: -1, ...card })).toBe('left');
		expect(direction({ dx: 60, dy: 0, vx: 0.2, ...card })).toBeNull();
		expect(direction({ dx: 40, dy: 0, vx: 2, ...card })).toBeNull();
	});

	it('needs left and right to be mostly horizontal', () => {
		expect(direction({ dx: 150, dy: 60, ...card })).toBe('right');
		expect(direction({ dx: 150, dy: 90, ...card })).toBeNull();
		expect(direction({ dx: -150, dy: -100, ...card })).toBeNull();
	});

	it('is cancelled by bringing the finger back', () => {
		// Far enough, but heading back towards where it started when lifted.
		expect(direction({ dx: 150, dy: 0, vx: -0.5, ...card })).toBeNull();
		expect(direction({ dx: -150, dy: 0, vx: 0.5, ...card })).toBeNull();
		// Held still out there: it counts.
		expect(direction({ dx: 150, dy: 0, vx: 0, ...card })).toBe('right');
	});

	it('grades nothing on vertical drags unless vertical swipes are on', () => {
		expect(direction({ dx: 0, dy: -150, ...card })).toBeNull();
		expect(direction({ dx: 10, dy: 200, vy: 1, ...card })).toBeNull();
		expect(direction({ dx: 10, dy: -150, ...card, vertical: true })).toBe('up');
		expect(direction({ dx: 10, dy: 150, ...card, vertical: true })).toBe('down');
		expect(direction({ dx: 90, dy: 150, ...card, vertical: true })).toBeNull();
	});

	it('caps the vertical distance on a long card at what a thumb can travel', () => {
		const long = { width: 320, height: 3000 };
		expect(direction({ dx: 0, dy: -150, ...long, vertical: true })).toBe('up');
	});

	it('maps right to Good, left to Again, up to Easy, down to Hard', () => {
		expect(SWIPE_GRADES).toEqual({ right: 3, left: 1, up: 4, down: 2 });
	});
});
