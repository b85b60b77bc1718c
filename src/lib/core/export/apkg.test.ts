import { createHash } from 'node:crypto';
import { strToU8, unzipSync } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import type { ImportBundle } from '../import/bundle';
import { importAnki } from '../import/anki/package';
import { replayImportedMemory } from '../import/memory';
import { buildCollection, latestPackage, legacyPackage } from '../import/testing/anki-fixtures';
import { corpusFile } from '../import/testing/corpus';
import { NOW, scenario } from '../import/testing/anki-scenario';
import { loadSqlJs } from '../import/testing/node-sql';
import { CardState, type Card, type RevlogEntry } from '../model';
import { gradeCard, newCard } from '../scheduling';
import { studyDayNumber } from '../scheduling/day';
import { createDefaultPreset } from '../scheduling/preset';
import { renderAnkiCard } from '../render/anki-template';
import { deckNote, recallDeck } from '../testing/factories';
import { writeApkg, type ApkgInput } from './apkg';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const preset = createDefaultPreset();
const EXPORTED_AT = NOW + 3_600_000;
const write = (input: ApkgInput) =>
	writeApkg(input, { sql, now: EXPORTED_AT, dayStartHour: preset.dayStartHour, timeZone: 'UTC' });
const read = (bytes: Uint8Array, fileName = 'export.apkg') =>
	replayImportedMemory(importAnki(bytes, { fileName, now: NOW, sql }), preset, { timeZone: 'UTC' });
const asInput = (bundle: ImportBundle): ApkgInput => ({
	decks: bundle.decks,
	notes: bundle.notes,
	cards: bundle.cards,
	revlog: bundle.revlog,
	models: bundle.models,
	media: bundle.media
});

/** Anki stores review due dates as days: a round trip keeps the study day, not the minute. */
const dueDay = (card: Card) =>
	card.state === CardState.Review
		? { ...card, due: studyDayNumber(card.due, preset.dayStartHour, 'UTC') }
		: card;

function collectionOf(apkg: Uint8Array) {
	const files = unzipSync(apkg);
	const db = new sql.Database(files['collection.anki2']);
	const rows = (query: string) => db.exec(query)[0]?.values ?? [];
	return { files, db, rows };
}

const schema11 = corpusFile('anki/ankipandas-collection-schema11.anki2');
const latest = corpusFile('anki/newly-learned-words-anki21b.apkg');

function expectSameImport(again: ImportBundle, original: ImportBundle) {
	expect(again.notes).toEqual(original.notes);
	expect(again.models).toEqual(original.models);
	expect(again.decks).toEqual(original.decks);
	expect(again.cards.map(dueDay)).toEqual(original.cards.map(dueDay));
	expect(again.revlog).toEqual(original.revlog);
	expect(again.media).toEqual(original.media);
	expect(again.cardsToReplay).toEqual([]);
}

describe('exporting a deck as an Anki package', () => {
	it.each([
		['a schema-11 package', () => legacyPackage(buildCollection(sql, scenario(11)))],
		['a schema-18 package', () => latestPackage(sql, buildCollection(sql, scenario(18)))]
	])('re-imports %s identically: notes, note types, decks, cards, review log', (_, make) => {
		const original = read(make(), 'German.apkg');
		expect(original.revlog.length).toBeGreaterThan(0);
		const again = read(write(asInput(original)));
		expectSameImport(again, original);
		expect(again.warnings).toEqual([]);
	});

	it.skipIf(!schema11.exists)(
		're-imports a real Anki collection identically (7 notes, 12 cards, 6 reviews)',
		() => {
			const original = read(schema11.read(), 'collection.anki2');
			expect([original.notes.length, original.cards.length, original.revlog.length]).toEqual([
				7, 12, 6
			]);
			expectSameImport(read(write(asInput(original))), original);
		}
	);

	it.skipIf(!latest.exists)('re-imports a real current-Anki package identically (19 notes)', () => {
		const original = read(latest.read(), 'words.apkg');
		expect(original.notes).toHaveLength(19);
		expectSameImport(read(write(asInput(original))), original);
	});

	it('writes Recall notes with Recall note types, HTML fields, the source and the GUID', () => {
		const deck = recallDeck({
			id: 'history',
			title: 'History::Russia',
			notes: [
				deckNote({
					id: 'a',
					front: 'Who built the **Red Army**?',
					back: 'Trotsky',
					source: 'A <quote>',
					extra: 'In *1918*',
					tags: ['war']
				}),
				deckNote({
					id: 'b',
					type: 'reversed',
					front: 'Lev',
					back: 'Bronstein',
					reversePrompt: 'Trotsky’s first name?',
					extra: 'Lev Davidovich',
					tags: []
				}),
				deckNote({ id: 'e', type: 'reversed', front: 'Leon', back: 'Trotsky', tags: [] }),
				deckNote({ id: 'c', type: 'cloze', text: 'Born {{c1::1879}} in {{c2::Yanovka}}', tags: [] })
			]
		});
		const notes = noteRecords(deck, NOW);
		const cards = notes.flatMap(cardStubs).map(newCard);
		const bundle = read(
			write({
				decks: [deckRecord(deck, 'builtin', NOW)],
				notes,
				cards,
				revlog: [],
				models: [],
				media: []
			})
		);
		expect(bundle.decks.map((d) => d.title)).toEqual(['History::Russia']);
		expect(bundle.models.map((m) => m.name).sort()).toEqual([
			'Recall Basic',
			'Recall Basic (and reversed card)',
			'Recall Cloze'
		]);
		expect(bundle.notes.map((n) => [n.guid, n.fields, n.tags])).toEqual([
			[
				'history/a',
				{
					Front: 'Who built the <strong>Red Army</strong>?',
					Back: 'Trotsky',
					Extra: 'In <em>1918</em>',
					Source: 'A &lt;quote&gt;'
				},
				['war']
			],
			[
				'history/b',
				{
					Front: 'Lev',
					Back: 'Bronstein',
					'Reverse Prompt': 'Trotsky’s first name?',
					Extra: 'Lev Davidovich',
					Source: ''
				},
				[]
			],
			[
				'history/e',
				{ Front: 'Leon', Back: 'Trotsky', 'Reverse Prompt': '', Extra: '', Source: '' },
				[]
			],
			[
				'history/c',
				{ Text: 'Born {{c1::1879}} in {{c2::Yanovka}}', 'Back Extra': '', Source: '' },
				[]
			]
		]);
		expect(bundle.cards.map((c) => [c.ord, c.state, c.due])).toEqual([
			[0, CardState.New, 0],
			[0, CardState.New, 1],
			[1, CardState.New, 1],
			[0, CardState.New, 2],
			[1, CardState.New, 2],
			[0, CardState.New, 3],
			[1, CardState.New, 3]
		]);

		// As studied: the extra on the answer side only, the reverse prompt as the reverse question.
		const models = new Map(bundle.models.map((m) => [m.id, m]));
		const shown = (guid: string, ord: number) => {
			const n = bundle.notes.find((x) => x.guid === guid)!;
			// Imported Anki notes are rendered by their templates (as the UI's Anki card does).
			const { front, back } = renderAnkiCard(models.get(n.modelId!)!, n, ord);
			const text = (html: string) =>
				html
					.replace(/<[^>]*>/g, ' ')
					.replace(/\s+/g, ' ')
					.trim();
			return [text(front), text(back)];
		};
		expect(shown('history/a', 0)).toEqual([
			'Who built the Red Army ?',
			'Who built the Red Army ? Trotsky In 1918 A &lt;quote&gt;'
		]);
		expect(shown('history/b', 0)).toEqual(['Lev', 'Lev Bronstein Lev Davidovich']);
		expect(shown('history/b', 1)).toEqual([
			'Trotsky’s first name?',
			'Trotsky’s first name? Lev Lev Davidovich'
		]);
		// No reverse prompt: the reverse card asks the bare back, as before.
		expect(shown('history/e', 1)).toEqual(['Trotsky', 'Trotsky Leon']);
	});

	it('carries a Recall card’s reviews and FSRS memory state, and suspended cards stay suspended', () => {
		const deck = recallDeck({
			id: 'd',
			title: 'D',
			notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })]
		});
		const notes = noteRecords(deck, NOW);
		let card = newCard(cardStubs(notes[0]!)[0]!);
		const revlog: RevlogEntry[] = [];
		let t = NOW - 30 * 86_400_000;
		for (const rating of [3, 3, 1, 3, 4] as const) {
			const graded = gradeCard(card, rating, preset, t, { timeZone: 'UTC', durationMs: 4200 });
			card = graded.card;
			revlog.push(graded.log);
			t = Math.max(card.due, t + 600_000);
		}
		const suspended = { ...newCard(cardStubs(notes[1]!)[0]!), queue: -1 as const };
		const bundle = read(
			write({
				decks: [deckRecord(deck, 'user', NOW)],
				notes,
				cards: [card, suspended],
				revlog,
				models: [],
				media: []
			})
		);
		// The importer puts notes with new cards first, as Anki introduces them.
		const studied = bundle.cards.find((c) => c.state !== CardState.New);
		const held = bundle.cards.find((c) => c.state === CardState.New);
		expect(studied).toMatchObject({
			state: card.state,
			stability: card.stability,
			difficulty: card.difficulty,
			reps: 5,
			lapses: card.lapses,
			lastReview: card.lastReview
		});
		expect(held?.queue).toBe(-1);
		expect(bundle.revlog.map((r) => [r.reviewedAt, r.rating, r.durationMs, r.stability])).toEqual(
			revlog.map((r) => [r.reviewedAt, r.rating, 4200, r.stability])
		);
	});

	it('writes learning cards with Anki’s left: 2002 after Again (1m 10m), 1001 a step on', () => {
		const deck = recallDeck({
			id: 'l',
			title: 'L',
			notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' }), deckNote({ id: 'c' })]
		});
		const notes = noteRecords(deck, NOW);
		const [a, b, c] = notes.map((n) => newCard(cardStubs(n)[0]!));
		const opts = { timeZone: 'UTC' };
		const again = gradeCard(a!, 1, preset, NOW, opts).card;
		const hard = gradeCard(b!, 2, preset, NOW, opts).card;
		const good = gradeCard(c!, 3, preset, NOW, opts).card;
		expect([again.learningSteps, hard.learningSteps, good.learningSteps]).toEqual([0, 0, 1]);
		expect(hard.due - NOW).toBe(330_000);
		const { db, rows } = collectionOf(
			write({
				decks: [deckRecord(deck, 'user', NOW)],
				notes,
				cards: [again, hard, good],
				revlog: [],
				models: [],
				media: [],
				preset
			})
		);
		const left = rows('SELECT c.left, c.type, c.queue FROM cards c ORDER BY c.id');
		expect(left).toEqual([
			[2002, 1, 1],
			[2002, 1, 1],
			[1001, 1, 1]
		]);
		db.close();
	});

	it('a relearning card has its one relearning step left', () => {
		const deck = recallDeck({ id: 'r', title: 'R', notes: [deckNote({ id: 'a' })] });
		const notes = noteRecords(deck, NOW);
		let card = newCard(cardStubs(notes[0]!)[0]!);
		let t = NOW - 20 * 86_400_000;
		for (const rating of [4, 3] as const) {
			card = gradeCard(card, rating, preset, t, { timeZone: 'UTC' }).card;
			t = card.due;
		}
		const lapsed = gradeCard(card, 1, preset, NOW, { timeZone: 'UTC' }).card;
		expect(lapsed.state).toBe(CardState.Relearning);
		const { db, rows } = collectionOf(
			write({
				decks: [deckRecord(deck, 'user', NOW)],
				notes,
				cards: [lapsed],
				revlog: [],
				models: [],
				media: [],
				preset
			})
		);
		expect(rows('SELECT left, type, queue FROM cards')).toEqual([[1001, 3, 1]]);
		db.close();
	});

	it('puts the media the fields use into the package, named by the media map', () => {
		const deck = recallDeck({
			id: 'm',
			title: 'M',
			notes: [deckNote({ id: 'a', front: '![cat](cat.png)', back: 'Katze' })]
		});
		const notes = noteRecords(deck, NOW);
		const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
		const bytes = write({
			decks: [deckRecord(deck, 'user', NOW)],
			notes,
			cards: notes.flatMap(cardStubs).map(newCard),
			revlog: [],
			models: [],
			media: [{ name: 'cat.png', data: png }]
		});
		const { files } = collectionOf(bytes);
		expect(JSON.parse(new TextDecoder().decode(files.media))).toEqual({ '0': 'cat.png' });
		const bundle = read(bytes);
		expect(bundle.media).toEqual([{ name: 'cat.png', type: 'image/png', data: png }]);
		expect(bundle.notes[0]?.fields.Front).toBe('<img src="cat.png" alt="cat">');
	});

	it('writes every key Anki’s schema-11 reader requires, a v2 scheduler and SHA-1 checksums', () => {
		const deck = recallDeck({
			id: 'k',
			title: 'Parent::Child',
			notes: [deckNote({ id: 'a', front: '<b>Haus</b>', back: 'house' })]
		});
		const notes = noteRecords(deck, NOW);
		const { db, rows } = collectionOf(
			write({
				decks: [deckRecord(deck, 'user', NOW)],
				notes,
				cards: notes.flatMap(cardStubs).map(newCard),
				revlog: [],
				models: [],
				media: []
			})
		);
		const [[ver, conf, models, decks, dconf]] = rows(
			'SELECT ver, conf, models, decks, dconf FROM col'
		) as [[number, string, string, string, string]];
		expect(ver).toBe(11);
		expect(JSON.parse(conf).schedVer).toBe(2);
		const model = Object.values(JSON.parse(models) as Record<string, Record<string, unknown>>)[0]!;
		for (const key of [
			'id',
			'name',
			'type',
			'mod',
			'usn',
			'sortf',
			'did',
			'tmpls',
			'flds',
			'css'
		]) {
			expect(model).toHaveProperty(key);
		}
		expect((model.flds as object[])[0]).toMatchObject({
			name: 'Front',
			ord: 0,
			sticky: false,
			rtl: false,
			font: 'Arial',
			size: 20
		});
		const deckList = Object.values(JSON.parse(decks) as Record<string, Record<string, unknown>>);
		expect(deckList.map((d) => d.name).sort()).toEqual(['Default', 'Parent', 'Parent::Child']);
		for (const key of [
			'id',
			'name',
			'usn',
			'lrnToday',
			'revToday',
			'newToday',
			'timeToday',
			'collapsed',
			'dyn',
			'conf'
		]) {
			expect(deckList[1]).toHaveProperty(key);
		}
		expect(JSON.parse(dconf)['1']).toMatchObject({
			id: 1,
			new: { delays: [1, 10] },
			lapse: { delays: [10] }
		});
		const [[sfld, csum]] = rows('SELECT sfld, csum FROM notes') as [[string, number]];
		const sha1 = createHash('sha1').update(strToU8('Haus')).digest('hex');
		expect([sfld, csum]).toEqual(['Haus', Number.parseInt(sha1.slice(0, 8), 16)]);
		db.close();
	});
});
