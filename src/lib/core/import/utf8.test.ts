import { describe, expect, it } from 'vitest';
import { ImportError } from './bundle';
import { stableHash } from './hash';
import { decodeUtf8, firstInvalidUtf8 } from './utf8';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('decoding text files', () => {
	it('decodes UTF-8 with or without a byte-order mark', () => {
		const text = new TextEncoder().encode('Grüße\n');
		expect(decodeUtf8(text, 'a.csv')).toBe('Grüße\n');
		expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, ...text]), 'a.csv')).toBe('Grüße\n');
	});

	it('refuses invalid UTF-8, naming the line of the first bad byte', () => {
		const latin1 = new Uint8Array([
			...new TextEncoder().encode('front,back\nok,fine\n'),
			0x47,
			0x72,
			0xfc,
			0x65
		]);
		const error = (() => {
			try {
				decodeUtf8(latin1, 'deck.csv');
			} catch (e) {
				return e as ImportError;
			}
		})();
		expect(error).toBeInstanceOf(ImportError);
		expect(error?.message).toBe(
			'deck.csv, line 3: the file is not valid UTF-8 text; save it as UTF-8 and import it again'
		);
	});

	it('recognises UTF-16 and says so', () => {
		expect(() => decodeUtf8(bytes(0xff, 0xfe, 0x41, 0), 'a.txt')).toThrow(
			'the file is UTF-16 text'
		);
	});

	it('finds overlong encodings, surrogates and truncated sequences', () => {
		expect(firstInvalidUtf8(bytes(0x41, 0xc0, 0x80))).toBe(1);
		expect(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(0);
		expect(firstInvalidUtf8(bytes(0x41, 0xe2, 0x82))).toBe(1);
		expect(firstInvalidUtf8(new TextEncoder().encode('€ 𝄞 ok'))).toBe(-1);
	});
});

describe('stable hashes', () => {
	it('are 16 hex digits, equal for equal (NFC-equivalent) text and differ otherwise', () => {
		expect(stableHash('Haus')).toMatch(/^[0-9a-f]{16}$/);
		expect(stableHash('Haus')).toBe(stableHash('Haus'));
		expect(stableHash('Gr\u00fc\u00dfe')).toBe(stableHash('Gru\u0308\u00dfe'));
		expect(stableHash('Haus')).not.toBe(stableHash('Maus'));
	});
});
