/**
 * Just enough protobuf to read the few fields Recall needs from Anki's config blobs (template
 * formats, note type kind and CSS, deck description, package version, media list). Unknown
 * fields are skipped by wire type, so newer Anki versions adding fields do not break reading.
 */

export class ProtobufError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ProtobufError';
	}
}

interface Field {
	wire: number;
	/** Varint and fixed values, as a JS number (exact up to 2^53: Anki ids fit). */
	int: number;
	bytes?: Uint8Array;
}

const utf8 = new TextDecoder();

export class ProtoMessage {
	private constructor(private readonly fields: Map<number, Field[]>) {}

	static decode(buf: Uint8Array): ProtoMessage {
		const fields = new Map<number, Field[]>();
		let pos = 0;
		while (pos < buf.length) {
			const [key, afterKey] = readVarint(buf, pos);
			const number = Math.floor(key / 8);
			const wire = key % 8;
			if (number === 0) throw new ProtobufError('field number 0');
			let field: Field;
			[field, pos] = readValue(buf, afterKey, wire);
			const list = fields.get(number);
			if (list) list.push(field);
			else fields.set(number, [field]);
		}
		return new ProtoMessage(fields);
	}

	has(field: number): boolean {
		return this.fields.has(field);
	}

	/** Last value wins, as in protobuf; absent fields read as the proto3 default. */
	int(field: number): number {
		return this.fields.get(field)?.at(-1)?.int ?? 0;
	}

	bytes(field: number): Uint8Array | undefined {
		return this.fields.get(field)?.at(-1)?.bytes;
	}

	string(field: number): string {
		const bytes = this.bytes(field);
		return bytes ? utf8.decode(bytes) : '';
	}

	message(field: number): ProtoMessage | undefined {
		const bytes = this.bytes(field);
		return bytes ? ProtoMessage.decode(bytes) : undefined;
	}

	messages(field: number): ProtoMessage[] {
		return (this.fields.get(field) ?? []).flatMap((f) =>
			f.bytes ? [ProtoMessage.decode(f.bytes)] : []
		);
	}
}

export function readVarint(buf: Uint8Array, start: number): [value: number, next: number] {
	let value = 0;
	let scale = 1;
	for (let pos = start; pos < start + 10; pos++) {
		const byte = buf[pos];
		if (byte === undefined) throw new ProtobufError('truncated varint');
		// Multiplication instead of shifts: shifts would wrap at 32 bits.
		value += (byte & 0x7f) * scale;
		scale *= 128;
		if (byte < 0x80) return [value, pos + 1];
	}
	throw new ProtobufError('varint longer than 10 bytes');
}

function readValue(buf: Uint8Array, pos: number, wire: number): [Field, number] {
	switch (wire) {
		case 0: {
			const [int, next] = readVarint(buf, pos);
			return [{ wire, int }, next];
		}
		case 1:
		case 5: {
			const size = wire === 1 ? 8 : 4;
			if (pos + size > buf.length) throw new ProtobufError('truncated fixed-size field');
			let int = 0;
			for (let i = size - 1; i >= 0; i--) int = int * 256 + (buf[pos + i] ?? 0);
			return [{ wire, int }, pos + size];
		}
		case 2: {
			const [length, start] = readVarint(buf, pos);
			if (start + length > buf.length) throw new ProtobufError('truncated length-delimited field');
			return [{ wire, int: length, bytes: buf.subarray(start, start + length) }, start + length];
		}
		default:
			throw new ProtobufError(`unsupported wire type ${wire}`);
	}
}
