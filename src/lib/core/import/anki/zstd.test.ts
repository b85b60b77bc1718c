import { describe, expect, it } from 'vitest';
import { zstdClaiming, zstdRaw, zstdRleBomb, zstdStreamed } from '../testing/zstd-frames';
import { ZstdFormatError, decompressZstd, isZstd, zstdBounds, zstdOutputBound } from './zstd';

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

	it('bounds a frame without a content size by its blocks, and its peak by blocks and window', () => {
		expect(zstdBounds(zstdRleBomb(10))).toEqual({ output: 10 * 128 * 1024, peak: 11 * 128 * 1024 });
		expect(zstdBounds(zstdClaiming(1 << 30))).toEqual({ output: 1 << 30, peak: 1 << 30 });
	});

	it('charges an Anki media frame (no size, 2 MiB window) what it writes, not its window', () => {
		const data = Uint8Array.from({ length: 90_000 }, (_, i) => (i * 7) % 256);
		const frame = zstdStreamed(data);
		let charged: [number, number] = [0, 0];
		expect(decompressZstd(frame, (output, peak) => (charged = [output, peak]))).toEqual(data);
		expect(charged).toEqual([90_000, 90_000 + 2 * 1024 * 1024]);
		// Two frames back to back: outputs add up, the window is held for one frame at a time.
		const two = new Uint8Array([...frame, ...frame]);
		expect(zstdBounds(two)).toEqual({ output: 180_000, peak: 180_000 + 2 * 1024 * 1024 });
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
