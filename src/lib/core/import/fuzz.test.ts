/**
 * Fuzz test of every importer entry point: Anki packages and collections (generated ones of
 * schema 11 and 18, and the real files of the shared corpus), text files, Markdown and JSON decks,
 * and backups, each fed random and mutated input. The property: every call either returns a
 * well-formed result (every card's note exists, every review's card exists, ids unique, numbers
 * finite, times real dates) or throws the importer's own error with a message in words that names
 * the file — never a raw TypeError/RangeError escaping, never a hang.
 *
 * Deterministic: the run's seed is printed; `FUZZ_SEED=<n>` replays a run, `FUZZ_SCALE=<k>`
 * multiplies every case count for a longer local hunt.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Zippable } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMarkdownDeck, serializeMarkdownDeck } from '../decks/markdown-deck';
import { ID_PATTERN, parseRecallDeckJson, type RecallDeck } from '../decks/recall-deck';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import {
	backupToBundle,
	parseBackup,
	serializeBackup,
	type BackupTables,
	type RecallBackup
} from '../export/backup';
import { clozeOrdinals } from '../render/cloze';
import { newCard } from '../scheduling/card-actions';
import { createDefaultPreset } from '../scheduling/preset';
import { importAnki } from './anki/package';
import type { ImportBundle } from './bundle';
import { replayImportedMemory } from './memory';
import { buildCollection, latestPackage, legacyPackage } from './testing/anki-fixtures';
import { NOW, scenario } from './testing/anki-scenario';
import { corpusFile } from './testing/corpus';
import {
	Rng,
	caseSeed,
	concat,
	memberContent,
	mutateBytes,
	mutateJsonText,
	mutateSqlite,
	renameMember,
	repackContent,
	scrambleNameBytes,
	unzipMembers,
	zeroHeader,
	zipMembers
} from './testing/mutate';
import { loadSqlJs } from './testing/node-sql';
import { bundleProblems, duplicates, errorProblem, replayProblems } from './testing/properties';
import { parseText } from './text/parse';
import { previewText, PREVIEW_ROWS } from './text/preview';

const SEED = Number(process.env.FUZZ_SEED ?? Date.UTC(2025, 0, 15) / 1000) >>> 0;
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Far above any honest parse of these small inputs (a few ms): only a hang gets near it. */
const HANG_MS = 2000;
const PRESET = createDefaultPreset();
// Each test runs hundreds of cases: seconds, not the default 5 s budget of one test, on a busy
// two-core CI machine. A hang is caught per case by HANG_MS, not by this.
vi.setConfig({ testTimeout: 60_000 * SCALE });
const utf8 = new TextEncoder();
const lenient = new TextDecoder();

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
	console.info(`Importer fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), scale ${SCALE}`);
});

/** Cases run per importer, printed at the end so the total is visible in CI. */
const tally = new Map<string, { cases: number; ms: number; accepted: number }>();
afterAll(() => {
	const rows = [...tally].map(
		([name, t]) => `${name}: ${t.cases} cases (${t.accepted} accepted) in ${Math.round(t.ms)} ms`
	);
	const total = [...tally.values()].reduce((n, t) => n + t.cases, 0);
	console.info(`Importer fuzz, seed ${SEED}: ${total} cases\n  ${rows.join('\n  ')}`);
});

interface Case {
	/** What was done to the input, for the failure report. */
	steps: string[];
	file: string;
}

/**
 * Runs one importer over `count` generated cases and returns the failures, each with its case
 * number and mutations so it can be replayed. `run` returns the problems with a result it got;
 * a throw is judged by `errorProblem`.
 */
function fuzz<T extends Case>(
	group: string,
	count: number,
	generate: (rng: Rng, index: number) => T,
	run: (input: T) => string[]
): string[] {
	const failures: string[] = [];
	const started = performance.now();
	let accepted = 0;
	const cases = Math.max(1, Math.round(count * SCALE));
	for (let i = 0; i < cases; i++) {
		const input = generate(new Rng(caseSeed(SEED, group, i)), i);
		const start = performance.now();
		let problems: string[];
		try {
			problems = run(input);
			accepted++;
		} catch (error) {
			problems = errorProblem(error, input.file);
		}
		const ms = performance.now() - start;
		if (ms > HANG_MS) problems.push(`took ${Math.round(ms)} ms (hang guard ${HANG_MS} ms)`);
		if (problems.length > 0 && failures.length < 10) {
			failures.push(`${group} #${i} [${input.steps.join(' → ')}]: ${problems.join('; ')}`);
		}
	}
	tally.set(group, { cases, ms: performance.now() - started, accepted });
	return failures;
}

function deckProblems(deck: RecallDeck): string[] {
	const problems: string[] = [];
	if (!ID_PATTERN.test(deck.id)) problems.push(`deck id ${deck.id}`);
	if (!Number.isInteger(deck.version) || deck.version < 1) problems.push(`version ${deck.version}`);
	const repeated = duplicates(deck.notes.map((n) => n.id));
	if (repeated.length > 0) problems.push(`notes repeat ids ${repeated.join(', ')}`);
	for (const note of deck.notes) {
		const text = note.type === 'cloze' ? [note.text] : [note.front, note.back];
		if (text.some((t) => typeof t !== 'string' || t.trim() === '')) {
			problems.push(`note ${note.id}: empty`);
		}
		if (note.type === 'cloze' && clozeOrdinals(note.text).length === 0) {
			problems.push(`note ${note.id}: a cloze note without a cloze card`);
		}
	}
	// The notes and cards the import writes from the deck.
	const notes = noteRecords(deck, NOW);
	const bundle: ImportBundle = {
		decks: [deckRecord(deck, 'import', NOW)],
		models: [],
		notes,
		cards: notes.flatMap(cardStubs).map(newCard),
		revlog: [],
		media: [],
		warnings: [],
		cardsToReplay: []
	};
	return [...problems, ...bundleProblems(bundle, { everyNoteHasCard: true })];
}

function backupProblems(backup: RecallBackup): string[] {
	const problems: string[] = [];
	if (!Number.isFinite(backup.exportedAt)) problems.push(`exportedAt ${backup.exportedAt}`);
	for (const table of ['decks', 'notes', 'cards', 'presets', 'models'] as const) {
		const repeated = duplicates(backup[table].map((row) => row.id));
		if (repeated.length > 0) problems.push(`${table} repeat ids`);
	}
	const bundle = backupToBundle(backup);
	return [
		...problems,
		...bundleProblems(bundle, { everyNoteHasCard: false }),
		...replayProblems(bundle)
	];
}

// ——— Anki packages and collections ———

interface AnkiBase {
	name: string;
	file: string;
	bytes: Uint8Array;
	/** The unzipped members of a package, once, so each case does not unzip again. */
	members?: Zippable;
}

const PNG = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);
const MEDIA = {
	'haus.png': PNG,
	'laut.mp3': utf8.encode('ID3 not really audio'),
	'x.svg': utf8.encode('<svg onload="alert(1)"/>')
};

function generatedBases(): AnkiBase[] {
	const s11 = buildCollection(sql, scenario(11));
	const s18 = buildCollection(sql, scenario(18));
	return withMembers([
		{ name: 'schema 11 .apkg', file: 'German.apkg', bytes: legacyPackage(s11, MEDIA) },
		{
			name: 'schema 11 .apkg (anki21)',
			file: 'German.apkg',
			bytes: legacyPackage(s11, MEDIA, 'collection.anki21')
		},
		{
			name: 'schema 18 .apkg (anki21b)',
			file: 'German.apkg',
			bytes: latestPackage(sql, s18, MEDIA)
		},
		{
			name: 'schema 18 .colpkg',
			file: 'collection.colpkg',
			bytes: legacyPackage(s18, MEDIA, 'collection.anki21')
		},
		{ name: 'schema 11 .anki2', file: 'collection.anki2', bytes: s11 },
		{ name: 'schema 18 .anki2', file: 'collection.anki2', bytes: s18 }
	]);
}

function withMembers(bases: AnkiBase[]): AnkiBase[] {
	return bases.map((base) =>
		base.bytes[0] === 0x50 ? { ...base, members: unzipMembers(base.bytes) } : base
	);
}

const COLLECTIONS = ['collection.anki21b', 'collection.anki21', 'collection.anki2'];

/** Mutates a package from the inside (its collection's rows, any member, names) or its bytes. */
function mutateAnki(rng: Rng, base: AnkiBase): { bytes: Uint8Array; steps: string[] } {
	const steps = [base.name];
	const roll = rng.next();
	if (!base.members) {
		if (roll < 0.55) {
			const mutated = mutateSqlite(rng, sql, base.bytes);
			if (mutated) return { bytes: mutated.bytes, steps: [...steps, ...mutated.steps] };
		}
		const mutated = mutateBytes(rng, base.bytes);
		return { bytes: mutated.bytes, steps: [...steps, ...mutated.steps] };
	}
	const names = Object.keys(base.members);
	if (roll < 0.15) {
		const mutated = mutateBytes(rng, base.bytes);
		return { bytes: mutated.bytes, steps: [...steps, 'package bytes', ...mutated.steps] };
	}
	if (roll < 0.22)
		return { bytes: zeroHeader(rng, base.bytes), steps: [...steps, 'zeroed header'] };
	if (roll < 0.3) {
		return { bytes: scrambleNameBytes(rng, base.bytes), steps: [...steps, 'zip name bytes'] };
	}
	if (roll < 0.4) {
		const renamed = renameMember(rng, base.members);
		return { bytes: zipMembers(renamed.members, rng), steps: [...steps, renamed.step] };
	}
	// Inside a member: the collection's rows (most often), or any member's bytes.
	const collection = COLLECTIONS.find((name) => names.includes(name)) ?? names[0]!;
	const target = rng.chance(0.7) ? collection : rng.pick(names);
	const { content, zstd } = memberContent(base.members[target] as Uint8Array);
	let inner: { bytes: Uint8Array; steps: string[] } | undefined;
	if (target === collection && rng.chance(0.7)) inner = mutateSqlite(rng, sql, content);
	inner ??= mutateBytes(rng, content);
	const members = { ...base.members, [target]: repackContent(inner.bytes, zstd) };
	return { bytes: zipMembers(members, rng), steps: [...steps, `member ${target}`, ...inner.steps] };
}

function ankiCase(bases: AnkiBase[]) {
	return (rng: Rng) => {
		const base = rng.pick(bases);
		const { bytes, steps } = mutateAnki(rng, base);
		return { bytes, steps, file: base.file };
	};
}

function runAnki(input: { bytes: Uint8Array; file: string }): string[] {
	const bundle = importAnki(input.bytes, { fileName: input.file, now: NOW, sql });
	return [...bundleProblems(bundle, { everyNoteHasCard: true }), ...replayProblems(bundle)];
}

describe('fuzzing the Anki importer', () => {
	it('answers 1,000 mutated generated packages and collections (schema 11 and 18) with a bundle or an ImportError', () => {
		const bases = generatedBases();
		// The unmutated bases import cleanly: the property is not vacuous.
		for (const base of bases) expect(runAnki(base)).toEqual([]);
		expect(fuzz('Anki, generated', 1000, ankiCase(bases), runAnki)).toEqual([]);
	});

	const corpus = [
		['newly-learned-words-anki21b.apkg', 'words.apkg'],
		['ankipandas-collection-schema11.anki2', 'collection.anki2'],
		['ankipandas-collection-schema15.anki2', 'collection.anki2']
	].map(([path, file]) => ({ source: corpusFile(`anki/${path}`), file: file! }));
	const present = corpus.every((c) => c.source.exists);

	it.skipIf(!present)('answers 300 mutated real Anki files from the shared corpus', () => {
		const bases = withMembers(
			corpus.map((c) => ({
				name: c.source.path.split('/').at(-1)!,
				file: c.file,
				bytes: c.source.read()
			}))
		);
		for (const base of bases) expect(runAnki(base)).toEqual([]);
		expect(fuzz('Anki, real files', 300, ankiCase(bases), runAnki)).toEqual([]);
	});
});

// ——— Text files ———

const TEXT_BASES: { file: string; text: string }[] = [
	{
		file: 'deck.csv',
		text: 'Front,Back,Tags\n"a, b","say ""hi""",x y\n"two\nlines",<b>bold</b>,\nHaus,house,noun\n'
	},
	{ file: 'deck.tsv', text: 'Question\tAnswer\nq1\ta1\n"q\t2"\ta2\n\nq3\t"multi\nline"\n' },
	{
		file: 'notes.txt',
		text: [
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
		].join('\n')
	},
	{ file: 'semi.csv', text: '\ufeffTags;Question;Answer\nx;2+2;4\ny;"a;b";c\n' },
	{
		file: 'cloze.txt',
		text: '#separator:Pipe\n#html:true\n#columns:Text|Extra|Tags\n{{c1::Paris}} is in {{c2::France}}|geo|x\n'
	},
	{ file: 'crlf.csv', text: 'front,back\r\n1,2\r\n"3\r\n4",5\r\n' }
];

const TEXT_PIECES = [
	'a',
	'Haus',
	',',
	';',
	'\t',
	'|',
	'"',
	'""',
	'\n',
	'\r\n',
	'\r',
	'#',
	'#separator:',
	'#columns:',
	'#tags column:',
	'#deck:',
	':',
	' ',
	'{{c1::',
	'{{c0::',
	'}}',
	'<b>',
	'&amp;',
	'é',
	'\u2028',
	'\ufeff',
	'\u0000'
];
const BAD_UTF8 = [
	[0xc3, 0x28],
	[0xc0, 0xaf],
	[0xed, 0xa0, 0x80],
	[0xf5, 0x80, 0x80, 0x80],
	[0xff],
	[0xe2, 0x82]
];

/** A line far longer than any row: text, delimiters, quotes, or whitespace ending in a letter. */
function hugeLine(rng: Rng): Uint8Array {
	const length = 64 * 1024 + rng.int(448 * 1024);
	const unit = rng.pick(['x', ' ', ',', '"', '\t', 'é', '{{c1::']);
	return utf8.encode(`${unit.repeat(Math.ceil(length / unit.length))}x\n`);
}

function insertAt(rng: Rng, bytes: Uint8Array, piece: Uint8Array): Uint8Array {
	const at = rng.int(bytes.length + 1);
	return concat(bytes.subarray(0, at), piece, bytes.subarray(at));
}

function textCase(rng: Rng): Case & { bytes: Uint8Array } {
	const roll = rng.next();
	const file = rng.pick(['deck.csv', 'deck.tsv', 'notes.txt', 'data']);
	if (roll < 0.1) {
		return { bytes: rng.bytes(rng.int(2048)), steps: ['random bytes'], file };
	}
	if (roll < 0.25) {
		const text = Array.from({ length: rng.int(200) }, () => rng.pick(TEXT_PIECES)).join('');
		return { bytes: utf8.encode(text), steps: ['random text'], file };
	}
	const base = rng.pick(TEXT_BASES);
	let bytes: Uint8Array = utf8.encode(base.text);
	const steps = [base.file];
	const count = 1 + rng.int(3);
	for (let i = 0; i < count; i++) {
		const kind = rng.int(8);
		if (kind === 0) {
			bytes = insertAt(rng, bytes, Uint8Array.from(rng.pick(BAD_UTF8)));
			steps.push('invalid UTF-8');
		} else if (kind === 1) {
			const bom = rng.pick([
				[0xef, 0xbb, 0xbf],
				[0xff, 0xfe],
				[0xfe, 0xff]
			]);
			bytes = rng.chance(0.7)
				? concat(Uint8Array.from(bom), bytes)
				: insertAt(rng, bytes, Uint8Array.from(bom));
			steps.push('BOM');
		} else if (kind === 2) {
			bytes = insertAt(rng, bytes, utf8.encode(rng.pick(['"', '""', '"\n', '\n"', 'x"y'])));
			steps.push('quote');
		} else if (kind === 3 && rng.chance(0.3)) {
			bytes = insertAt(rng, bytes, hugeLine(rng));
			steps.push('huge line');
		} else if (kind === 4) {
			bytes = insertAt(rng, bytes, utf8.encode(rng.pick(TEXT_PIECES).repeat(1 + rng.int(20))));
			steps.push('pieces');
		} else {
			const mutated = mutateBytes(rng, bytes);
			bytes = mutated.bytes;
			steps.push(...mutated.steps);
		}
	}
	return { bytes, steps, file: rng.chance(0.7) ? base.file : file };
}

describe('fuzzing the text importer', () => {
	it('answers 500 random and mutated CSV/TSV/Anki text files in previewText and parseText', () => {
		const failures = fuzz('text', 500, textCase, (input) => {
			const problems: string[] = [];
			const preview = previewText(input.bytes, input.file);
			if (preview.rows.length > PREVIEW_ROWS) problems.push(`${preview.rows.length} preview rows`);
			if (preview.rows.some((row) => row.length > preview.columns))
				problems.push('row wider than columns');
			const { front, back } = preview.detected.mapping;
			if (
				preview.columns > 0 &&
				!(front >= 0 && front < preview.columns && back < preview.columns)
			) {
				problems.push(`mapping ${front}/${back} outside ${preview.columns} columns`);
			}
			// The mapping the user confirms: the detected one, or columns chosen at random.
			const seed = new Rng(input.bytes.length);
			const mapping = seed.chance(0.7)
				? preview.detected.mapping
				: {
						front: seed.int(preview.columns + 1),
						back: seed.int(preview.columns + 2) - 1,
						tags: seed.int(4)
					};
			try {
				const bundle = parseText(input.bytes, input.file, mapping, {
					now: NOW,
					deckTitle: 'Imported'
				});
				problems.push(...bundleProblems(bundle, { everyNoteHasCard: true }));
			} catch (error) {
				problems.push(...errorProblem(error, input.file));
			}
			return problems;
		});
		expect(failures).toEqual([]);
	});
});

// ——— Markdown and JSON decks ———

const DECKS_DIR = fileURLToPath(new URL('../../../../decks/', import.meta.url));

function markdownBases(): string[] {
	const real = readdirSync(DECKS_DIR)
		.filter((name) => name.endsWith('.md'))
		.map((name) => readFileSync(`${DECKS_DIR}${name}`, 'utf8'));
	const crafted = serializeMarkdownDeck(
		parseMarkdownDeck(
			[
				'---',
				'id: crafted',
				'title: "A: quoted title "',
				'description: Multi-line fields, cloze and reversed notes',
				'version: 3',
				'source-title: Source',
				'source-file: s.txt',
				'---',
				'',
				'## basic-one',
				'tags: a, b::c',
				'front: What is',
				'  on two lines?',
				'back: This',
				'source: "quoted: source"',
				'',
				'## cloze-one',
				'type: cloze',
				'text: {{c1::Paris}} is in {{c2::France::country}}',
				'extra: geography',
				'',
				'## reversed-one',
				'type: reversed',
				'front: Haus',
				'back: house',
				''
			].join('\n'),
			'crafted.md'
		)
	);
	return [...real, crafted];
}

const MARKDOWN_LINES = [
	'---',
	'## ',
	'## dup',
	'## Not An Id',
	'front:',
	'front: x',
	'back: y',
	'type: cloze',
	'type: quiz',
	'text: {{c0::zero}}',
	'text: {{c1::never closed',
	'text: {{c1::a}} {{c99999999999::b}}',
	'tags: ,,,',
	'tags: bad tag!',
	'  continued',
	'<!-- comment -->',
	'id: other',
	'version: 0',
	'version: 99999999999999999999',
	'title: ',
	'unknown: key',
	'\ufeff---',
	'\r'
];

/** Values a key line of a deck may be given: empty, odd, hostile, or unusually long. */
const MARKDOWN_VALUES = [
	'',
	' ',
	'"',
	'""',
	'"unclosed',
	'x',
	'Not An Id',
	'a--b',
	'0',
	'-1',
	'1.5',
	'cloze',
	'reversed',
	'basic',
	'{{c0::zero}}',
	'{{c1::never closed',
	'{{c1::a}} {{c2::b::hint}}',
	'{{c1,2::shared}}',
	'}}{{c1::',
	'a, , b',
	'ümlaut, 中文',
	'<img src=x onerror=alert(1)>',
	'x'.repeat(5000)
];

/**
 * Line edits (drop, repeat, swap, a key given a hostile value, hostile lines, huge lines) or
 * blind byte damage. Mostly one or two edits, so many decks still parse and the properties of
 * an accepted deck get tested, not only the refusals.
 */
function markdownCase(bases: string[]) {
	return (rng: Rng): Case & { text: string } => {
		let lines = rng.pick(bases).split('\n');
		const steps: string[] = [];
		const count = 1 + rng.int(2);
		for (let i = 0; i < count; i++) {
			const at = rng.int(lines.length + 1);
			const kind = rng.int(9);
			if (kind >= 7) {
				const keyed = lines.flatMap((line, n) => (/^[a-z-]+:/.test(line) ? [n] : []));
				if (keyed.length === 0) continue;
				const n = rng.pick(keyed);
				const key = lines[n]!.slice(0, lines[n]!.indexOf(':'));
				const value = rng.pick(MARKDOWN_VALUES);
				lines[n] = `${key}: ${value}`;
				steps.push(`${key}: ${JSON.stringify(value.slice(0, 20))}`);
			} else if (kind === 0) {
				lines.splice(at, 1 + rng.int(3));
				steps.push('deleted lines');
			} else if (kind === 1) {
				lines.splice(at, 0, ...lines.slice(at, at + 1 + rng.int(6)));
				steps.push('repeated lines');
			} else if (kind === 2) {
				lines.splice(at, 0, rng.pick(MARKDOWN_LINES));
				steps.push('hostile line');
			} else if (kind === 3 && rng.chance(0.3)) {
				// Whitespace ending in a letter is what makes a careless trailing-space regex quadratic.
				const unit = rng.pick([' ', '\t', 'x', '#', '-']);
				lines.splice(
					at,
					0,
					`${rng.pick(['', 'front: ', '## ', '  '])}${unit.repeat(20_000 + rng.int(200_000))}x`
				);
				steps.push('huge line');
			} else if (kind === 4) {
				const b = at % Math.max(1, lines.length);
				[lines[at - 1], lines[b]] = [lines[b] ?? '', lines[at - 1] ?? ''];
				steps.push('swapped lines');
			} else if (kind === 5 || rng.chance(0.3)) {
				const mutated = mutateBytes(rng, utf8.encode(lines.join('\n')));
				lines = lenient.decode(mutated.bytes).split('\n');
				steps.push(...mutated.steps);
			}
		}
		const eol = rng.pick(['\n', '\n', '\r\n', '\r']);
		return { text: lines.join(eol), steps, file: 'deck.md' };
	};
}

describe('fuzzing the deck parsers', () => {
	it('answers 300 mutated Markdown decks (the built-in decks and a crafted one) with a deck or a DeckFormatError', () => {
		const failures = fuzz('Markdown deck', 300, markdownCase(markdownBases()), (input) =>
			deckProblems(parseMarkdownDeck(input.text, input.file))
		);
		expect(failures).toEqual([]);
	});

	it('answers 300 mutated and random JSON decks with a deck or a DeckFormatError', () => {
		const bases = markdownBases().map((md) => JSON.stringify(parseMarkdownDeck(md, 'deck.md')));
		const failures = fuzz(
			'JSON deck',
			300,
			(rng) => {
				if (rng.chance(0.1)) {
					return {
						text: lenient.decode(rng.bytes(rng.int(512))),
						steps: ['random bytes'],
						file: 'deck.json'
					};
				}
				const { text, steps } = mutateJsonText(rng, rng.pick(bases));
				return { text, steps, file: 'deck.json' };
			},
			(input) => deckProblems(parseRecallDeckJson(input.text, input.file))
		);
		expect(failures).toEqual([]);
	});
});

// ——— Backups ———

function backupBases(): string[] {
	const deck = parseMarkdownDeck(markdownBases().at(-1)!, 'crafted.md');
	const notes = noteRecords(deck, NOW);
	const cards = notes.flatMap(cardStubs).map(newCard);
	const small: BackupTables = {
		decks: [deckRecord(deck, 'builtin', NOW, 'hash')],
		notes,
		cards,
		revlog: [
			{
				id: 7,
				cardId: cards[0]!.id,
				deckId: deck.id,
				reviewedAt: NOW,
				rating: 3,
				state: 0,
				due: 0,
				stability: 0,
				difficulty: 0,
				elapsedDays: 0,
				scheduledDays: 0,
				durationMs: 1200
			}
		],
		presets: [createDefaultPreset()],
		models: [],
		meta: [{ key: 'lastBackupAt', value: NOW - 1 }],
		media: [{ name: 'a b.png', type: 'image/png', data: PNG }]
	};
	// A store holding an Anki import: note types, studied cards, history and media.
	const anki = replayImportedMemory(
		importAnki(legacyPackage(buildCollection(sql, scenario(11)), MEDIA), {
			fileName: 'German.apkg',
			now: NOW,
			sql
		}),
		PRESET,
		{ timeZone: 'UTC' }
	);
	const fromAnki: BackupTables = {
		decks: anki.decks,
		notes: anki.notes,
		cards: anki.cards,
		revlog: anki.revlog.map((row, i) => ({ ...row, id: i + 1 })),
		presets: [createDefaultPreset()],
		models: anki.models,
		meta: [],
		media: anki.media
	};
	return [small, fromAnki].map((tables) => serializeBackup(tables, NOW).join(''));
}

describe('fuzzing the backup reader', () => {
	it('answers 400 mutated backups with a valid backup (and bundle) or an ImportError', () => {
		const bases = backupBases();
		for (const base of bases) expect(backupProblems(parseBackup(base, 'backup.json'))).toEqual([]);
		const failures = fuzz(
			'backup',
			400,
			(rng) => {
				const { text, steps } = mutateJsonText(rng, rng.pick(bases));
				return { text, steps, file: 'backup.json' };
			},
			(input) => backupProblems(parseBackup(input.text, input.file))
		);
		expect(failures).toEqual([]);
	});
});

it('ran at least 1,000 cases in all', () => {
	const total = [...tally.values()].reduce((n, t) => n + t.cases, 0);
	expect(total).toBeGreaterThanOrEqual(1000);
});
