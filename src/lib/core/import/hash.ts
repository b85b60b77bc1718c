/**
 * A stable 64-bit identity (two 32-bit FNV-1a style lanes) for content that has none of its own,
 * such as a CSV row's front, so that importing the same file twice yields the same ids. NFC first,
 * so the same text typed on two systems hashes alike. Not cryptographic.
 */
export function stableHash(text: string): string {
	const normal = text.normalize('NFC');
	let h1 = 0x811c9dc5;
	let h2 = 0x9747b28c;
	for (let i = 0; i < normal.length; i++) {
		const c = normal.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 0x01000193);
		h2 = Math.imul(h2 ^ c, 0x5bd1e995);
		h2 ^= h2 >>> 15;
	}
	return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
