import { describe, expect, it } from 'vitest';
import { zstdClaiming, zstdRaw, zstdRleBomb } from '../testing/zstd-frames';
import { ZstdFormatError, decompressZstd, isZstd, zstdOutputBound } from './zstd';

describe('zstd with a bound checked before decoding', () => {
	it('round-trips a hand-made raw-block frame through fzstd', () => {
		const data = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
		const frame = zstdRaw(data);
		expect(isZstd(frame)).toBe(true);
		expect(zstdOutputBound(frame)).toBe(300_000);
		let claimed = 0;
		expect(decompressZstd(frame, (bound) => (claimed = bound))).toEqual(data);
		expect(claimed).toBe(300_000);
	});

	it('bounds a frame without a content size by its blocks and window', () => {
		expect(zstdOutputBound(zstdRleBomb(10))).toBe(11 * 128 * 1024);
		expect(zstdOutputBound(zstdClaiming(1 << 30))).toBe(1 << 30);
	});

	it('lets the claim refuse before anything is decompressed', () => {
		const refuse = () => {
			throw new Error('over budget');
		};
		expect(() => decompressZstd(zstdRleBomb(1000), refuse)).toThrow('over budget');
	});

	it('rejects truncated frames and data that is not zstd', () => {
		const frame = zstdRaw(new Uint8Array(1000));
		expect(() => zstdOutputBound(frame.subarray(0, 500))).toThrow(ZstdFormatError);
		expect(() => zstdOutputBound(new Uint8Array([1, 2, 3, 4]))).toThrow('not zstd data');
	});
});
