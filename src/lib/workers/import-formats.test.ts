import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeBackup } from '$lib/core/export/backup';
import { ImportError } from '$lib/core/import';
import { buildCollection, legacyPackage } from '$lib/core/import/testing/anki-fixtures';
import { scenario } from '$lib/core/import/testing/anki-scenario';
import { corpusFile } from '$lib/core/import/testing/corpus';
import { Rng, caseSeed, mutateBytes, mutateJsonText } from '$lib/core/import/testing/mutate';
import { loadSqlJs } from '$lib/core/import/testing/node-sql';
import { bundleProblems, errorProblem, replayProblems } from '$lib/core/import/testing/properties';
import { detectFormat, importAdvice, parseImport, titleFromFileName } from './import-formats';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const NOW = Date.UTC(2025, 0, 15, 12);
const utf8 = (text: string) => new TextEncoder().encode(text);
const parse = (name: string, text: string) =>
	parseImport(detectFormat(name, utf8(text)), utf8(text), name, { now: NOW });

describe('choosing the parser', () => {
	it.each([
		['deck.apkg', 'anki'],
		['Collection.COLPKG', 'anki'],
		['collection.anki2', 'anki'],
		['words.csv', 'text'],
		['words.tsv', 'text'],
		['notes.txt', 'text'],
		['deck.md', 'markdown'],
		['deck.json', 'json']
	])('goes by the extension: %s is %s', (name, format) => {
		expect(detectFormat(name, new Uint8Array())).toBe(format);
	});

	it('recognises a file without a known extension by its first bytes', () => {
		expect(detectFormat('shared', new Uint8Array([0x50, 0x4b, 3, 4]))).toBe('anki');
		expect(detectFormat('shared', utf8('SQLite format 3\0...'))).toBe('anki');
		expect(detectFormat('shared', utf8('  {"format":"recall-deck"}'))).toBe('json');
		expect(detectFormat('shared', utf8('---\nid: x'))).toBe('markdown');
		expect(detectFormat('shared', utf8('Haus\thouse\n'))).toBe('text');
		expect(() => detectFormat('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toThrow(
			'photo.jpg: Recall cannot import this kind of file'
		);
	});

	it('names the deck of a text file after the file', () => {
		expect([
			titleFromFileName('German words.csv'),
			titleFromFileName('a/b/c.tsv'),
			titleFromFileName('.csv')
		]).toEqual(['German words', 'c', 'Imported']);
	});
});

describe('text files through the dispatcher', () => {
	const utf8 = (text: string) => new TextEncoder().encode(text);

	it("names the deck from #deck: when the user gave none, else from the file's name", () => {
		const headed = parseImport('text', utf8('#deck:Hostile\nHaus\thouse\n'), 'export.txt', {
			now: 0
		});
		expect(headed.decks.map((d) => d.title)).toEqual(['Hostile']);
		const bare = parseImport('text', utf8('Haus\thouse\n'), 'German words.txt', { now: 0 });
		expect(bare.decks.map((d) => d.title)).toEqual(['German words']);
	});
});

describe('what to do about a refused file', () => {
	it('advises by format, unless the reason already says what to do', () => {
		expect(importAdvice('deck.apkg', 'the collection database is damaged')).toMatch(
			/^In Anki, export the deck again/
		);
		expect(importAdvice('deck.csv', 'unbalanced quote: a quoted field is never closed')).toMatch(
			/^Correct the file there/
		);
		expect(importAdvice('deck.md', 'note 1 ("a"): "back" must be a non-empty string')).toBe(
			'Correct the deck file there and import it again.'
		);
		expect(
			importAdvice('x.csv', 'the file is UTF-16 text; save it as UTF-8 and import it again')
		).toBeUndefined();
		expect(importAdvice('file.xyz', 'anything')).toBeUndefined();
	});
});

describe('Recall decks and backups', () => {
	it('imports a Markdown deck as a deck of import origin with new cards', () => {
		const bundle = parse(
			'verbs.md',
			'---\nid: verbs\ntitle: Verbs\n---\n\n## gehen\ntype: reversed\nfront: gehen\nback: to go\n'
		);
		expect(bundle.decks.map((d) => [d.id, d.title, d.origin])).toEqual([
			['verbs', 'Verbs', 'import']
		]);
		expect(bundle.cards.map((c) => [c.id, c.state, c.due])).toEqual([
			['verbs/gehen/0', 0, 0],
			['verbs/gehen/1', 0, 1]
		]);
	});

	it('reports a Markdown deck error with its file and line', () => {
		const fail = () => parse('bad.md', '---\nid: x\ntitle: X\n---\n\n## a\nfront: only a front\n');
		expect(fail).toThrow(ImportError);
		expect(fail).toThrow(/^bad\.md, line 6: /);
	});

	it('imports a Recall JSON deck, and refuses other JSON', () => {
		const deck = {
			format: 'recall-deck',
			version: 1,
			id: 'd',
			title: 'D',
			description: '',
			notes: [{ id: 'a', front: 'Q', back: 'A' }]
		};
		expect(parse('d.json', JSON.stringify(deck)).notes.map((n) => n.guid)).toEqual(['d/a']);
		expect(() => parse('x.json', '{"hello":1}')).toThrow(
			'x.json: this JSON file is neither a Recall deck'
		);
		expect(() => parse('x.json', '{')).toThrow('x.json: the file is not valid JSON');
	});

	it('merges a whole-collection backup opened on the import page like an import', () => {
		const text = serializeBackup(
			{
				decks: [
					{
						id: 'd',
						title: 'D',
						description: '',
						origin: 'user',
						version: 0,
						presetId: 'mine',
						createdAt: 1
					}
				],
				notes: [
					{
						id: 'd/a',
						deckId: 'd',
						guid: 'd/a',
						type: 'basic',
						fields: { front: 'Q', back: 'A' },
						tags: [],
						position: 0,
						mtime: 1
					}
				],
				cards: [],
				revlog: [],
				presets: [],
				models: [],
				meta: [],
				media: []
			},
			NOW
		).join('');
		const bundle = parse('recall-backup.json', text);
		expect([bundle.notes.length, bundle.decks[0]?.presetId]).toEqual([1, 'default']);
	});
});

describe('real files from other people (shared corpus)', () => {
	const latest = corpusFile('anki/newly-learned-words-anki21b.apkg');
	const schema15 = corpusFile('anki/ankipandas-collection-schema15.anki2');

	it.skipIf(!latest.exists)('reads a current Anki package chosen by its extension', () => {
		const bundle = parseImport('anki', latest.read(), 'words.apkg', { now: NOW }, sql);
		expect([bundle.notes.length, bundle.cards.length]).toEqual([19, 19]);
	});

	it.skipIf(!schema15.exists)(
		'recognises a raw collection without an extension by its bytes',
		() => {
			const bytes = schema15.read();
			expect(detectFormat('collection', bytes.subarray(0, 4096))).toBe('anki');
			expect(parseImport('anki', bytes, 'collection', { now: NOW }, sql).revlog).toHaveLength(6);
		}
	);
});

describe('fuzzing the dispatcher the worker calls', () => {
	/** One file of each kind the import page takes, under its usual name. */
	const bases = () => [
		{ name: 'deck.apkg', bytes: legacyPackage(buildCollection(sql, scenario(11))) },
		{ name: 'collection.anki2', bytes: buildCollection(sql, scenario(18)) },
		{ name: 'words.csv', bytes: utf8('Front,Back,Tags\nHaus,house,noun\n"a, b","c ""d""",\n') },
		{
			name: 'deck.md',
			bytes: utf8(
				'---\nid: v\ntitle: V\n---\n\n## a\nfront: x\nback: y\n\n## b\ntype: cloze\ntext: {{c1::z}}\n'
			)
		},
		{
			name: 'deck.json',
			bytes: utf8(
				JSON.stringify({
					format: 'recall-deck',
					version: 1,
					id: 'v',
					title: 'V',
					description: '',
					notes: [{ id: 'a', type: 'reversed', front: 'x', back: 'y' }]
				})
			)
		},
		{
			name: 'backup.json',
			bytes: utf8(
				serializeBackup(
					{
						decks: [],
						notes: [],
						cards: [],
						revlog: [],
						presets: [],
						models: [],
						meta: [],
						media: []
					},
					NOW
				).join('')
			)
		}
	];
	/** The name the file arrives under: its own, another kind's, none, or an odd one. */
	const NAMES = [
		'deck.apkg',
		'words.csv',
		'deck.md',
		'deck.json',
		'shared',
		'Deck.JSON',
		'x.md.apkg',
		'a b.txt'
	];

	it('answers 300 mutated files of every kind under any name with a bundle or an ImportError', () => {
		const files = bases();
		const failures: string[] = [];
		for (let i = 0; i < 300; i++) {
			const rng = new Rng(caseSeed(20250115, 'dispatcher', i));
			const base = rng.pick(files);
			const name = rng.chance(0.6) ? base.name : rng.pick(NAMES);
			const text = new TextDecoder().decode(base.bytes);
			const mutated =
				base.name.endsWith('.json') && rng.chance(0.6)
					? { bytes: utf8(mutateJsonText(rng, text).text), steps: ['json'] }
					: mutateBytes(rng, base.bytes);
			let problems: string[];
			try {
				const format = detectFormat(name, mutated.bytes.subarray(0, 4096));
				const bundle = parseImport(format, mutated.bytes, name, { now: NOW }, sql);
				// A backup may hold notes whose cards are gone; every other format makes cards.
				const everyNoteHasCard = format !== 'json';
				problems = [...bundleProblems(bundle, { everyNoteHasCard }), ...replayProblems(bundle)];
			} catch (error) {
				problems = errorProblem(error, name);
			}
			if (problems.length > 0)
				failures.push(
					`#${i} ${base.name} as ${name} [${mutated.steps.join(', ')}]: ${problems.join('; ')}`
				);
		}
		expect(failures).toEqual([]);
	});
});
