/**
 * Hand-made zstd frames for fixtures (fzstd only decompresses). A frame of raw blocks is valid
 * zstd that any decoder accepts: magic, a header declaring the content size, then the bytes in
 * blocks of at most 128 KiB, each behind a 3-byte block header.
 */
const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const BLOCK = 128 * 1024;

export function zstdRaw(data: Uint8Array): Uint8Array {
	const size = data.length;
	const blocks = Math.max(1, Math.ceil(size / BLOCK));
	const out = new Uint8Array(9 + blocks * 3 + size);
	// Descriptor 0xa0: single segment, 4-byte content size, no checksum, no dictionary.
	out.set([...MAGIC, 0xa0, ...le32(size)]);
	let at = 9;
	for (let i = 0; i < blocks; i++) {
		const chunk = data.subarray(i * BLOCK, (i + 1) * BLOCK);
		out.set(blockHeader(i === blocks - 1, 0, chunk.length), at);
		out.set(chunk, at + 3);
		at += 3 + chunk.length;
	}
	return out;
}

/**
 * A frame as Anki writes each media file: no content size, a window of 2^`windowLog` bytes
 * (Anki: 2 MiB), the bytes in raw blocks. Decoders allocate the window while decoding it.
 */
export function zstdStreamed(data: Uint8Array, windowLog = 21): Uint8Array {
	const blocks = Math.max(1, Math.ceil(data.length / BLOCK));
	const out = new Uint8Array(6 + blocks * 3 + data.length);
	// Descriptor 0x00: no single segment, no content size, no checksum; then the window.
	out.set([...MAGIC, 0x00, (windowLog - 10) << 3]);
	let at = 6;
	for (let i = 0; i < blocks; i++) {
		const chunk = data.subarray(i * BLOCK, (i + 1) * BLOCK);
		out.set(blockHeader(i === blocks - 1, 0, chunk.length), at);
		out.set(chunk, at + 3);
		at += 3 + chunk.length;
	}
	return out;
}

/** A bomb: `blocks` RLE blocks of 128 KiB each, ~4 input bytes per 128 KiB of output. */
export function zstdRleBomb(blocks: number): Uint8Array {
	// No content size; window descriptor for 128 KiB (window log 17).
	const out = [...MAGIC, 0x00, (17 - 10) << 3];
	for (let i = 0; i < blocks; i++) out.push(...blockHeader(i === blocks - 1, 1, BLOCK), 0x41);
	return new Uint8Array(out);
}

/** A frame whose header claims `size` bytes of content but carries none. */
export function zstdClaiming(size: number): Uint8Array {
	return new Uint8Array([...MAGIC, 0xa0, ...le32(size), ...blockHeader(true, 0, 0)]);
}

function blockHeader(last: boolean, type: number, size: number): number[] {
	const header = (last ? 1 : 0) | (type << 1) | (size << 3);
	return [header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff];
}

function le32(value: number): number[] {
	return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24];
}
