import { describe, expect, it } from 'vitest';
import { CardState, Queue } from '../../model';
import { ImportError } from '../bundle';
import { stableHash } from '../hash';
import { parseText } from './parse';
import { previewText } from './preview';

const NOW = Date.UTC(2025, 0, 15, 12);
const utf8 = (text: string) => new TextEncoder().encode(text);
const options = { now: NOW, deckTitle: 'Imported' };

/** An Anki 2.1.55+ "Notes in Plain Text" export with every header it writes. */
const ANKI_EXPORT = [
	'#separator:tab',
	'#html:true',
	'#guid column:1',
	'#notetype column:2',
	'#deck column:3',
	'#tags column:6',
	'a1b2c3\tBasic\tLanguages::German\tHaus\t<b>house</b>\tnoun german',
	'd4e5f6\tCloze\tLanguages::German\tDer {{c1::Hund}} bellt {{c2::laut}}\tdog\t',
	'g7h8i9\tBasic (and reversed card)\tVerbs\tgehen\tto go\tverb',
	''
].join('\n');

describe('previewing a text file', () => {
	it("reads an Anki text export's headers into the detected mapping", () => {
		const preview = previewText(utf8(ANKI_EXPORT), 'notes.txt');
		expect(preview.detected).toEqual({
			delimiter: '\t',
			html: true,
			mapping: { guid: 0, notetype: 1, deck: 2, tags: 5, front: 3, back: 4 }
		});
		expect([preview.columns, preview.rows.length, preview.rows[0]?.[3]]).toEqual([6, 3, 'Haus']);
	});

	it('detects semicolons in a CSV, a header row by its names, and plain text', () => {
		const preview = previewText(
			utf8('\ufeffTags;Question;Answer\nx;2+2;4\ny;"a;b";c\n'),
			'deck.csv'
		);
		expect(preview.header).toEqual(['Tags', 'Question', 'Answer']);
		expect(preview.rows).toEqual([
			['x', '2+2', '4'],
			['y', 'a;b', 'c']
		]);
		expect(preview.detected).toEqual({
			delimiter: ';',
			html: false,
			mapping: { tags: 0, front: 1, back: 2 }
		});
	});

	it('honours #separator by name in any case or by character, and #columns names', () => {
		const piped = previewText(
			utf8('#separator:Pipe\n#columns:Tags|Back|Front\nt|house|Haus\n'),
			'a.txt'
		);
		expect([piped.header, piped.detected.mapping]).toEqual([
			['Tags', 'Back', 'Front'],
			{ tags: 0, back: 1, front: 2 }
		]);
		const tabbed = previewText(utf8('#separator:Tab\na,b\tc\n'), 'a.txt');
		expect(tabbed.rows).toEqual([['a,b', 'c']]);
		expect(previewText(utf8('#separator:;\na;b\n'), 'a.txt').rows).toEqual([['a', 'b']]);
	});

	it('treats a .tsv as tab-separated and shows at most 20 rows', () => {
		const rows = Array.from({ length: 30 }, (_, i) => `q${i}\ta${i}, with comma`).join('\n');
		const preview = previewText(utf8(rows), 'deck.tsv');
		expect([preview.detected.delimiter, preview.rows.length, preview.rows[19]]).toEqual([
			'\t',
			20,
			['q19', 'a19, with comma']
		]);
	});
});

describe('parsing a text file', () => {
	it('imports an Anki text export: decks from the deck column, note types, guids and tags', () => {
		const mapping = previewText(utf8(ANKI_EXPORT), 'notes.txt').detected.mapping;
		const bundle = parseText(utf8(ANKI_EXPORT), 'notes.txt', mapping, options);
		expect(bundle.decks.map((d) => [d.title, d.origin, d.presetId])).toEqual([
			['Languages::German', 'import', 'default'],
			['Verbs', 'import', 'default']
		]);
		expect(bundle.notes.map((n) => [n.guid, n.type, n.tags])).toEqual([
			['a1b2c3', 'basic', ['noun', 'german']],
			['d4e5f6', 'cloze', []],
			['g7h8i9', 'reversed', ['verb']]
		]);
		expect(bundle.notes[0]?.fields).toEqual({ front: 'Haus', back: '<b>house</b>' });
		expect(bundle.notes[1]?.fields).toEqual({
			text: 'Der {{c1::Hund}} bellt {{c2::laut}}',
			extra: 'dog'
		});
		expect(bundle.cards.map((c) => c.id)).toEqual([
			'text-a1b2c3/0',
			'text-d4e5f6/0',
			'text-d4e5f6/1',
			'text-g7h8i9/0',
			'text-g7h8i9/1'
		]);
	});

	it('makes new basic cards in file order, with a guid hashed from the front', () => {
		const bundle = parseText(
			utf8('Haus,house\nBaum,tree\n'),
			'deck.csv',
			{ front: 0, back: 1 },
			options
		);
		expect(bundle.notes[1]).toEqual({
			id: `text-${stableHash('Baum')}`,
			deckId: bundle.decks[0]?.id,
			guid: stableHash('Baum'),
			type: 'basic',
			fields: { front: 'Baum', back: 'tree' },
			tags: [],
			position: 1,
			mtime: NOW
		});
		expect(bundle.cards[1]).toMatchObject({
			state: CardState.New,
			queue: Queue.New,
			due: 1,
			ord: 0,
			reps: 0
		});
		expect(bundle.decks.map((d) => [d.title, d.createdAt])).toEqual([['Imported', NOW]]);
	});

	it('reads Extra and Reverse prompt columns into those fields, left out when empty', () => {
		const file = utf8(
			[
				'Front,Back,Extra,Reverse prompt,Note type',
				'gehen,to go,"ging, gegangen",German for “to go”?,Basic (and reversed card)',
				'Haus,house,,,Basic',
				'Der {{c1::Hund}},,dog,,Cloze'
			].join('\n')
		);
		const { mapping } = previewText(file, 'words.csv').detected;
		expect(mapping).toEqual({ front: 0, back: 1, extra: 2, reversePrompt: 3, notetype: 4 });
		const bundle = parseText(file, 'words.csv', mapping, options);
		expect(bundle.notes.map((n) => n.fields)).toEqual([
			{
				front: 'gehen',
				back: 'to go',
				reversePrompt: 'German for “to go”?',
				extra: 'ging, gegangen'
			},
			{ front: 'Haus', back: 'house' },
			{ text: 'Der {{c1::Hund}}', extra: 'dog' }
		]);
	});

	it('takes a sheet’s Extra column as the back when it names no back (Text, Extra)', () => {
		const file = utf8('Text,Extra\nDer {{c1::Hund}},dog\n');
		const { mapping } = previewText(file, 'cloze.csv').detected;
		expect(mapping).toEqual({ front: 0, back: 1 });
		expect(parseText(file, 'cloze.csv', mapping, options).notes[0]?.fields).toEqual({
			text: 'Der {{c1::Hund}}',
			extra: 'dog'
		});
	});

	it('gives the same ids when the same file is imported again', () => {
		const file = utf8('Haus,house\n');
		const first = parseText(file, 'deck.csv', { front: 0, back: 1 }, options);
		const again = parseText(file, 'deck.csv', { front: 0, back: 1 }, { ...options, now: NOW + 1 });
		expect(again.notes[0]?.id).toBe(first.notes[0]?.id);
		expect(again.decks[0]?.id).toBe(first.decks[0]?.id);
	});

	it('keeps quoted fields with separators, doubled quotes and line breaks', () => {
		const csv = 'front,back\n"a, b","say ""hi"""\n"two\nlines",x\n';
		const bundle = parseText(
			utf8(csv),
			'deck.csv',
			{ front: 0, back: 1 },
			{ ...options, html: true }
		);
		expect(bundle.notes.map((n) => [n.fields.front, n.fields.back])).toEqual([
			['a, b', 'say "hi"'],
			['two\nlines', 'x']
		]);
	});

	it('escapes HTML when the file says #html:false', () => {
		const bundle = parseText(
			utf8('#html:false\na < b & c\t<i>x</i>\n'),
			'a.txt',
			{ front: 0, back: 1 },
			options
		);
		expect(bundle.notes[0]?.fields).toEqual({
			front: 'a &lt; b &amp; c',
			back: '&lt;i&gt;x&lt;/i&gt;'
		});
	});

	it('skips a row whose front holds thousands of cloze openers, naming its line', () => {
		// 20,000 unclosed `{{c1::` took the cloze parser seconds (and deeper nesting overflows
		// the stack): such a field is damage, so the row is left out and the rest imported.
		const csv = `Haus,house\n${'{{c1::'.repeat(20_000)},x\nBaum,tree\n`;
		const bundle = parseText(utf8(csv), 'deck.csv', { front: 0, back: 1 }, options);
		expect(bundle.notes.map((n) => n.fields.front)).toEqual(['Haus', 'Baum']);
		expect(bundle.warnings).toEqual([
			'1 row (line 2) holds more cloze deletions than a note can have and was skipped.'
		]);
	});

	it('skips rows with an empty front and repeated fronts, naming their lines', () => {
		const csv = 'Haus,house\n,orphan back\nHaus,again\n';
		const bundle = parseText(utf8(csv), 'deck.csv', { front: 0, back: 1 }, options);
		expect(bundle.notes).toHaveLength(1);
		expect(bundle.warnings).toEqual([
			'1 row (line 2) has an empty front and was skipped.',
			'1 row (line 3) repeats the front (or GUID) of an earlier row and was skipped.'
		]);
	});
});

describe("an Anki text export's # headers", () => {
	/** What Anki writes with "Include deck name" off: the deck, tags and note type as headers. */
	const EXPORT = [
		'#separator:Semicolon',
		'#html:false',
		'#notetype:Basic (and reversed card)',
		'#deck:Hostile::Latin',
		'#tags:exported  latin',
		'#columns:GUID;Front;Back;Tags',
		'#guid column:1',
		'#tags column:4',
		'g1;hostis;<enemy>;noun',
		'g2;bellum;war;',
		''
	].join('\n');

	it('states the fixed values in the preview, and maps the named and numbered columns', () => {
		const preview = previewText(utf8(EXPORT), 'export.txt');
		expect(preview.fileHeaders).toEqual({
			deck: 'Hostile::Latin',
			notetype: 'Basic (and reversed card)',
			tags: ['exported', 'latin'],
			html: false
		});
		expect(preview.header).toEqual(['GUID', 'Front', 'Back', 'Tags']);
		expect(preview.detected.mapping).toEqual({ guid: 0, tags: 3, front: 1, back: 2 });
	});

	it('puts every row in the #deck: deck, with #tags: added, #notetype: and #html: applied', () => {
		const mapping = previewText(utf8(EXPORT), 'export.txt').detected.mapping;
		const bundle = parseText(utf8(EXPORT), 'export.txt', mapping, { ...options, deckTitle: '' });
		expect(bundle.decks.map((d) => d.title)).toEqual(['Hostile::Latin']);
		expect(bundle.notes.map((n) => [n.guid, n.type, n.fields, n.tags])).toEqual([
			['g1', 'reversed', { front: 'hostis', back: '&lt;enemy&gt;' }, ['noun', 'exported', 'latin']],
			['g2', 'reversed', { front: 'bellum', back: 'war' }, ['exported', 'latin']]
		]);
		expect(bundle.cards).toHaveLength(4);
	});

	it("takes the user's deck name over the header (the page fills it in from #deck:)", () => {
		const mapping = previewText(utf8(EXPORT), 'export.txt').detected.mapping;
		const bundle = parseText(utf8(EXPORT), 'export.txt', mapping, {
			...options,
			deckTitle: 'Latin words'
		});
		expect(bundle.decks.map((d) => d.title)).toEqual(['Latin words']);
	});

	it('lets a deck column beat the #deck: header, row by row', () => {
		const text = '#separator:tab\n#deck:Fallback\n#deck column:3\na\tb\tOwn\nc\td\t\n';
		const mapping = previewText(utf8(text), 'x.txt').detected.mapping;
		const bundle = parseText(utf8(text), 'x.txt', mapping, { ...options, deckTitle: 'Fallback' });
		expect(bundle.notes.map((n) => bundle.decks.find((d) => d.id === n.deckId)?.title)).toEqual([
			'Own',
			'Fallback'
		]);
	});
});

describe('rejecting a bad text file', () => {
	const failure = (run: () => unknown): ImportError => {
		try {
			run();
		} catch (error) {
			expect(error).toBeInstanceOf(ImportError);
			return error as ImportError;
		}
		throw new Error('no error');
	};

	it('names the line where an unbalanced quote opens, counting header and multi-line rows', () => {
		const text =
			'#separator:comma\nfront,back\n"multi\nline",x\nok,fine\nbad,"never closed\nmore,rows\n';
		const error = failure(() => parseText(utf8(text), 'deck.csv', { front: 0, back: 1 }, options));
		expect(error.message).toBe(
			'deck.csv, line 6: unbalanced quote: a quoted field is never closed'
		);
		expect(error.line).toBe(6);
	});

	it('fails the preview too, so the user learns before mapping columns', () => {
		const error = failure(() => previewText(utf8('a,"b\n'), 'deck.csv'));
		expect(error.message).toBe(
			'deck.csv, line 1: unbalanced quote: a quoted field is never closed'
		);
	});

	it('rejects invalid UTF-8 and an empty file', () => {
		expect(failure(() => previewText(new Uint8Array([0x61, 0x2c, 0xff]), 'd.csv')).message).toMatch(
			/^d\.csv, line 1: the file is not valid UTF-8/
		);
		expect(failure(() => previewText(new Uint8Array(0), 'd.csv')).message).toBe(
			'd.csv: the file is empty'
		);
	});

	it('rejects more rows than the limit and a front column the file does not have', () => {
		const rows = utf8('a,1\nb,2\nc,3\n');
		expect(
			failure(() =>
				parseText(rows, 'd.csv', { front: 0, back: 1 }, { ...options, limits: { maxRows: 2 } })
			).message
		).toMatch(/more than 2 rows/);
		expect(failure(() => parseText(rows, 'd.csv', { front: 4, back: 1 }, options)).message).toBe(
			'd.csv: there is no column 5 to take the front from (the file has 2)'
		);
	});
});
