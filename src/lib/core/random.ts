/**
 * mulberry32: a small, fast, seedable generator of numbers in [0, 1). The same seed gives the
 * same sequence on every run, which is what simulations, seeded test data and benchmarks need.
 * Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
