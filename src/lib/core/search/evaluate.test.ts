import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Grade } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import { DAY, HOUR, makeCard, makeReviewCard } from '../scheduling/test-factories';
import { note } from '../testing/factories';
import {
	compileSearch,
	needsNote,
	type SearchEnv,
	type SearchNote,
	type SearchRow
} from './evaluate';
import { parseSearch } from './parse';

/** Monday 2026-11-23 12:00 UTC; study days start at 04:00. */
const NOW = Date.UTC(2026, 10, 23, 12);
const TODAY_START = Date.UTC(2026, 10, 23, 4);

const preset = createDefaultPreset();

function env(overrides: Partial<SearchEnv> = {}): SearchEnv {
	return {
		now: NOW,
		timeZone: 'UTC',
		dayStartHour: 4,
		decks: [
			{ id: 'hist', title: 'History' },
			{ id: 'army', title: 'History::Red Army' },
			{ id: 'fr', title: 'French' }
		],
		presetFor: () => preset,
		...overrides
	};
}

function matches(search: string, row: SearchRow, e = env()): boolean {
	return compileSearch(parseSearch(search), e)(row);
}

const studied = (overrides: Partial<Card> = {}) =>
	makeReviewCard({ lastReview: NOW - 10 * DAY, due: NOW + 2 * DAY, stability: 10, ...overrides });

function row(card: Partial<Card> = {}, n: Partial<SearchNote> = {}): SearchRow {
	return { card: makeCard({ deckId: 'hist', ...card }), note: note(n) };
}

describe('compileSearch: text and fields', () => {
	const r = row(
		{},
		{ fields: { front: 'Who built the <b>Red</b> Army?', back: 'Leon&nbsp;Trotsky' } }
	);

	it('finds plain words in any field, ignoring case, HTML tags and entities', () => {
		expect(matches('red army', r)).toBe(true);
		expect(matches('"red army"', r)).toBe(true);
		expect(matches('"leon trotsky"', r)).toBe(true);
		expect(matches('LEON', r)).toBe(true);
		expect(matches('stalin', r)).toBe(false);
		expect(matches('<b>', r)).toBe(false);
	});

	it('understands * and _ wildcards, and escaped ones literally', () => {
		expect(matches('tr*ky', r)).toBe(true);
		expect(matches('tr_tsky', r)).toBe(true);
		expect(matches('tr_ky', r)).toBe(false);
		expect(matches('a\\*b', row({}, { fields: { front: 'a*b' } }))).toBe(true);
		expect(matches('a\\*b', row({}, { fields: { front: 'axxb' } }))).toBe(false);
	});

	it('matches a field search against the whole field, by field name in any case', () => {
		expect(matches('front:who*', r)).toBe(true);
		expect(matches('Back:"leon trotsky"', r)).toBe(true);
		expect(matches('back:leon', r)).toBe(false);
		expect(matches('extra:*', r)).toBe(false);
		expect(matches('front:', row({}, { fields: { front: '', back: 'x' } }))).toBe(true);
	});

	it('finds hyphenated words, quoted or not, and hyphenated tags (the built-in decks have them)', () => {
		const r = row(
			{},
			{ fields: { front: 'A black-and-white photo', back: 'x' }, tags: ['early-life', 'red-army'] }
		);
		expect(matches('black-and-white', r)).toBe(true);
		expect(matches('"black-and-white"', r)).toBe(true);
		expect(matches('black-and-*', r)).toBe(true);
		expect(matches('tag:early-life', r)).toBe(true);
		expect(matches('tag:red-army', r)).toBe(true);
		expect(matches('tag:red-*', r)).toBe(true);
		expect(matches('tag:red', r)).toBe(false);
		expect(matches('black-and-blue', r)).toBe(false);
	});

	it('searches for every printable character as itself, without failing', () => {
		for (let code = 33; code < 127; code++) {
			const ch = String.fromCharCode(code);
			if ('*_'.includes(ch)) continue;
			const r = row({}, { fields: { front: `x${ch}y`, back: '' }, tags: [`t${ch}u`] });
			const escaped = `\\${ch}`;
			expect(matches(`"x${escaped}y"`, r), `x${ch}y`).toBe(true);
			expect(matches(`"x${escaped}z"`, r), `x${ch}z`).toBe(false);
			expect(matches(`tag:"t${escaped}u"`, r), `tag:t${ch}u`).toBe(true);
		}
	});

	it('matches composed and decomposed accents alike', () => {
		const composed = row({}, { fields: { front: 'caf\u00e9' } });
		expect(matches('cafe\u0301', composed)).toBe(true);
	});

	it('never matches note terms without the note', () => {
		expect(matches('anything', { card: makeCard() })).toBe(false);
		expect(needsNote(parseSearch('is:due prop:r<0.9 deck:x'))).toBe(false);
		expect(needsNote(parseSearch('is:due (tag:x OR a)'))).toBe(true);
	});
});

describe('compileSearch: deck and tag', () => {
	it('matches a deck by title in any case, with its subdecks', () => {
		expect(matches('deck:history', row({ deckId: 'hist' }))).toBe(true);
		expect(matches('deck:history', row({ deckId: 'army' }))).toBe(true);
		expect(matches('deck:"history::red army"', row({ deckId: 'hist' }))).toBe(false);
		expect(matches('deck:fr*', row({ deckId: 'fr' }))).toBe(true);
		expect(matches('deck:hist', row({ deckId: 'hist' }))).toBe(false);
		expect(matches('deck:history -deck:history::*', row({ deckId: 'army' }))).toBe(false);
	});

	it('matches tags exactly or as parents, in any case, and tag:none', () => {
		const tagged = row({}, { tags: ['Lang::French', 'verbs'] });
		expect(matches('tag:lang', tagged)).toBe(true);
		expect(matches('tag:lang::french', tagged)).toBe(true);
		expect(matches('tag:verb', tagged)).toBe(false);
		expect(matches('tag:verb*', tagged)).toBe(true);
		expect(matches('tag:none', tagged)).toBe(false);
		expect(matches('tag:none', row({}, { tags: [] }))).toBe(true);
	});
});

describe('compileSearch: is:', () => {
	const cases: [string, Partial<Card>, boolean][] = [
		['is:new', {}, true],
		['is:new', { queue: Queue.Suspended }, true],
		['is:learn', { state: CardState.Learning, queue: Queue.Learning }, true],
		['is:learn', { state: CardState.Relearning, queue: Queue.Relearning }, true],
		['is:learn', { state: CardState.Review, queue: Queue.Review }, false],
		['is:review', { state: CardState.Review, queue: Queue.Review }, true],
		['is:review', { state: CardState.Relearning, queue: Queue.Relearning }, true],
		['is:review', {}, false],
		['is:suspended', { queue: Queue.Suspended }, true],
		['is:suspended', {}, false],
		['is:buried', { queue: Queue.Buried, buriedUntil: NOW + HOUR }, true],
		['is:buried', { queue: Queue.Suspended }, false],
		// A review is due until the study day ends (04:00 tomorrow), learning cards only once due.
		['is:due', { state: CardState.Review, queue: Queue.Review, due: NOW + 15 * HOUR }, true],
		['is:due', { state: CardState.Review, queue: Queue.Review, due: NOW + 16 * HOUR }, false],
		['is:due', { state: CardState.Learning, queue: Queue.Learning, due: NOW }, true],
		['is:due', { state: CardState.Learning, queue: Queue.Learning, due: NOW + 60_000 }, false],
		['is:due', { state: CardState.Relearning, queue: Queue.Relearning, due: NOW - 1 }, true],
		['is:due', { state: CardState.Review, queue: Queue.Suspended, due: NOW - DAY }, false],
		['is:due', { state: CardState.New, queue: Queue.New, due: 0 }, false]
	];
	it.each(cases)('%s on %o is %s', (search, card, expected) => {
		expect(matches(search, row(card))).toBe(expected);
	});

	it('finds leeches by the tag on the note or the card', () => {
		expect(matches('is:leech', row({}, { tags: ['leech'] }))).toBe(true);
		expect(matches('is:leech', row({ tags: ['leech'] }, { tags: [] }))).toBe(true);
		expect(matches('is:leech', row({}, { tags: ['leeches'] }))).toBe(false);
	});
});

describe('compileSearch: prop:', () => {
	it('compares retrievability from the forgetting curve of the deck preset', () => {
		// 10 days after a review with stability 10, FSRS predicts recall of exactly 90 %.
		const card = studied();
		expect(matches('prop:r<0.91', { card })).toBe(true);
		expect(matches('prop:r<0.89', { card })).toBe(false);
		expect(matches('prop:r>0.89', { card })).toBe(true);
	});

	it('compares stability in days and difficulty on 0–1', () => {
		const card = studied({ stability: 30, difficulty: 7.3 });
		expect(matches('prop:s>21', { card })).toBe(true);
		expect(matches('prop:s>=31', { card })).toBe(false);
		// (7.3 - 1) / 9 = 0.7
		expect(matches('prop:d>0.69', { card })).toBe(true);
		expect(matches('prop:d>0.71', { card })).toBe(false);
	});

	it('leaves new cards out of r, s, d, ivl and due but not reps and lapses', () => {
		const card = makeCard();
		for (const search of ['prop:r<1', 'prop:s>=0', 'prop:d>=0', 'prop:ivl>=0', 'prop:due<=0']) {
			expect(matches(search, { card })).toBe(false);
		}
		expect(matches('prop:reps=0', { card })).toBe(true);
		expect(matches('prop:lapses<1', { card })).toBe(true);
	});

	it('compares the interval and days until due, in study days', () => {
		const card = studied({ scheduledDays: 12, due: NOW + DAY });
		expect(matches('prop:ivl=12', { card })).toBe(true);
		expect(matches('prop:ivl!=12', { card })).toBe(false);
		expect(matches('prop:due=1', { card })).toBe(true);
		const overdue = studied({ due: NOW - 2 * DAY });
		expect(matches('prop:due=-2', { card: overdue })).toBe(true);
		expect(matches('prop:due<0', { card: overdue })).toBe(true);
	});

	it('counts reviews and lapses', () => {
		const card = studied({ reps: 9, lapses: 3 });
		expect(matches('prop:reps>8 prop:lapses=3', { card })).toBe(true);
		expect(matches('prop:lapses<=2', { card })).toBe(false);
	});
});

describe('compileSearch: added: and rated:', () => {
	it('counts added:1 as today since the study day began', () => {
		expect(matches('added:1', row({}, { mtime: TODAY_START }))).toBe(true);
		expect(matches('added:1', row({}, { mtime: TODAY_START - 1 }))).toBe(false);
		expect(matches('added:2', row({}, { mtime: TODAY_START - 1 }))).toBe(true);
		expect(matches('added:7', row({}, { mtime: TODAY_START - 6 * DAY }))).toBe(true);
		expect(matches('added:7', row({}, { mtime: TODAY_START - 6 * DAY - 1 }))).toBe(false);
	});

	it('prefers the creation time over the last edit', () => {
		const edited = row({}, { mtime: NOW, createdAt: TODAY_START - 30 * DAY });
		expect(matches('added:7', edited)).toBe(false);
	});

	it('asks the environment who was rated since the start of the range', () => {
		const asked: [number, Grade | undefined][] = [];
		const e = env({
			ratedSince: (from, rating) => {
				asked.push([from, rating]);
				return new Set(rating === 1 ? ['x'] : ['x', 'y']);
			}
		});
		expect(matches('rated:1', row({ id: 'y' }), e)).toBe(true);
		expect(matches('rated:3:1', row({ id: 'y' }), e)).toBe(false);
		expect(asked).toEqual([
			[TODAY_START, undefined],
			[TODAY_START - 2 * DAY, 1]
		]);
		expect(matches('rated:1', row({ id: 'y' }))).toBe(false);
	});
});

describe('compileSearch: combinations', () => {
	const cards: Record<string, SearchRow> = {
		a: row({ id: 'a', deckId: 'hist' }, { tags: ['x'], fields: { front: 'alpha' } }),
		b: row(
			{ id: 'b', deckId: 'fr', queue: Queue.Suspended },
			{ tags: ['x'], fields: { front: 'beta' } }
		),
		c: row({ id: 'c', deckId: 'army' }, { tags: [], fields: { front: 'gamma' } })
	};
	const found = (search: string) => {
		const p = compileSearch(parseSearch(search), env());
		return Object.keys(cards).filter((k) => p(cards[k] as SearchRow));
	};

	it('combines AND, OR, negation and groups', () => {
		expect(found('')).toEqual(['a', 'b', 'c']);
		expect(found('tag:x')).toEqual(['a', 'b']);
		expect(found('tag:x -is:suspended')).toEqual(['a']);
		expect(found('alpha OR gamma')).toEqual(['a', 'c']);
		expect(found('deck:history (alpha OR beta)')).toEqual(['a']);
		expect(found('-(tag:x deck:french)')).toEqual(['a', 'c']);
		expect(found('-tag:x OR is:suspended')).toEqual(['b', 'c']);
	});
});
