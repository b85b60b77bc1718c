/**
 * Base64 for media in a JSON backup. Written out rather than using btoa/atob, which work on
 * "binary strings" one character per byte and so need a copy of every file as a string first.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Chunks keep String.fromCharCode's argument list short. */
const CHUNK = 3 * 4096;

export function encodeBase64(bytes: Uint8Array): string {
	const parts: string[] = [];
	for (let start = 0; start < bytes.length; start += CHUNK) {
		const end = Math.min(start + CHUNK, bytes.length);
		const codes: number[] = [];
		for (let i = start; i < end; i += 3) {
			const a = bytes[i] ?? 0;
			const b = bytes[i + 1] ?? 0;
			const c = bytes[i + 2] ?? 0;
			const n = (a << 16) | (b << 8) | c;
			codes.push(
				ALPHABET.charCodeAt(n >> 18),
				ALPHABET.charCodeAt((n >> 12) & 63),
				i + 1 < end ? ALPHABET.charCodeAt((n >> 6) & 63) : 61,
				i + 2 < end ? ALPHABET.charCodeAt(n & 63) : 61
			);
		}
		parts.push(String.fromCharCode(...codes));
	}
	return parts.join('');
}

/** Throws a SyntaxError on anything that is not padded standard base64 (whitespace ignored). */
export function decodeBase64(text: string): Uint8Array {
	const clean = text.replace(/\s+/g, '');
	if (clean.length % 4 !== 0) throw new SyntaxError('base64 length is not a multiple of 4');
	const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
	const out = new Uint8Array((clean.length / 4) * 3 - padding);
	let o = 0;
	for (let i = 0; i < clean.length; i += 4) {
		let n = 0;
		for (let k = 0; k < 4; k++) {
			const code = clean.charCodeAt(i + k);
			const pad = code === 61 && i + k >= clean.length - padding;
			const value = pad ? 0 : code < 128 ? (VALUES[code] ?? -1) : -1;
			if (value < 0) throw new SyntaxError(`invalid base64 character at ${i + k}`);
			n = (n << 6) | value;
		}
		if (o < out.length) out[o++] = n >> 16;
		if (o < out.length) out[o++] = (n >> 8) & 255;
		if (o < out.length) out[o++] = n & 255;
	}
	return out;
}
