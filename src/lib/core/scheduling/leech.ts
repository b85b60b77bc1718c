/** Leeches: cards forgotten so often that studying them further is wasted effort. */

export const LEECH_TAG = 'leech';

/**
 * Anki's rule: a leech at `threshold` lapses, then again every half threshold (rounded up)
 * after it, so a leech that is unsuspended and keeps lapsing is caught again.
 */
export function isLeech(lapses: number, threshold: number): boolean {
	if (threshold <= 0 || lapses < threshold) return false;
	const half = Math.max(1, Math.ceil(threshold / 2));
	return (lapses - threshold) % half === 0;
}

/** `tags` with `tag` added once (case-insensitive, as Anki compares tags). */
export function withTag(tags: readonly string[] | undefined, tag: string): string[] {
	const list = [...(tags ?? [])];
	return list.some((t) => t.toLowerCase() === tag.toLowerCase()) ? list : [...list, tag];
}
