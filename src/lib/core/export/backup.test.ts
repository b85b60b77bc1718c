import { describe, expect, it } from 'vitest';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import { ImportError } from '../import/bundle';
import { newCard } from '../scheduling';
import { createDefaultPreset } from '../scheduling/preset';
import { deckNote, recallDeck } from '../testing/factories';
import { decodeBase64, encodeBase64 } from './base64';
import { backupToBundle, parseBackup, serializeBackup, type BackupTables } from './backup';

const NOW = Date.UTC(2025, 0, 15, 12);

function tables(): BackupTables {
	// Every optional field, so the round trip shows none is dropped.
	const deck = recallDeck({
		id: 'deck',
		title: 'Deck',
		notes: [
			deckNote({ extra: 'context' }),
			deckNote({ type: 'reversed', reversePrompt: 'Asked the other way?', extra: 'more' }),
			deckNote({ type: 'cloze', text: 'A {{c1::b}}', extra: 'cloze extra' })
		]
	});
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
/** A backup as parsed JSON, to damage a row of a table before it is read back. */
type Damageable = Record<'notes' | 'cards' | 'revlog' | 'models', Record<string, unknown>[]>;

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
		expect(parsed.notes.map((n) => [n.fields.extra, n.fields.reversePrompt])).toEqual([
			['context', undefined],
			['more', 'Asked the other way?'],
			['cloze extra', undefined]
		]);
	});

	it.each([
		['cut-off JSON', '{"format":', 'backup.json: the backup is damaged or incomplete'],
		[
			'a CSV file',
			'front,back\nQ,A\n',
			'backup.json: it is not a Recall backup but looks like a CSV file. To restore, choose the .json file that “Download backup” saved (named like recall-backup-2026-01-15.json); to add the cards in this file, use Import instead'
		],
		['an Anki package', 'PK\u0003\u0004', 'looks like a zip file (an Anki package?)'],
		['another JSON file', '{"format":"recall-deck"}', 'it is not a Recall backup'],
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

	it.each<[string, (t: Damageable) => void, string]>([
		[
			'a field that is not text',
			(t) => (t.notes[0]!.fields = { front: { html: 'x' }, back: 'b' }),
			'entry "notes[0]": "fields" must all be text'
		],
		[
			'a card state',
			(t) => (t.cards[0]!.state = 8.64e15),
			'entry "cards[0]": has an unknown state'
		],
		['a rating', (t) => (t.revlog[0]!.rating = 1e308), 'entry "revlog[0]": has an unknown rating'],
		['a review time', (t) => (t.revlog[0]!.reviewedAt = 8e15), '"reviewedAt" is not a date'],
		['an empty id', (t) => (t.cards[0]!.id = ''), 'entry "cards[0]": has an empty id'],
		[
			'an Anki note without its note type',
			(t) => Object.assign(t.notes[0]!, { type: 'anki', modelId: 'gone' }),
			'entry "notes[0]": uses a note type the backup does not have'
		],
		[
			'a note type with a broken template',
			(t) =>
				t.models.push({
					id: 'm',
					name: 'M',
					kind: 'standard',
					fields: [],
					css: '',
					templates: [1]
				}),
			'entry "models[0]": is not a note type'
		],
		[
			'a huge unknown note type, quoted short',
			(t) => (t.notes[0]!.type = 'x'.repeat(20_000)),
			`has an unknown note type "${'x'.repeat(77)}…"`
		]
	])('refuses %s, naming the entry (found by the fuzz test)', (_, damage, message) => {
		const damaged = JSON.parse(text(tables())) as Damageable;
		damage(damaged);
		expect(() => parseBackup(JSON.stringify(damaged), 'b.json')).toThrow(message);
	});

	it('reads an impossible export time as none', () => {
		const raw = text(tables()).replace(`"exportedAt":${NOW}`, '"exportedAt":1e999');
		expect(parseBackup(raw, 'b.json').exportedAt).toBe(0);
	});

	it('leaves reviews of cards it does not hold out of a merge, saying so, but keeps them for a restore', () => {
		const strays = tables();
		strays.revlog.push({ ...strays.revlog[0]!, id: 8, cardId: 'deleted/0' });
		const backup = parseBackup(text(strays), 'b.json');
		expect(backup.revlog).toHaveLength(2);
		const bundle = backupToBundle(backup);
		expect(bundle.revlog.map((r) => r.cardId)).toEqual([strays.cards[0]!.id]);
		expect(bundle.warnings).toContain(
			'1 reviews belong to cards not in the backup and were skipped.'
		);
	});

	it('becomes an import bundle without review-log ids or presets when merged on the import page', () => {
		const bundle = backupToBundle(parseBackup(text(tables()), 'b.json'));
		expect(bundle.revlog[0]).not.toHaveProperty('id');
		expect(bundle.notes).toHaveLength(3);
		expect(bundle.media[0]?.data).toEqual(new Uint8Array([0, 1, 2, 250, 255]));
		expect(bundle.warnings[0]).toMatch(/presets were not imported/);
	});
});
