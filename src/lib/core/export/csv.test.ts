import { describe, expect, it } from 'vitest';
import { noteRecords } from '../decks/records';
import { parseText } from '../import/text/parse';
import { previewText } from '../import/text/preview';
import { CardState, type RevlogEntry } from '../model';
import { deckNote, note, recallDeck } from '../testing/factories';
import { csvCell, deckToCsv, neutralizeCell, revlogToCsv } from './csv';

const NOW = Date.UTC(2025, 0, 15, 12);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('CSV cells', () => {
	it.each([
		['=SUM(A1:A9)', "'=SUM(A1:A9)"],
		['+1 555 0100', "'+1 555 0100"],
		['-2', "'-2"],
		['@cmd', "'@cmd"],
		['\tindent', "'\tindent"],
		['\rstart', "'\rstart"],
		['plain = text', 'plain = text'],
		['', '']
	])('neutralises a formula-looking cell %j as %j', (input, output) => {
		expect(neutralizeCell(input)).toBe(output);
	});

	it('quotes separators, quotes and line breaks, doubling inner quotes', () => {
		expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell(' pad')]).toEqual([
			'"a,b"',
			'"say ""hi"""',
			'"two\nlines"',
			'" pad"'
		]);
	});
});

describe('a deck as CSV', () => {
	const deck = recallDeck({
		id: 'german',
		title: 'German',
		notes: [
			deckNote({ id: 'haus', front: 'Haus', back: 'house, "home"', tags: ['noun'] }),
			deckNote({ id: 'gehen', type: 'reversed', front: 'gehen', back: 'to go\nto walk', tags: [] }),
			deckNote({
				id: 'hund',
				type: 'cloze',
				text: 'Der {{c1::Hund}} bellt',
				extra: 'dog',
				tags: []
			}),
			deckNote({ id: 'formula', front: '=1+1', back: '-2', tags: [] })
		]
	});
	const notes = noteRecords(deck, NOW);

	it('writes a BOM, a header the importer recognises and one CRLF row per note', () => {
		const csv = deckToCsv(deck, notes);
		expect(csv.startsWith('\ufefffront,back,tags,deck,guid,notetype\r\n')).toBe(true);
		expect(csv.split('\r\n')[1]).toBe('Haus,"house, ""home""",noun,German,german/haus,Basic');
		expect(csv).toContain("'=1+1,'-2,");
	});

	it('imports back with the same fields, tags, note types and GUIDs', () => {
		const bytes = utf8(deckToCsv(deck, notes));
		const { mapping } = previewText(bytes, 'German.csv').detected;
		expect(mapping).toEqual({ front: 0, back: 1, tags: 2, deck: 3, guid: 4, notetype: 5 });
		const bundle = parseText(bytes, 'German.csv', mapping, { now: NOW, deckTitle: 'x' });
		expect(bundle.decks.map((d) => d.title)).toEqual(['German']);
		expect(bundle.notes.map((n) => [n.guid, n.type, n.fields, n.tags])).toEqual([
			['german/haus', 'basic', { front: 'Haus', back: 'house, "home"' }, ['noun']],
			['german/gehen', 'reversed', { front: 'gehen', back: 'to go\nto walk' }, []],
			['german/hund', 'cloze', { text: 'Der {{c1::Hund}} bellt', extra: 'dog' }, []],
			// Neutralised cells keep their apostrophe: a spreadsheet shows them as typed.
			['german/formula', 'basic', { front: "'=1+1", back: "'-2" }, []]
		]);
		expect(bundle.cards.map((c) => c.ord)).toEqual([0, 0, 1, 0, 0]);
	});

	it('puts an Anki note’s first field in front and the others in back', () => {
		const anki = note({
			type: 'anki',
			modelId: 'm',
			fields: { Word: 'Katze', Meaning: 'cat', Audio: '[sound:katze.mp3]' },
			guid: 'g1'
		});
		const model = {
			id: 'm',
			name: 'Vocab',
			kind: 'standard' as const,
			fields: ['Word', 'Meaning', 'Audio'],
			templates: [],
			css: ''
		};
		const csv = deckToCsv({ title: 'Animals' }, [anki], [model]);
		expect(csv.split('\r\n')[1]).toBe('Katze,cat<br>[sound:katze.mp3],,Animals,g1,Vocab');
	});
});

describe('the review log as CSV', () => {
	const entry = (
		reviewedAt: number,
		rating: RevlogEntry['rating'],
		cardId = 'deck/a/0'
	): RevlogEntry => ({
		cardId,
		deckId: 'deck',
		reviewedAt,
		rating,
		state: CardState.Review,
		due: reviewedAt,
		stability: 1,
		difficulty: 5,
		elapsedDays: 0,
		scheduledDays: 1,
		durationMs: 4321.4
	});

	it('writes card_id,review_time,review_rating,review_duration oldest first, graded rows only', () => {
		const csv = revlogToCsv([
			entry(NOW + 60_000, 3),
			entry(NOW, 1),
			entry(NOW + 120_000, 0),
			entry(NOW, 4, '=x')
		]);
		expect(csv.split('\r\n')).toEqual([
			'\ufeffcard_id,review_time,review_rating,review_duration',
			'deck/a/0,2025-01-15T12:00:00.000Z,1,4321',
			"'=x,2025-01-15T12:00:00.000Z,4,4321",
			'deck/a/0,2025-01-15T12:01:00.000Z,3,4321',
			''
		]);
	});
});
