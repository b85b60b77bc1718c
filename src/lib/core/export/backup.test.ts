import { describe, expect, it } from 'vitest';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import { ImportError } from '../import/bundle';
import { newCard } from '../scheduling';
import { createDefaultPreset } from '../scheduling/preset';
import { recallDeck } from '../testing/factories';
import { decodeBase64, encodeBase64 } from './base64';
import { backupToBundle, parseBackup, serializeBackup, type BackupTables } from './backup';

const NOW = Date.UTC(2025, 0, 15, 12);

function tables(): BackupTables {
	const deck = recallDeck({ id: 'deck', title: 'Deck' });
	const notes = noteRecords(deck, NOW);
	const cards = notes.flatMap(cardStubs).map(newCard);
	return {
		decks: [deckRecord(deck, 'builtin', NOW, 'hash')],
		notes,
		cards,
		revlog: [
			{
				id: 7,
				cardId: cards[0]!.id,
				deckId: 'deck',
				reviewedAt: NOW,
				rating: 3,
				state: 0,
				due: 0,
				stability: 2.3,
				difficulty: 5.1,
				elapsedDays: 0,
				scheduledDays: 0,
				durationMs: 1200
			}
		],
		presets: [createDefaultPreset(), createDefaultPreset({ id: 'fast', name: 'Fast' })],
		models: [],
		meta: [{ key: 'lastBackupAt', value: NOW - 1 }],
		media: [{ name: 'a b.png', type: 'image/png', data: new Uint8Array([0, 1, 2, 250, 255]) }]
	};
}

const text = (t: BackupTables) => serializeBackup(t, NOW).join('');

describe('base64', () => {
	it.each([0, 1, 2, 3, 4, 5, 100, 40_000])('round-trips %i bytes', (n) => {
		const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
		const encoded = encodeBase64(bytes);
		expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
		expect(decodeBase64(encoded)).toEqual(bytes);
	});

	it('refuses characters outside the alphabet', () => {
		expect(() => decodeBase64('ab$d')).toThrow(SyntaxError);
	});
});

describe('the whole-collection backup', () => {
	it('parses back to exactly the tables it was made from', () => {
		const original = tables();
		const parsed = parseBackup(text(original), 'backup.json');
		expect(parsed).toEqual({ format: 'recall-backup', version: 1, exportedAt: NOW, ...original });
	});

	it.each([
		['not JSON', '{"format":', 'backup.json: the backup is not valid JSON'],
		['another JSON file', '{"format":"recall-deck"}', 'this is not a Recall backup'],
		['a newer format', '{"format":"recall-backup","version":9}', 'made by a newer Recall'],
		['a missing table', '{"format":"recall-backup","version":1,"decks":[]}', 'has no "notes" list']
	])('refuses %s with a message', (_, input, message) => {
		expect(() => parseBackup(input, 'backup.json')).toThrow(message);
	});

	it('names the entry at fault: a card whose note is missing, a bad field, damaged media', () => {
		const orphan = tables();
		orphan.cards[0] = { ...orphan.cards[0]!, noteId: 'gone' };
		expect(() => parseBackup(text(orphan), 'b.json')).toThrow(
			'b.json, entry "cards[0]": belongs to a note or deck the backup does not have'
		);
		const bad = JSON.parse(text(tables())) as { notes: Record<string, unknown>[] };
		bad.notes[1]!.tags = 'x';
		expect(() => parseBackup(JSON.stringify(bad), 'b.json')).toThrow(
			'entry "notes[1]": "tags" is missing or not a string list'
		);
		const media = JSON.parse(text(tables())) as { media: { data: string }[] };
		media.media[0]!.data = '@@@@';
		expect(() => parseBackup(JSON.stringify(media), 'b.json')).toThrow(ImportError);
		const twice = tables();
		twice.notes.push({ ...twice.notes[0]! });
		expect(() => parseBackup(text(twice), 'b.json')).toThrow('entry "notes[3]": repeats the id');
	});

	it('becomes an import bundle without review-log ids or presets when merged on the import page', () => {
		const bundle = backupToBundle(parseBackup(text(tables()), 'b.json'));
		expect(bundle.revlog[0]).not.toHaveProperty('id');
		expect(bundle.notes).toHaveLength(3);
		expect(bundle.media[0]?.data).toEqual(new Uint8Array([0, 1, 2, 250, 255]));
		expect(bundle.warnings[0]).toMatch(/presets were not imported/);
	});
});
