import { strToU8 } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardState, Queue } from '../../model';
import {
	BASIC,
	CLOZE,
	DECK,
	buildCollection,
	latestPackage,
	legacyPackage
} from '../testing/anki-fixtures';
import { CRT, DAY, HISTORY, NID, NID2, NOW, T0, scenario } from '../testing/anki-scenario';
import { loadSqlJs } from '../testing/node-sql';
import { historyByCard } from './history';
import { importAnki } from './package';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const dayOf = (due: number) => (CRT + due * 86_400) * 1000;

const packages = {
	'a schema-11 apkg (collection.anki2)': () => legacyPackage(buildCollection(sql, scenario(11))),
	'a schema-18 apkg (meta v3, zstd collection.anki21b)': () =>
		latestPackage(sql, buildCollection(sql, scenario(18)))
};

describe.each(Object.entries(packages))('importing %s', (_, make) => {
	const load = () => importAnki(make(), { fileName: 'German.apkg', now: NOW, sql });

	it('imports every note with its fields by name, tags, guid and mtime', () => {
		const bundle = load();
		expect(bundle.notes).toHaveLength(5);
		const haus = bundle.notes.find((note) => note.id === `anki-${NID.haus}`);
		expect(haus).toEqual({
			id: `anki-${NID.haus}`,
			deckId: `anki-${DECK.id}`,
			guid: 'g-haus',
			type: 'anki',
			fields: { Front: 'Haus', Back: 'house' },
			modelId: `anki-${BASIC.id}`,
			tags: ['noun', 'german'],
			position: 2,
			mtime: 1_700_000_500_000
		});
	});

	it('keeps the note types the notes use, fields in order, templates and css', () => {
		const { models } = load();
		expect(models.map((m) => m.name).sort()).toEqual(['Basic', 'Cloze']);
		const cloze = models.find((m) => m.id === `anki-${CLOZE.id}`);
		expect(cloze).toEqual({
			id: `anki-${CLOZE.id}`,
			name: 'Cloze',
			kind: 'cloze',
			fields: ['Text', 'Back Extra'],
			templates: [
				{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>\n{{Back Extra}}' }
			],
			css: '.cloze { font-weight: bold; }'
		});
		expect(models.find((m) => m.name === 'Basic')?.kind).toBe('standard');
	});

	it('names decks Parent::Child with the import origin and default preset, skipping filtered decks', () => {
		expect(load().decks).toEqual([
			{
				id: `anki-${DECK.id}`,
				title: 'Languages::German',
				description: 'Words',
				origin: 'import',
				version: 0,
				presetId: 'default',
				createdAt: DECK.id
			}
		]);
	});

	it('converts due dates: review days from crt, learning epoch seconds, new by note position', () => {
		const cards = new Map(load().cards.map((card) => [card.id, card]));
		expect(cards.get(`anki-${NID.haus}/0`)?.due).toBe(dayOf(400));
		expect(cards.get(`anki-${NID.hund}/0`)?.due).toBe(1_736_900_000_000);
		expect(cards.get(`anki-${NID.hund}/1`)?.due).toBe(1);
		expect(cards.get(`anki-${NID2.baum}/0`)?.due).toBe(0);
	});

	it('maps queues: suspended stays suspended, buried is buried for a day, states from card type', () => {
		const cards = new Map(load().cards.map((card) => [card.id, card]));
		const katze = cards.get(`anki-${NID.katze}/0`);
		expect([katze?.queue, katze?.state, katze?.scheduledDays]).toEqual([
			Queue.Suspended,
			CardState.Review,
			30
		]);
		const baum = cards.get(`anki-${NID2.baum}/0`);
		expect([baum?.queue, baum?.state, baum?.buriedUntil]).toEqual([
			Queue.Buried,
			CardState.New,
			NOW + DAY
		]);
		const hund = cards.get(`anki-${NID.hund}/0`);
		expect([hund?.queue, hund?.state]).toEqual([Queue.Learning, CardState.Learning]);
	});

	it('sends a card in a filtered deck home, with its original due date', () => {
		const weg = load().cards.find((card) => card.noteId === `anki-${NID2.weg}`);
		expect(weg).toMatchObject({
			deckId: `anki-${DECK.id}`,
			due: dayOf(410),
			state: CardState.Review,
			queue: Queue.Review
		});
	});

	it("takes FSRS memory state from Anki's card data, else lists the studied card for replay", () => {
		const bundle = load();
		const haus = bundle.cards.find((card) => card.id === `anki-${NID.haus}/0`);
		expect(haus).toMatchObject({
			stability: 12.5,
			difficulty: 5.25,
			reps: 5,
			lapses: 1,
			scheduledDays: 12,
			lastReview: HISTORY[4]?.id
		});
		expect(bundle.cardsToReplay.sort()).toEqual(
			[`anki-${NID.hund}/0`, `anki-${NID.katze}/0`, `anki-${NID2.weg}/0`].sort()
		);
	});

	it('imports the review history: ratings, state before each review, intervals and durations', () => {
		const bundle = load();
		const rows = historyByCard(bundle.revlog).get(`anki-${NID.haus}/0`) ?? [];
		const summary = rows.map((r) => [
			r.rating,
			r.state,
			r.elapsedDays,
			r.scheduledDays,
			r.durationMs
		]);
		expect(summary).toEqual([
			[3, CardState.New, 0, 0, 8000],
			[3, CardState.Learning, 0, 1, 6000],
			[1, CardState.Review, 1, 0, 20_000],
			[3, CardState.Relearning, 0, 2, 7000],
			[4, CardState.Review, 2, 12, 3000],
			[0, CardState.Review, 0, 15, 0]
		]);
		expect(rows.map((r) => r.due)).toEqual([
			T0,
			T0 + 600_000,
			T0 + 600_000 + DAY,
			T0 + DAY + 3_600_000 + 600_000,
			T0 + DAY + 4_200_000 + 2 * DAY,
			T0 + 4 * DAY + 12 * DAY
		]);
		expect(rows.every((r) => r.deckId === `anki-${DECK.id}` && r.reviewedAt >= T0)).toBe(true);
	});

	it('skips review log entries of cards not in the package, and says so', () => {
		const bundle = load();
		expect(bundle.revlog).toHaveLength(HISTORY.length);
		expect(bundle.warnings).toContain(
			'1 review log entries belong to cards not in the package and were skipped.'
		);
	});

	it('makes one card per Anki card, ids `<noteId>/<ord>`', () => {
		const ids = load().cards.map((card) => card.id);
		expect(ids).toHaveLength(6);
		expect(ids).toContain(`anki-${NID.hund}/1`);
		expect(new Set(ids).size).toBe(6);
	});
});

describe('Anki packages and media', () => {
	const collection = () =>
		buildCollection(sql, {
			notes: [{ id: 1, mid: BASIC.id, fields: ['<img src="haus.jpg">', 'house'] }],
			cards: [{ id: 2, nid: 1, did: DECK.id }]
		});
	const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

	it('imports a raw .anki2 collection file', () => {
		const bundle = importAnki(collection(), { fileName: 'collection.anki2', now: NOW, sql });
		expect([bundle.notes.length, bundle.cards.length, bundle.media.length]).toEqual([1, 1, 0]);
	});

	it('keeps media from a legacy package under their real names with a MIME type', () => {
		const bytes = legacyPackage(collection(), { 'haus.jpg': jpeg, 'say.mp3': strToU8('ID3') });
		const { media } = importAnki(bytes, { fileName: 'a.apkg', now: NOW, sql });
		expect(media).toEqual([
			{ name: 'haus.jpg', type: 'image/jpeg', data: jpeg },
			{ name: 'say.mp3', type: 'audio/mpeg', data: strToU8('ID3') }
		]);
	});

	it('decompresses the zstd media of a latest package', () => {
		const bytes = latestPackage(
			sql,
			buildCollection(sql, {
				schema: 18,
				notes: [{ id: 1, mid: BASIC.id, fields: ['a', 'b'] }],
				cards: [{ id: 2, nid: 1, did: DECK.id }]
			}),
			{ 'haus.jpg': jpeg }
		);
		expect(importAnki(bytes, { fileName: 'a.apkg', now: NOW, sql }).media).toEqual([
			{ name: 'haus.jpg', type: 'image/jpeg', data: jpeg }
		]);
	});

	it('prefers collection.anki21 to the collection.anki2 beside it (legacy 2 packages)', () => {
		const real = buildCollection(sql, {
			notes: [{ id: 5, mid: BASIC.id, fields: ['real', ''] }],
			cards: [{ id: 6, nid: 5, did: DECK.id }]
		});
		const bytes = legacyPackage(real, {}, 'collection.anki21');
		const { notes } = importAnki(bytes, { fileName: 'a.apkg', now: NOW, sql });
		expect(notes.map((n) => n.fields.Front)).toEqual(['real']);
	});

	it('skips media with hostile names, keeps the bare file name of the rest, and warns', () => {
		const bytes = legacyPackage(collection(), {
			'../../evil.js': strToU8('x'),
			'sub/dir/ok.png': strToU8('png'),
			'bell\u0007.mp3': strToU8('y')
		});
		const bundle = importAnki(bytes, { fileName: 'a.apkg', now: NOW, sql });
		expect(bundle.media.map((m) => m.name)).toEqual(['ok.png']);
		expect(bundle.warnings).toEqual([
			'Media file "../../evil.js" has an unsafe name and was skipped.',
			'Media file "bell?.mp3" has an unsafe name and was skipped.'
		]);
	});
});
