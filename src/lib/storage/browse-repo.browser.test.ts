import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue, type Deck } from '../core/model';
import { gradeCard } from '../core/scheduling/scheduler';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import { parseSearch } from '../core/search';
import { addDeck, addNote, bulkCollection, patchCard, reviewState } from './browse-testing';
import { searchCards } from './browse-repo';
import type { RecallDb } from './db';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

/** Monday 2026-11-23 12:00 UTC; study days start at 04:00 (the default preset). */
const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

let db: RecallDb;
let history: Deck;
let army: Deck;
let french: Deck;

beforeEach(async () => {
	db = freshDb();
	history = await addDeck(db, 'History', NOW - 30 * DAY);
	army = await addDeck(db, 'History::Red Army', NOW - 30 * DAY);
	french = await addDeck(db, 'French', NOW - 30 * DAY);
	await addNote(
		db,
		history.id,
		{ fields: { front: 'Who was <b>Trotsky</b>?', back: 'A revolutionary' }, tags: ['people'] },
		NOW - 10 * DAY
	);
	await addNote(
		db,
		army.id,
		{ fields: { front: 'Founded in', back: '1918' }, tags: ['Dates::Founding'] },
		NOW - 2 * DAY
	);
	await addNote(
		db,
		french.id,
		{ type: 'reversed', fields: { front: 'dog', back: 'chien' }, tags: ['animals'] },
		NOW
	);
	await addNote(
		db,
		french.id,
		{ type: 'cloze', fields: { text: 'Le {{c1::chat}} et le {{c2::chien}}' } },
		NOW
	);
});

afterEach(async () => {
	await dropDb(db);
});

async function search(text: string) {
	const result = await searchCards(db, parseSearch(text), { now: NOW, timeZone: 'UTC' });
	return {
		ids: result.rows.map((r) => r.front).sort(),
		indexes: result.indexes,
		rows: result.rows
	};
}

async function cardOf(front: string) {
	const { rows } = await search('');
	const row = rows.find((r) => r.front === front);
	if (!row) throw new Error(`no card "${front}"`);
	return (await db.cards.get(row.cardId))!;
}

describe('searching cards in IndexedDB', () => {
	it('lists every card with its columns for the empty search, reading all cards', async () => {
		const { ids, indexes, rows } = await search('');
		expect(ids).toEqual([
			'Founded in',
			'Le [...] et le chien',
			'Le chat et le [...]',
			'Who was Trotsky?',
			'chien',
			'dog'
		]);
		expect(indexes).toBeNull();
		expect(rows.find((r) => r.front === 'Founded in')).toMatchObject({
			deck: 'History::Red Army',
			tags: ['Dates::Founding'],
			retrievability: null,
			interval: 0
		});
	});

	it('finds a deck and its subdecks through the deckId index', async () => {
		expect(await search('deck:history')).toMatchObject({
			ids: ['Founded in', 'Who was Trotsky?'],
			indexes: ['deck']
		});
		expect((await search('deck:"History::Red Army"')).ids).toEqual(['Founded in']);
		expect((await search('deck:nowhere')).ids).toEqual([]);
	});

	it('finds tags through the notes *tags index, ignoring case, with child tags', async () => {
		expect(await search('tag:dates')).toMatchObject({ ids: ['Founded in'], indexes: ['tag'] });
		expect((await search('tag:ANIMALS')).ids).toEqual(['chien', 'dog']);
		expect((await search('tag:peo*')).ids).toEqual(['Who was Trotsky?']);
		expect((await search('tag:none')).ids).toEqual(['Le [...] et le chien', 'Le chat et le [...]']);
	});

	it('finds due, suspended and buried cards through [deckId+queue+due]', async () => {
		const trotsky = await cardOf('Who was Trotsky?');
		await patchCard(db, trotsky.id, reviewState(NOW, 10, 10, 0));
		const dog = await cardOf('dog');
		await patchCard(db, dog.id, reviewState(NOW, 1, 10, 3));
		const chien = await cardOf('chien');
		await patchCard(db, chien.id, { queue: Queue.Suspended });
		const founded = await cardOf('Founded in');
		await patchCard(db, founded.id, { queue: Queue.Buried, buriedUntil: NOW + DAY });

		expect(await search('is:due')).toMatchObject({ ids: ['Who was Trotsky?'], indexes: ['queue'] });
		expect(await search('is:suspended')).toMatchObject({ ids: ['chien'], indexes: ['queue'] });
		expect((await search('is:buried')).ids).toEqual(['Founded in']);
		expect((await search('is:review')).ids).toEqual(['Who was Trotsky?', 'dog']);
		expect((await search('deck:french is:new')).ids).toEqual([
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien'
		]);
		expect((await search('deck:french is:due')).ids).toEqual([]);
	});

	it('finds cards answered lately through the review log, by rating', async () => {
		const dog = await cardOf('dog');
		const graded = gradeCard(dog, 1, DEFAULT_PRESET, NOW - DAY, { timeZone: 'UTC' });
		await saveGrade(db, dog, graded.card, graded.log, null);
		const chien = await cardOf('chien');
		const good = gradeCard(chien, 3, DEFAULT_PRESET, NOW, { timeZone: 'UTC' });
		await saveGrade(db, chien, good.card, good.log, null);

		expect(await search('rated:1')).toMatchObject({ ids: ['chien'], indexes: ['rated'] });
		expect((await search('rated:2')).ids).toEqual(['chien', 'dog']);
		expect((await search('rated:2:1')).ids).toEqual(['dog']);
	});

	it('filters plain words, properties and negations over every card', async () => {
		expect(await search('trotsky')).toMatchObject({ ids: ['Who was Trotsky?'], indexes: null });
		expect((await search('chien -deck:french')).ids).toEqual([]);
		expect((await search('chien OR 1918')).ids).toEqual([
			'Founded in',
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien',
			'dog'
		]);
		expect((await search('added:1')).ids).toEqual([
			'Le [...] et le chien',
			'Le chat et le [...]',
			'chien',
			'dog'
		]);
		expect((await search('added:3 -deck:french')).ids).toEqual(['Founded in']);
	});

	it('unions the indexes of an OR', async () => {
		expect(await search('tag:people OR deck:french is:suspended')).toMatchObject({
			ids: ['Who was Trotsky?']
		});
		const either = await search('tag:people OR tag:dates');
		expect(either).toMatchObject({
			ids: ['Founded in', 'Who was Trotsky?'],
			indexes: ['tag', 'tag']
		});
	});

	it('gives retrievability from the deck preset for studied cards', async () => {
		const trotsky = await cardOf('Who was Trotsky?');
		await patchCard(db, trotsky.id, reviewState(NOW, 10, 10, 0));
		const { rows } = await search('prop:r<0.95');
		expect(rows.map((r) => r.front)).toEqual(['Who was Trotsky?']);
		expect(rows[0]?.retrievability).toBeCloseTo(0.9, 3);
	});
});

describe('a large collection', () => {
	it('finds the same cards in 10 000 with indexes as a full read does', async () => {
		await bulkCollection(db, french.id, 10_000, NOW);
		const cases = [
			['', 10_006, null],
			['tag:rare', 200, ['tag']],
			['is:suspended', 100, ['queue']],
			['front:"*topic 5"', 104, null],
			['deck:french -is:new prop:s>30', 250, ['deck']]
		] as const;
		for (const [text, count, indexes] of cases) {
			const result = await searchCards(db, parseSearch(text), { now: NOW, timeZone: 'UTC' });
			expect(result.rows.length, text).toBe(count);
			expect(result.indexes, text).toEqual(indexes);
		}
	});
});
