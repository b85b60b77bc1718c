/**
 * Swipe-to-grade on the card (an attachment): right Good, left Again and, when the user turns
 * them on, up Easy and down Hard. A grade needs a deliberate gesture: far enough (or a quick
 * flick), mostly along one axis, and still heading out when the finger lifts. While the finger
 * moves the card follows it and `onmove` says which grade a release would give, so the user sees
 * it coming; bringing the finger back cancels. With vertical swipes off (the default) a vertical
 * drag is left to the browser: it scrolls a long answer, and grades nothing.
 */
import type { Attachment } from 'svelte/attachments';
import type { Grade } from '$lib/core/model';

export type SwipeDirection = 'left' | 'right' | 'up' | 'down';

export const SWIPE_GRADES: Record<SwipeDirection, Grade> = { right: 3, left: 1, up: 4, down: 2 };

/** A swipe travels at least this far (px)… */
export const MIN_DISTANCE = 80;
/** …and at least this fraction of the card's width (height, for vertical swipes). */
const FRACTION = 0.3;
/** A swipe is at least this many times longer along its axis than across it. */
const AXIS_RATIO = 2;
/** A flick (at least this fast, px/ms, outwards) counts from half the distance. */
const FLICK_SPEED = 0.6;
/** Coming back at least this fast (px/ms) when the finger lifts cancels the swipe. */
const RETURN_SPEED = 0.3;

export interface SwipeMotion {
	/** Travel since the finger went down (px). */
	dx: number;
	dy: number;
	/** The card's size (px): the distance a swipe needs grows with it. */
	width: number;
	height: number;
	/** The finger's velocity over its last moves (px/ms); 0 while it is held still. */
	vx?: number;
	vy?: number;
	/** Whether up (Easy) and down (Hard) grade too. */
	vertical?: boolean;
}

/** The swipe a release would make now, or null (too short, too slow, diagonal, coming back). */
export function direction({
	dx,
	dy,
	width,
	height,
	vx = 0,
	vy = 0,
	vertical = false
}: SwipeMotion): SwipeDirection | null {
	const ax = Math.abs(dx);
	const ay = Math.abs(dy);
	const along = (d: number, v: number, size: number): boolean => {
		const need = Math.max(MIN_DISTANCE, FRACTION * size);
		// Velocity measured outwards: positive while moving away from where the finger started.
		const out = Math.sign(d) * v;
		if (out <= -RETURN_SPEED) return false;
		return Math.abs(d) >= need || (Math.abs(d) >= need / 2 && out >= FLICK_SPEED);
	};
	if (ax >= AXIS_RATIO * ay && along(dx, vx, width)) return dx > 0 ? 'right' : 'left';
	// A long card's height is not what a thumb can travel: the screen caps it.
	if (vertical && ay >= AXIS_RATIO * ax && along(dy, vy, Math.min(height, width * 1.5))) {
		return dy > 0 ? 'down' : 'up';
	}
	return null;
}

/** How far back (ms) the moves are that the release velocity is measured over. */
const VELOCITY_WINDOW = 100;

export function swipe(options: {
	enabled: () => boolean;
	/** Whether up and down grade (off: vertical drags scroll). */
	vertical: () => boolean;
	onswipe: (dir: SwipeDirection) => void;
	onmove?: (dir: SwipeDirection | null) => void;
}): Attachment<HTMLElement> {
	return (node) => {
		let start: { x: number; y: number; id: number } | null = null;
		let samples: { x: number; y: number; t: number }[] = [];
		const motion = (e: PointerEvent): SwipeMotion => {
			const now = { x: e.clientX, y: e.clientY, t: e.timeStamp };
			samples = [...samples.filter((s) => now.t - s.t <= VELOCITY_WINDOW), now];
			const first = samples[0]!;
			const dt = now.t - first.t;
			return {
				dx: now.x - start!.x,
				dy: now.y - start!.y,
				width: node.offsetWidth,
				height: node.offsetHeight,
				vx: dt > 0 ? (now.x - first.x) / dt : 0,
				vy: dt > 0 ? (now.y - first.y) / dt : 0,
				vertical: options.vertical()
			};
		};
		const reset = () => {
			node.style.transform = '';
			node.style.transition = 'transform 150ms ease-out';
			options.onmove?.(null);
			start = null;
			samples = [];
		};
		const down = (e: PointerEvent) => {
			if (!options.enabled() || e.pointerType === 'mouse') return;
			// A second finger (a pinch) is not a swipe.
			if (start) return reset();
			start = { x: e.clientX, y: e.clientY, id: e.pointerId };
			samples = [{ x: e.clientX, y: e.clientY, t: e.timeStamp }];
			node.style.transition = 'none';
		};
		const move = (e: PointerEvent) => {
			if (!start || e.pointerId !== start.id) return;
			const m = motion(e);
			const ty = m.vertical ? m.dy : 0;
			node.style.transform = `translate(${m.dx}px, ${ty}px) rotate(${m.dx / 40}deg)`;
			// What a release would do if the finger stopped here: the coming grade.
			options.onmove?.(direction({ ...m, vx: 0, vy: 0 }));
		};
		const up = (e: PointerEvent) => {
			if (!start || e.pointerId !== start.id) return;
			const dir = direction(motion(e));
			reset();
			if (dir) options.onswipe(dir);
		};
		node.addEventListener('pointerdown', down);
		node.addEventListener('pointermove', move);
		node.addEventListener('pointerup', up);
		// The browser took the gesture (a scroll): nothing is graded.
		node.addEventListener('pointercancel', reset);
		return () => {
			node.removeEventListener('pointerdown', down);
			node.removeEventListener('pointermove', move);
			node.removeEventListener('pointerup', up);
			node.removeEventListener('pointercancel', reset);
		};
	};
}
