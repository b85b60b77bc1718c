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
			deckNote({
				id: 'haus',
				front: 'Haus',
				back: 'house, "home"',
				extra: 'das Haus, die Häuser',
				tags: ['noun']
			}),
			deckNote({
				id: 'gehen',
				type: 'reversed',
				front: 'gehen',
				back: 'to go\nto walk',
				reversePrompt: 'German for “to go”?',
				extra: 'ging, gegangen',
				tags: []
			}),
			deckNote({
				id: 'hund',
				type: 'cloze',
				text: 'Der {{c1::Hund}} bellt',
				extra: 'dog',
				tags: []
			}),
			deckNote({ id: 'formula', front: '=1+1', back: '-2', tags: [] }),
			deckNote({ id: 'hash', front: '#1 rule', back: '<b>bold</b> & more', tags: ['a', 'b'] })
		]
	});
	const notes = noteRecords(deck, NOW);

	it('opens with the # headers Anki reads (no header row, no BOM) and one CRLF row per note', () => {
		const lines = deckToCsv(deck, notes).split('\r\n');
		expect(lines.slice(0, 7)).toEqual([
			'#separator:comma',
			'#html:true',
			'#columns:Front,Back,Tags,Deck,GUID,Note type,Extra,Reverse prompt',
			'#tags column:3',
			'#deck column:4',
			'#guid column:5',
			'#notetype column:6'
		]);
		expect(lines.slice(7)).toEqual([
			'Haus,"house, ""home""",noun,German,german/haus,Basic,"das Haus, die Häuser",',
			'gehen,"to go\nto walk",,German,german/gehen,Basic (and reversed card),"ging, gegangen",German for “to go”?',
			'Der {{c1::Hund}} bellt,dog,,German,german/hund,Cloze,,',
			// Formula-looking cells are neutralised; a row starting with # is quoted, or Anki
			// would read it as a comment.
			"'=1+1,'-2,,German,german/formula,Basic,,",
			'"#1 rule",<b>bold</b> & more,a b,German,german/hash,Basic,,',
			''
		]);
	});

	it('the text importer reads the headers: every column mapped, HTML kept, no header-row note', () => {
		const bytes = utf8(deckToCsv(deck, notes));
		const preview = previewText(bytes, 'German.csv');
		expect(preview.detected).toEqual({
			delimiter: ',',
			html: true,
			mapping: {
				front: 0,
				back: 1,
				tags: 2,
				deck: 3,
				guid: 4,
				notetype: 5,
				extra: 6,
				reversePrompt: 7
			}
		});
		expect(preview.rows).toHaveLength(notes.length);
	});

	it('imports back with the same fields (extra and reverse prompt too), tags, decks, types and GUIDs', () => {
		const bytes = utf8(deckToCsv(deck, notes));
		const { mapping } = previewText(bytes, 'German.csv').detected;
		const bundle = parseText(bytes, 'German.csv', mapping, { now: NOW, deckTitle: 'x' });
		expect(bundle.warnings).toEqual([]);
		expect(bundle.decks.map((d) => d.title)).toEqual(['German']);
		expect(bundle.notes.map((n) => [n.guid, n.type, n.fields, n.tags])).toEqual(
			notes.map((n) => [
				n.guid,
				n.type,
				// Neutralised cells keep their apostrophe: a spreadsheet shows them as typed.
				n.guid === 'german/formula' ? { front: "'=1+1", back: "'-2" } : n.fields,
				n.tags
			])
		);
		expect(bundle.notes.find((n) => n.guid === 'german/gehen')?.fields).toEqual({
			front: 'gehen',
			back: 'to go\nto walk',
			reversePrompt: 'German for “to go”?',
			extra: 'ging, gegangen'
		});
		expect(bundle.cards.map((c) => c.ord)).toEqual([0, 0, 1, 0, 0, 0]);
	});

	it('keeps each note in its deck when the rows of a deck and its subdeck share a file', () => {
		const parent = noteRecords(recallDeck({ id: 'p', title: 'History' }), NOW);
		const csv =
			deckToCsv({ title: 'History' }, parent) +
			deckToCsv({ title: 'History::Russia' }, notes).split('\r\n').slice(7).join('\r\n');
		const bytes = utf8(csv);
		const { mapping } = previewText(bytes, 'History.csv').detected;
		const bundle = parseText(bytes, 'History.csv', mapping, { now: NOW, deckTitle: 'x' });
		expect(bundle.decks.map((d) => d.title)).toEqual(['History', 'History::Russia']);
		const deckOf = new Map(bundle.decks.map((d) => [d.id, d.title]));
		expect(bundle.notes.map((n) => deckOf.get(n.deckId))).toEqual([
			...parent.map(() => 'History'),
			...notes.map(() => 'History::Russia')
		]);
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
		expect(csv.split('\r\n')[7]).toBe('Katze,cat<br>[sound:katze.mp3],,Animals,g1,Vocab,,');
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
