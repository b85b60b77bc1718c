import { describe, expect, it } from 'vitest';
import { protoEncode } from '../testing/proto-writer';
import { mediaType, readMediaIndex, sanitizeMediaName } from './media';

describe('media names and lists', () => {
	it('keeps ordinary names, including Unicode and dots inside the name', () => {
		expect(sanitizeMediaName('Übung..v2.mp3')).toBe('Übung..v2.mp3');
		expect(sanitizeMediaName('_font.woff2')).toBe('_font.woff2');
	});

	it('strips folders and refuses names that climb, carry control characters or are absurd', () => {
		expect(sanitizeMediaName('a/b\\c.png')).toBe('c.png');
		expect(sanitizeMediaName('../x.png')).toBeUndefined();
		expect(sanitizeMediaName('a/../../x.png')).toBeUndefined();
		expect(sanitizeMediaName('x\u0000.png')).toBeUndefined();
		expect(sanitizeMediaName('..')).toBeUndefined();
		expect(sanitizeMediaName('dir/')).toBeUndefined();
		expect(sanitizeMediaName(`${'a'.repeat(300)}.png`)).toBeUndefined();
	});

	it('gives a MIME type from the extension, octet-stream when unknown', () => {
		expect([
			mediaType('a.JPG'),
			mediaType('b.ogg'),
			mediaType('c.xyz'),
			mediaType('noext')
		]).toEqual(['image/jpeg', 'audio/ogg', 'application/octet-stream', 'application/octet-stream']);
	});

	it('reads the legacy JSON map and the latest protobuf list', () => {
		const json = new TextEncoder().encode('{"0": "a.jpg", "1": "b.mp3"}');
		expect(readMediaIndex(json, false)).toEqual([
			{ member: '0', name: 'a.jpg' },
			{ member: '1', name: 'b.mp3' }
		]);
		const proto = protoEncode({
			1: [protoEncode({ 1: 'a.jpg', 2: 10 }), protoEncode({ 1: 'b.mp3', 255: 7 })]
		});
		expect(readMediaIndex(proto, true)).toEqual([
			{ member: '0', name: 'a.jpg' },
			{ member: '7', name: 'b.mp3' }
		]);
	});
});
