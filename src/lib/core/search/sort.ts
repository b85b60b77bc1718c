/**
 * Sorting in steps. Sorting 100 000 browser rows by their question text with the collator takes
 * about half a second: done in one go it would freeze the page. `sortInSteps` is a bottom-up
 * merge sort written as a generator that pauses after about `stepCompares` comparisons; the
 * caller resumes it between frames (state/browse.svelte.ts). Stable, and it never changes its
 * input.
 */

/** Runs this long are sorted by insertion before merging. */
const RUN = 32;

export function* sortInSteps<T>(
	items: readonly T[],
	compare: (a: T, b: T) => number,
	stepCompares = 20_000
): Generator<void, T[], void> {
	const n = items.length;
	let src = items.slice();
	let dst = new Array<T>(n);
	let work = 0;
	for (let start = 0; start < n; start += RUN) {
		const end = Math.min(n, start + RUN);
		for (let j = start + 1; j < end; j++) {
			const x = src[j] as T;
			let k = j - 1;
			while (k >= start && compare(src[k] as T, x) > 0) {
				src[k + 1] = src[k] as T;
				k--;
				work++;
			}
			src[k + 1] = x;
			work++;
		}
		if (work >= stepCompares) {
			work = 0;
			yield;
		}
	}
	for (let width = RUN; width < n; width *= 2) {
		for (let lo = 0; lo < n; lo += 2 * width) {
			const mid = Math.min(lo + width, n);
			const hi = Math.min(lo + 2 * width, n);
			let i = lo;
			let j = mid;
			let k = lo;
			while (i < mid && j < hi) {
				// Equal rows keep their order: the left one goes first.
				dst[k++] = compare(src[j] as T, src[i] as T) < 0 ? (src[j++] as T) : (src[i++] as T);
				if (++work >= stepCompares) {
					work = 0;
					yield;
				}
			}
			while (i < mid) dst[k++] = src[i++] as T;
			while (j < hi) dst[k++] = src[j++] as T;
		}
		[src, dst] = [dst, src];
	}
	return src;
}

/** Runs a stepwise sort to the end at once (tests, small inputs). */
export function finishSort<T>(steps: Generator<void, T[], void>): T[] {
	for (;;) {
		const next = steps.next();
		if (next.done) return next.value;
	}
}
