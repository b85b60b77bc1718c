/**
 * A short, stable content hash (FNV-1a, 53 bits) for deciding whether a served deck changed.
 * Not cryptographic: it only has to differ when the deck text differs.
 */
export function contentHash(text: string): string {
	let h1 = 0x811c9dc5;
	let h2 = 0x01000193;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 0x01000193);
		h2 = Math.imul(h2 ^ c, 0x5bd1e995);
	}
	return (
		(h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')
	).slice(0, 16);
}
