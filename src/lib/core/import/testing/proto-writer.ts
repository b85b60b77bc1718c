/** A protobuf writer for fixtures: the importer only reads, tests have to write. */
export type ProtoValue = number | string | Uint8Array | ProtoValue[];

export function protoEncode(fields: Record<number, ProtoValue | undefined>): Uint8Array {
	const out: number[] = [];
	const put = (field: number, value: ProtoValue) => {
		if (Array.isArray(value)) {
			for (const item of value) put(field, item);
		} else if (typeof value === 'number') {
			out.push(...varint(field * 8), ...varint(value));
		} else {
			const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
			out.push(...varint(field * 8 + 2), ...varint(bytes.length), ...bytes);
		}
	};
	for (const [field, value] of Object.entries(fields)) {
		if (value !== undefined) put(Number(field), value);
	}
	return new Uint8Array(out);
}

function varint(value: number): number[] {
	const bytes: number[] = [];
	let rest = value;
	while (rest >= 0x80) {
		bytes.push((rest % 128) | 0x80);
		rest = Math.floor(rest / 128);
	}
	bytes.push(rest);
	return bytes;
}
