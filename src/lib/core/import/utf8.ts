import { ImportError } from './bundle';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a text file as UTF-8 (a BOM is dropped). Anything else is refused with the line of the
 * first bad byte rather than imported as mojibake; UTF-16 (what spreadsheets call "Unicode
 * text") gets its own hint because it is the usual culprit.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
		throw new ImportError('the file is UTF-16 text; save it as UTF-8 and import it again', {
			file
		});
	}
	try {
		return strict.decode(bytes);
	} catch (cause) {
		const offset = firstInvalidUtf8(bytes);
		const line = offset < 0 ? undefined : countLines(bytes, offset);
		throw new ImportError(
			'the file is not valid UTF-8 text; save it as UTF-8 and import it again',
			{ file, line, cause }
		);
	}
}

function countLines(bytes: Uint8Array, end: number): number {
	let line = 1;
	for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
	return line;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i] ?? 0;
		let need: number;
		let min: number;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
		else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
		else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
		else return i;
		let code = b & (0x3f >> need);
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined || (c & 0xc0) !== 0x80) return i;
			code = (code << 6) | (c & 0x3f);
		}
		if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
		i += need + 1;
	}
	return -1;
}
