/**
 * The whole collection as one Anki package (`.colpkg`, and the same as an "all decks" `.apkg`):
 * a round trip Recall → package → Recall keeps every row (notes, cards, reviews, decks, note
 * types, media), and the package matches Anki's documented schema-11 collection (rslib
 * `storage/schema11.sql`, the col JSON keys its schema-11 reader requires) with every reference
 * resolved, as Anki's Check Database would want it.
 */
import { unzipSync } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import type { ImportBundle } from '../import/bundle';
import { importAnki } from '../import/anki/package';
import { replayImportedMemory } from '../import/memory';
import { buildCollection, latestPackage } from '../import/testing/anki-fixtures';
import { NOW, scenario } from '../import/testing/anki-scenario';
import { loadSqlJs } from '../import/testing/node-sql';
import { CardState, type Card, type Note, type RevlogEntry } from '../model';
import { gradeCard, newCard } from '../scheduling';
import { studyDayNumber } from '../scheduling/day';
import { createDefaultPreset } from '../scheduling/preset';
import { deckNote, recallDeck } from '../testing/factories';
import { collectionPackageName, writeApkg, writeColpkg, type ApkgInput } from './apkg';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const preset = createDefaultPreset();
const slow = createDefaultPreset({ id: 'slow', name: 'Slow', learningSteps: [5, 30, 120] });
const EXPORTED_AT = NOW + 3_600_000;
const opts = () => ({ sql, now: EXPORTED_AT, dayStartHour: 4, timeZone: 'UTC' });
const read = (bytes: Uint8Array, fileName: string) =>
	replayImportedMemory(importAnki(bytes, { fileName, now: NOW, sql }), preset, { timeZone: 'UTC' });

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
const MP3 = new Uint8Array([73, 68, 51, 4, 0, 0, 9, 9]);

/** A collection as the store holds it: an imported Anki deck with media, and two Recall decks. */
function collection(): { input: ApkgInput; anki: ImportBundle } {
	const spec = scenario(18);
	spec.notes![0]!.fields = ['Haus <img src="haus.png">', 'house [sound:haus.mp3]'];
	const anki = read(
		latestPackage(sql, buildCollection(sql, spec), { 'haus.png': PNG, 'haus.mp3': MP3 }),
		'German.apkg'
	);
	const history = recallDeck({
		id: 'history',
		title: 'History::Russia',
		notes: [deckNote({ id: 'a' }), deckNote({ id: 'c', type: 'cloze', text: '{{c1::1879}}' })]
	});
	const empty = recallDeck({ id: 'empty', title: 'Empty deck', notes: [] });
	const historyDeck = { ...deckRecord(history, 'user', NOW), presetId: 'slow' };
	const notes = noteRecords(history, NOW);
	const cards = notes.flatMap(cardStubs).map(newCard);
	const revlog: RevlogEntry[] = [];
	let card = cards[0]!;
	let t = NOW - 20 * 86_400_000;
	for (const rating of [3, 3, 3, 3, 1] as const) {
		const graded = gradeCard(card, rating, slow, t, { timeZone: 'UTC', durationMs: 3000 });
		card = graded.card;
		revlog.push(graded.log);
		t = Math.max(card.due, t + 600_000);
	}
	cards[0] = card;
	return {
		anki,
		input: {
			decks: [...anki.decks, historyDeck, deckRecord(empty, 'user', NOW)],
			notes: [...anki.notes, ...notes],
			cards: [...anki.cards, ...cards],
			revlog: [...anki.revlog, ...revlog],
			models: anki.models,
			media: anki.media.map(({ name, data }) => ({ name, data })),
			preset,
			presets: [preset, slow]
		}
	};
}

const dueDay = (card: Card) =>
	card.state === CardState.Review ? { ...card, due: studyDayNumber(card.due, 4, 'UTC') } : card;

describe('the whole collection as one Anki package', () => {
	it.each([
		['.colpkg', writeColpkg, 'recall-collection.colpkg'],
		['an all-decks .apkg', writeApkg, 'recall-all-decks.apkg']
	])('%s: a round trip keeps every row', (_, write, fileName) => {
		// The Recall deck's notes and the imported ones, as the importer returns them.
		const { input, anki } = collection();
		expect(anki.media).toHaveLength(2);
		expect(anki.revlog.length).toBeGreaterThan(0);
		const again = read(write(input, opts()), fileName);

		// A .colpkg is a whole collection: its empty deck too (an .apkg brings the decks of its cards).
		const titles = input.decks.map((d) => d.title).sort();
		expect(again.decks.map((d) => d.title).sort()).toEqual(
			fileName.endsWith('.colpkg') ? titles : titles.filter((t) => t !== 'Empty deck')
		);
		expect(again.notes).toHaveLength(input.notes.length);
		expect(again.cards).toHaveLength(input.cards.length);
		expect(again.revlog).toHaveLength(input.revlog.length);
		expect(again.media).toEqual(anki.media);
		// The Anki deck's rows come back as they were.
		const ankiIds = new Set(anki.notes.map((n) => n.id));
		// (Positions count across the whole package: the Recall deck's new cards come first.)
		const unplaced = ({ position: _, ...note }: Note) => note;
		expect(again.notes.filter((n) => ankiIds.has(n.id)).map(unplaced)).toEqual(
			anki.notes.map(unplaced)
		);
		expect(again.cards.filter((c) => ankiIds.has(c.noteId)).map(dueDay)).toEqual(
			anki.cards.map(dueDay)
		);
		expect(again.models.filter((m) => anki.models.some((o) => o.id === m.id))).toEqual(anki.models);
		// Recall's notes arrive as Recall note types, with their GUIDs, schedule and history.
		expect(again.models.map((m) => m.name)).toEqual(
			expect.arrayContaining(['Recall Basic', 'Recall Cloze'])
		);
		const recallCards = input.cards.filter((c) => !ankiIds.has(c.noteId));
		const byGuid = new Map(again.notes.map((n) => [n.guid, n]));
		for (const note of input.notes.filter((n) => !ankiIds.has(n.id))) {
			expect(byGuid.get(note.guid)?.tags).toEqual(note.tags);
		}
		const studied = recallCards.find((c) => c.reps > 0)!;
		const back = again.cards.find((c) => c.reps === studied.reps && c.state === studied.state);
		expect(back).toMatchObject({
			stability: studied.stability,
			difficulty: studied.difficulty,
			lapses: studied.lapses,
			lastReview: studied.lastReview
		});
		const times = (rows: RevlogEntry[]) => rows.map((r) => [r.reviewedAt, r.rating]).sort();
		expect(times(again.revlog)).toEqual(times(input.revlog));
		expect(again.warnings).toEqual([]);
	});

	it('matches Anki’s schema-11 collection: tables, columns, indexes, and every reference resolves', () => {
		const { input } = collection();
		const files = unzipSync(writeColpkg(input, opts()));
		expect(Object.keys(files).sort()).toEqual(['0', '1', 'collection.anki2', 'media']);
		const db = new sql.Database(files['collection.anki2']);
		try {
			const rows = (q: string) => db.exec(q)[0]?.values ?? [];
			// rslib/src/storage/schema11.sql: name, type, not null, primary key.
			const ANKI_SCHEMA_11: Record<string, string> = {
				col: 'id integer 0 1, crt integer 1 0, mod integer 1 0, scm integer 1 0, ver integer 1 0, dty integer 1 0, usn integer 1 0, ls integer 1 0, conf text 1 0, models text 1 0, decks text 1 0, dconf text 1 0, tags text 1 0',
				notes:
					'id integer 0 1, guid text 1 0, mid integer 1 0, mod integer 1 0, usn integer 1 0, tags text 1 0, flds text 1 0, sfld integer 1 0, csum integer 1 0, flags integer 1 0, data text 1 0',
				cards:
					'id integer 0 1, nid integer 1 0, did integer 1 0, ord integer 1 0, mod integer 1 0, usn integer 1 0, type integer 1 0, queue integer 1 0, due integer 1 0, ivl integer 1 0, factor integer 1 0, reps integer 1 0, lapses integer 1 0, left integer 1 0, odue integer 1 0, odid integer 1 0, flags integer 1 0, data text 1 0',
				revlog:
					'id integer 0 1, cid integer 1 0, usn integer 1 0, ease integer 1 0, ivl integer 1 0, lastIvl integer 1 0, factor integer 1 0, time integer 1 0, type integer 1 0',
				graves: 'usn integer 1 0, oid integer 1 0, type integer 1 0'
			};
			const tables = rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
			expect(tables.flat()).toEqual(['cards', 'col', 'graves', 'notes', 'revlog']);
			for (const [table, columns] of Object.entries(ANKI_SCHEMA_11)) {
				const info = rows(`PRAGMA table_info(${table})`).map(
					([, name, type, notnull, , pk]) =>
						`${name} ${String(type).toLowerCase()} ${notnull} ${pk}`
				);
				expect(info.join(', '), table).toBe(columns);
			}
			const indexes = rows("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name");
			expect(indexes.flat()).toEqual([
				'ix_cards_nid',
				'ix_cards_sched',
				'ix_cards_usn',
				'ix_notes_csum',
				'ix_notes_usn',
				'ix_revlog_cid',
				'ix_revlog_usn'
			]);

			const [[ver, conf, modelsText, decksText, dconfText]] = rows(
				'SELECT ver, conf, models, decks, dconf FROM col'
			) as [[number, string, string, string, string]];
			expect(ver).toBe(11);
			expect(rows('SELECT count(*) FROM col')).toEqual([[1]]);
			type Obj = Record<string, unknown>;
			const models = JSON.parse(modelsText) as Record<string, Obj>;
			const decks = JSON.parse(decksText) as Record<string, Obj>;
			const dconf = JSON.parse(dconfText) as Record<string, Obj>;
			expect(JSON.parse(conf)).toMatchObject({ schedVer: 2 });
			// Every deck options group, and each deck points at one that exists.
			expect(Object.values(dconf).map((c) => [c.id, c.name])).toEqual([
				[1, 'Default'],
				[2, 'Slow']
			]);
			expect((dconf['2']!.new as Obj).delays).toEqual([5, 30, 120]);
			for (const [id, deck] of Object.entries(decks)) {
				expect(String(deck.id)).toBe(id);
				expect(dconf[String(deck.conf)], `deck ${String(deck.name)}'s options`).toBeDefined();
			}
			const deckNamed = (name: string) => Object.values(decks).find((d) => d.name === name);
			expect(deckNamed('History::Russia')?.conf).toBe(2);
			for (const name of ['Default', 'History', 'Empty deck'])
				expect(deckNamed(name)).toBeDefined();
			// Every note's type, every card's note, deck and template, every review's card.
			for (const [mid, flds] of rows('SELECT mid, flds FROM notes') as [number, string][]) {
				const model = models[String(mid)];
				expect(model, `note type ${mid}`).toBeDefined();
				expect(flds.split('\x1f')).toHaveLength((model!.flds as unknown[]).length);
			}
			const cards = rows(
				'SELECT c.did, c.ord, n.mid, c.type, c.queue, c.left FROM cards c LEFT JOIN notes n ON n.id = c.nid'
			) as [number, number, number | null, number, number, number][];
			expect(cards).toHaveLength(input.cards.length);
			for (const [did, ord, mid, type, queue, left] of cards) {
				expect(mid, 'a card without its note').not.toBeNull();
				expect(decks[String(did)], `deck ${did}`).toBeDefined();
				const model = models[String(mid)]!;
				if (model.type === 0) expect(ord).toBeLessThan((model.tmpls as unknown[]).length);
				expect([0, 1, 2, 3]).toContain(type);
				expect([-3, -2, -1, 0, 1, 2, 3]).toContain(queue);
				if (type === 1 || type === 3) expect(left % 1000).toBeGreaterThan(0);
				else expect(left).toBe(0);
			}
			expect(
				rows('SELECT count(*) FROM revlog r LEFT JOIN cards c ON c.id = r.cid WHERE c.id IS NULL')
			).toEqual([[0]]);
			expect(rows('SELECT count(*) FROM revlog')).toEqual([[input.revlog.length]]);
			// The media map names each member once, and each member is there.
			const map = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
			expect(Object.values(map).sort()).toEqual(['haus.mp3', 'haus.png']);
			for (const member of Object.keys(map)) expect(files[member]?.length).toBeGreaterThan(0);
		} finally {
			db.close();
		}
	});

	it('names the files by what they hold and the day', () => {
		const at = Date.UTC(2026, 11, 7, 1, 30);
		expect(collectionPackageName('colpkg', at)).toBe('recall-collection-2026-12-07.colpkg');
		expect(collectionPackageName('apkg', at)).toBe('recall-all-decks-2026-12-07.apkg');
	});
});
