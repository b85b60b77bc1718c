import { decompress } from 'fzstd';

/**
 * zstd for the latest Anki packages (collection.anki21b, the media list and media files).
 * fzstd allocates what a frame header declares before decoding, so every frame is walked first
 * (headers and block headers only, no decoding) to bound the output; the caller charges that
 * bound to its byte budget, and a bomb is refused before anything large is allocated.
 *
 * A frame without a content size (how Anki writes each media file) also makes fzstd allocate its
 * window (Anki: 2 MiB) while that one frame is decoded. The window is a per-file working buffer,
 * freed when the file is done, not output the import keeps: it counts towards the one file's
 * peak (the per-file limit) but not towards the package's total, or a package of a few hundred
 * small sound files would be charged a gigabyte it never holds.
 */

const MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;
/** zstd's own decoders refuse larger windows unless told otherwise (`--long`). */
const WINDOW_MAX = 2 ** 27;

export class ZstdFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ZstdFormatError';
	}
}

export function isZstd(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && u32(bytes, 0) === MAGIC;
}

/**
 * Decompresses after `claim(output, peak)` has accepted the most the frames can write (`output`)
 * and the most memory decoding them can hold at once (`peak`: output plus the largest window).
 */
export function decompressZstd(
	bytes: Uint8Array,
	claim: (output: number, peak: number) => void
): Uint8Array {
	const { output, peak } = zstdBounds(bytes);
	claim(output, peak);
	try {
		return decompress(bytes);
	} catch (cause) {
		throw new ZstdFormatError(`damaged zstd data (${(cause as Error).message})`);
	}
}

/** The largest output the frames can produce, from their headers alone. */
export function zstdOutputBound(bytes: Uint8Array): number {
	return zstdBounds(bytes).output;
}

/** The largest output, and the largest memory while decoding (output + the largest window). */
export function zstdBounds(bytes: Uint8Array): { output: number; peak: number } {
	if (!isZstd(bytes)) throw new ZstdFormatError('not zstd data');
	let pos = 0;
	let bound = 0;
	let buffer = 0;
	while (pos < bytes.length) {
		need(bytes, pos, 8);
		const magic = u32(bytes, pos);
		if (magic >>> 4 === 0x184d2a5) {
			// Skippable frame: metadata that decoders pass over.
			pos += 8 + u32(bytes, pos + 4);
			continue;
		}
		if (magic !== MAGIC) throw new ZstdFormatError('unexpected bytes after a zstd frame');
		const frame = frameBound(bytes, pos + 4);
		bound += frame.bound;
		buffer = Math.max(buffer, frame.buffer);
		pos = frame.end;
	}
	if (pos > bytes.length) throw new ZstdFormatError('truncated zstd data');
	return { output: bound, peak: bound + buffer };
}

function frameBound(
	bytes: Uint8Array,
	start: number
): { bound: number; buffer: number; end: number } {
	const descriptor = bytes[start] ?? 0;
	const sizeFlag = descriptor >> 6;
	const singleSegment = (descriptor >> 5) & 1;
	const checksum = (descriptor >> 2) & 1;
	if (descriptor & 8) throw new ZstdFormatError('reserved zstd header bit set');
	let pos = start + 1;
	let window = 0;
	if (!singleSegment) {
		const wd = bytes[pos++] ?? 0;
		const base = 2 ** (10 + (wd >> 3));
		window = base + (base / 8) * (wd & 7);
	}
	pos += [0, 1, 2, 4][descriptor & 3] ?? 0;
	const sizeBytes = [singleSegment, 2, 4, 8][sizeFlag] ?? 0;
	need(bytes, pos, sizeBytes);
	let contentSize: number | undefined;
	if (sizeBytes > 0) {
		contentSize = 0;
		for (let i = sizeBytes - 1; i >= 0; i--)
			contentSize = contentSize * 256 + (bytes[pos + i] ?? 0);
		if (sizeBytes === 2) contentSize += 256;
	}
	pos += sizeBytes;
	// A single-segment frame's window is its content, which the budget checks instead.
	if (singleSegment) window = contentSize ?? 0;
	else if (window > WINDOW_MAX) throw new ZstdFormatError('zstd window too large');
	let blocks = 0;
	for (let last = false; !last;) {
		need(bytes, pos, 3);
		const header = (bytes[pos] ?? 0) | ((bytes[pos + 1] ?? 0) << 8) | ((bytes[pos + 2] ?? 0) << 16);
		last = (header & 1) === 1;
		const type = (header >> 1) & 3;
		const size = header >>> 3;
		pos += 3;
		if (type === 3) throw new ZstdFormatError('reserved zstd block type');
		// Raw and RLE blocks say exactly what they produce; a compressed one at most a block.
		blocks += type === 2 ? Math.min(BLOCK_MAX, window || BLOCK_MAX) : size;
		pos += type === 1 ? 1 : size;
	}
	pos += checksum * 4;
	need(bytes, pos, 0);
	// fzstd allocates the declared content size up front (the output is its window); without one
	// it allocates the window apart and appends each block's output: only the blocks are kept.
	return contentSize === undefined
		? { bound: blocks, buffer: window, end: pos }
		: { bound: contentSize, buffer: 0, end: pos };
}

function need(bytes: Uint8Array, pos: number, count: number): void {
	if (pos + count > bytes.length) throw new ZstdFormatError('truncated zstd data');
}

function u32(bytes: Uint8Array, pos: number): number {
	return (
		((bytes[pos] ?? 0) | ((bytes[pos + 1] ?? 0) << 8) | ((bytes[pos + 2] ?? 0) << 16)) +
		(bytes[pos + 3] ?? 0) * 2 ** 24
	);
}
