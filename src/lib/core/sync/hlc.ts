/**
 * Hybrid logical clock (Kulkarni et al.): wall time in ms, a counter for events within the same
 * ms (or while the wall clock is behind the latest time seen), and the node that made the event.
 * Encoded as a fixed-width string of digits and lowercase letters, so that comparing two stamps
 * as strings (in JS, or as text in SQL under any collation) compares them as clocks.
 *
 *   000001733500000000 00003 k3j9x0a1b2c3   →  "00000173350000000000003k3j9x0a1b2c3"
 *   └ ms, 15 digits ───┘└ counter, 5 ┘└ node, 1–16 [0-9a-z]
 *
 * No `Date.now()` here: the wall clock is passed in (core never reads time itself).
 */

export interface HlcParts {
	ms: number;
	counter: number;
	node: string;
}

const MS_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 99_999;
export const HLC_PATTERN = /^\d{20}[0-9a-z]{1,16}$/;
const NODE_PATTERN = /^[0-9a-z]{1,16}$/;

export function formatHlc({ ms, counter, node }: HlcParts): string {
	if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`HLC time ${ms} is not valid`);
	if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
		throw new RangeError(`HLC counter ${counter} is out of range`);
	}
	if (!NODE_PATTERN.test(node)) throw new RangeError(`HLC node "${node}" is not valid`);
	return String(ms).padStart(MS_WIDTH, '0') + String(counter).padStart(COUNTER_WIDTH, '0') + node;
}

export function parseHlc(stamp: string): HlcParts {
	if (!HLC_PATTERN.test(stamp)) throw new RangeError(`"${stamp}" is not a clock stamp`);
	return {
		ms: Number(stamp.slice(0, MS_WIDTH)),
		counter: Number(stamp.slice(MS_WIDTH, MS_WIDTH + COUNTER_WIDTH)),
		node: stamp.slice(MS_WIDTH + COUNTER_WIDTH)
	};
}

export function isHlc(stamp: unknown): stamp is string {
	return typeof stamp === 'string' && HLC_PATTERN.test(stamp);
}

/** Negative when `a` happened before `b`; a total order (the node breaks ties). */
export function compareHlc(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One node's clock. `now()` is the wall clock; `tick()` stamps a local event, `receive()` takes in
 * a stamp seen from elsewhere so that every later local event is ordered after it.
 */
export class HybridClock {
	#last: HlcParts;

	constructor(
		readonly node: string,
		private readonly now: () => number,
		last?: string
	) {
		if (!NODE_PATTERN.test(node)) throw new RangeError(`HLC node "${node}" is not valid`);
		this.#last = last ? parseHlc(last) : { ms: 0, counter: 0, node };
	}

	/** The latest stamp this clock has given or seen. */
	get last(): string {
		return formatHlc(this.#last);
	}

	tick(): string {
		const wall = Math.floor(this.now());
		const last = this.#last;
		this.#last =
			wall > last.ms
				? { ms: wall, counter: 0, node: this.node }
				: this.#bump(last.ms, last.counter + 1);
		return formatHlc(this.#last);
	}

	receive(stamp: string): void {
		const remote = parseHlc(stamp);
		const wall = Math.floor(this.now());
		const last = this.#last;
		const ms = Math.max(wall, last.ms, remote.ms);
		let counter = 0;
		if (ms === last.ms && ms === remote.ms) counter = Math.max(last.counter, remote.counter) + 1;
		else if (ms === last.ms) counter = last.counter + 1;
		else if (ms === remote.ms) counter = remote.counter + 1;
		this.#last = this.#bump(ms, counter);
	}

	/** A counter that runs over moves the clock on by a ms rather than wrapping. */
	#bump(ms: number, counter: number): HlcParts {
		return counter > MAX_COUNTER
			? { ms: ms + 1, counter: 0, node: this.node }
			: { ms, counter, node: this.node };
	}
}
