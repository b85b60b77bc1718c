import { describe, expect, it } from 'vitest';
import {
	DeckError,
	deckAncestors,
	deckDepth,
	deckName,
	deckPath,
	isWithinDeck,
	isWithinDeckFolded,
	joinDeckPath,
	planDeckRename,
	validDeckTitle
} from './deck-title';

describe('deck titles split on ::', () => {
	it('gives the levels, the last name, the depth and the parents', () => {
		expect(deckPath('Lang::Spanish::Verbs')).toEqual(['Lang', 'Spanish', 'Verbs']);
		expect(joinDeckPath(['Lang', 'Spanish'])).toBe('Lang::Spanish');
		expect(deckName('Lang::Spanish')).toBe('Spanish');
		expect(deckName('History')).toBe('History');
		expect(deckDepth('History')).toBe(0);
		expect(deckDepth('Lang::Spanish::Verbs')).toBe(2);
		expect(deckAncestors('Lang::Spanish::Verbs')).toEqual(['Lang', 'Lang::Spanish']);
		expect(deckAncestors('History')).toEqual([]);
	});

	it('tells a subdeck from a deck whose name only starts the same', () => {
		expect(isWithinDeck('Lang', 'Lang')).toBe(true);
		expect(isWithinDeck('Lang::Spanish', 'Lang')).toBe(true);
		expect(isWithinDeck('Language', 'Lang')).toBe(false);
		expect(isWithinDeck('lang::Spanish', 'Lang')).toBe(false);
		expect(isWithinDeckFolded('lang::Spanish', 'Lang')).toBe(true);
		expect(isWithinDeckFolded('Languages', 'Lang')).toBe(false);
	});
});

describe('a title the user may store', () => {
	const decks = [
		{ id: 'h', title: 'History' },
		{ id: 'l', title: 'Lang' },
		{ id: 's', title: 'Lang::Spanish' }
	];

	it('trims each level and joins them back', () => {
		expect(validDeckTitle('  Red   Army :: Ranks ', decks)).toBe('Red Army::Ranks');
		expect(validDeckTitle('Cafe\u0301', decks)).toBe('Café');
	});

	it('refuses empty names, empty levels, long names and duplicates, in words', () => {
		expect(() => validDeckTitle('   ', decks)).toThrow('Give the deck a name.');
		expect(() => validDeckTitle('A::', decks)).toThrow(/empty part around "::"/);
		expect(() => validDeckTitle(':: B', decks)).toThrow(DeckError);
		expect(() => validDeckTitle('x'.repeat(201), decks)).toThrow(/at most 200 characters/);
		expect(validDeckTitle('x'.repeat(200), decks)).toHaveLength(200);
		expect(() => validDeckTitle('history', decks)).toThrow(
			'There is already a deck named "History".'
		);
		expect(validDeckTitle('history', decks, 'h')).toBe('history');
	});

	it('renames a deck with its subdecks, and refuses a rename onto another deck', () => {
		expect(planDeckRename(decks, 'l', 'Languages').map((m) => m.after.title)).toEqual([
			'Languages',
			'Languages::Spanish'
		]);
		expect(planDeckRename(decks, 'l', 'Languages')[1]?.before).toBe(decks[2]);
		expect(() => planDeckRename(decks, 'l', 'history')).toThrow(/already a deck named "History"/);
		expect(() => planDeckRename(decks, 'gone', 'X')).toThrow('That deck no longer exists.');
		const clash = [...decks, { id: 'hs', title: 'History::Spanish' }];
		expect(() => planDeckRename(clash, 'l', 'History::x')).not.toThrow();
		expect(() =>
			planDeckRename(
				[
					{ id: 'a', title: 'A' },
					{ id: 'ab', title: 'A::B' },
					{ id: 'cb', title: 'C::B' },
					{ id: 'c2', title: 'D' }
				],
				'a',
				'C'
			)
		).toThrow('Renaming would give two decks the name "C::B".');
	});
});
