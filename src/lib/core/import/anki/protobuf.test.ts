import { describe, expect, it } from 'vitest';
import { protoEncode } from '../testing/proto-writer';
import { ProtoMessage, ProtobufError, readVarint } from './protobuf';

describe('the minimal protobuf reader', () => {
	it('reads varints beyond 32 bits exactly (Anki ids are ms timestamps)', () => {
		const bytes = protoEncode({ 1: 1_727_103_163_768 });
		expect(ProtoMessage.decode(bytes).int(1)).toBe(1_727_103_163_768);
		expect(readVarint(new Uint8Array([0xac, 0x02]), 0)).toEqual([300, 2]);
	});

	it('reads a template config as Anki stores it (q_format = 1, a_format = 2)', () => {
		// A real templates.config blob from an Anki 24 collection.
		const hex =
			'0a097b7b46726f6e747d7d12277b7b46726f6e74536964657d7d0a0a3c68722069643d616e737765723e0a0a7b7b4261636b7d7d40f3a78a8ee2c984d4a201';
		const config = ProtoMessage.decode(
			Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16))
		);
		expect(config.string(1)).toBe('{{Front}}');
		expect(config.string(2)).toBe('{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}');
	});

	it('skips fields of every wire type it does not need, and defaults absent ones', () => {
		const bytes = new Uint8Array([
			...[0x09, 1, 2, 3, 4, 5, 6, 7, 8], // field 1, fixed64
			...[0x15, 1, 0, 0, 0], // field 2, fixed32
			...protoEncode({ 3: 'css', 4: [protoEncode({ 1: 'a' }), protoEncode({ 1: 'b' })] })
		]);
		const message = ProtoMessage.decode(bytes);
		expect(message.string(3)).toBe('css');
		expect(message.messages(4).map((m) => m.string(1))).toEqual(['a', 'b']);
		expect([message.int(9), message.string(9), message.has(9)]).toEqual([0, '', false]);
	});

	it('refuses truncated input and group wire types', () => {
		expect(() => ProtoMessage.decode(new Uint8Array([0x08]))).toThrow(ProtobufError);
		expect(() => ProtoMessage.decode(new Uint8Array([0x0a, 5, 1]))).toThrow(
			'truncated length-delimited field'
		);
		expect(() => ProtoMessage.decode(new Uint8Array([0x0b]))).toThrow('unsupported wire type 3');
	});
});
