import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card } from '$lib/core/model';
import { newCard } from '$lib/core/scheduling';
import { countOf, splitSource, tallied } from './study-types';

const card = (state: CardState): Card => ({
	...newCard({ id: 'n/0', noteId: 'n', deckId: 'd', ord: 0, position: 1 }),
	state,
	queue: state === CardState.New ? Queue.New : (state as Queue)
});

describe('study-types', () => {
	it('says which count a card is in: new, learning (relearning too) or review', () => {
		expect(countOf(card(CardState.New))).toBe('new');
		expect(countOf(card(CardState.Learning))).toBe('learning');
		expect(countOf(card(CardState.Relearning))).toBe('learning');
		expect(countOf(card(CardState.Review))).toBe('review');
	});
	it('adds an answer to the summary and takes an undone one back out', () => {
		const once = tallied({ cards: 0, again: 0, timeMs: 0 }, 1, 1, 4000);
		expect(once).toEqual({ cards: 1, again: 1, timeMs: 4000 });
		expect(tallied(once, 1, 3, 2000)).toEqual({ cards: 2, again: 1, timeMs: 6000 });
		expect(tallied(once, -1, 1, 4000)).toEqual({ cards: 0, again: 0, timeMs: 0 });
	});
	it('splits a source into its deck or its search', () => {
		expect(splitSource('a')).toEqual({ deckId: 'a', search: null });
		expect(splitSource({ deck: 'b' })).toEqual({ deckId: 'b', search: null });
		expect(splitSource({ search: 'tag:x', limit: 5 })).toEqual({
			deckId: '',
			search: 'tag:x',
			limit: 5
		});
	});
});
