/**
 * Swipe-to-grade on the card (an attachment): right Good, left Again, up Easy, down Hard. The
 * card follows the finger so the gesture is visible before it commits; a short drag snaps back.
 */
import type { Attachment } from 'svelte/attachments';
import type { Grade } from '$lib/core/model';

export type SwipeDirection = 'left' | 'right' | 'up' | 'down';

export const SWIPE_GRADES: Record<SwipeDirection, Grade> = { right: 3, left: 1, up: 4, down: 2 };

/** Fraction of the card's width (or height) a drag must travel to count. */
const THRESHOLD = 0.28;

export function direction(
	dx: number,
	dy: number,
	width: number,
	height: number
): SwipeDirection | null {
	const h = Math.abs(dx) / Math.max(width, 1);
	const v = Math.abs(dy) / Math.max(height, 1);
	if (Math.max(h, v) < THRESHOLD) return null;
	if (h >= v) return dx > 0 ? 'right' : 'left';
	return dy > 0 ? 'down' : 'up';
}

export function swipe(options: {
	enabled: () => boolean;
	onswipe: (dir: SwipeDirection) => void;
	onmove?: (dir: SwipeDirection | null) => void;
}): Attachment<HTMLElement> {
	return (node) => {
		let start: { x: number; y: number; id: number } | null = null;
		const reset = () => {
			node.style.transform = '';
			node.style.transition = 'transform 150ms ease-out';
			options.onmove?.(null);
			start = null;
		};
		const down = (e: PointerEvent) => {
			if (!options.enabled() || e.pointerType === 'mouse') return;
			start = { x: e.clientX, y: e.clientY, id: e.pointerId };
			node.style.transition = 'none';
		};
		const move = (e: PointerEvent) => {
			if (!start || e.pointerId !== start.id) return;
			const dx = e.clientX - start.x;
			const dy = e.clientY - start.y;
			node.style.transform = `translate(${dx}px, ${dy}px) rotate(${dx / 40}deg)`;
			options.onmove?.(direction(dx, dy, node.offsetWidth, node.offsetHeight));
		};
		const up = (e: PointerEvent) => {
			if (!start || e.pointerId !== start.id) return;
			const dir = direction(
				e.clientX - start.x,
				e.clientY - start.y,
				node.offsetWidth,
				node.offsetHeight
			);
			reset();
			if (dir) options.onswipe(dir);
		};
		node.addEventListener('pointerdown', down);
		node.addEventListener('pointermove', move);
		node.addEventListener('pointerup', up);
		node.addEventListener('pointercancel', reset);
		return () => {
			node.removeEventListener('pointerdown', down);
			node.removeEventListener('pointermove', move);
			node.removeEventListener('pointerup', up);
			node.removeEventListener('pointercancel', reset);
		};
	};
}
