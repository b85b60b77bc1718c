import { describe, expect, it } from 'vitest';
import { Queue } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import type { SearchEnv } from './evaluate';
import { parseSearch } from './parse';
import { planSearch } from './plan';

const NOW = Date.UTC(2026, 10, 23, 12);
const TODAY_START = Date.UTC(2026, 10, 23, 4);
const TOMORROW_START = Date.UTC(2026, 10, 24, 4);
const ALL = { from: -Infinity, to: Infinity };

const env: SearchEnv = {
	now: NOW,
	timeZone: 'UTC',
	dayStartHour: 4,
	decks: [
		{ id: 'hist', title: 'History' },
		{ id: 'army', title: 'History::Red Army' },
		{ id: 'fr', title: 'French' }
	],
	presetFor: () => createDefaultPreset()
};

const plan = (search: string) => planSearch(parseSearch(search), env);

describe('planSearch', () => {
	it('has no plan for searches no index can narrow', () => {
		for (const search of [
			'',
			'word',
			'front:x',
			'prop:r<0.9',
			'added:7',
			'-deck:History',
			'tag:none',
			'tag:*x'
		]) {
			expect(plan(search)).toBeNull();
		}
	});

	it('reads deck: from the deckId index, subdecks included', () => {
		expect(plan('deck:History')?.sources).toEqual([{ index: 'deck', deckIds: ['hist', 'army'] }]);
		expect(plan('deck:nothing')?.sources).toEqual([{ index: 'deck', deckIds: [] }]);
	});

	it('reads tag: from the notes *tags index, with child tags', () => {
		expect(plan('tag:verbs')?.sources).toEqual([
			{ index: 'tag', equals: ['verbs'], prefixes: ['verbs::'] }
		]);
		expect(plan('tag:ver*')?.sources).toEqual([{ index: 'tag', equals: [], prefixes: ['ver'] }]);
		expect(plan('is:leech')?.sources).toEqual([{ index: 'tag', equals: ['leech'], prefixes: [] }]);
	});

	it('reads is:due as three ranges of [deckId+queue+due]', () => {
		expect(plan('is:due')?.sources).toEqual([
			{
				index: 'queue',
				ranges: [
					{ queue: Queue.Learning, from: -Infinity, to: NOW + 1 },
					{ queue: Queue.Relearning, from: -Infinity, to: NOW + 1 },
					{ queue: Queue.Review, from: -Infinity, to: TOMORROW_START }
				]
			}
		]);
	});

	it('reads held and new cards from their queues (state filters follow)', () => {
		expect(plan('is:suspended')?.sources).toEqual([
			{ index: 'queue', ranges: [{ queue: Queue.Suspended, ...ALL }] }
		]);
		expect(plan('is:new')?.sources).toEqual([
			{
				index: 'queue',
				ranges: [Queue.New, Queue.Suspended, Queue.Buried].map((queue) => ({ queue, ...ALL }))
			}
		]);
	});

	it('reads rated: from the review log by time', () => {
		expect(plan('rated:1')?.sources).toEqual([{ index: 'rated', from: TODAY_START }]);
		expect(plan('rated:2:1')?.sources).toEqual([
			{ index: 'rated', from: TODAY_START - 86_400_000, rating: 1 }
		]);
	});

	it('picks the cheapest source of an AND, and narrows a queue to the decks', () => {
		expect(plan('deck:French word tag:x')?.sources[0]?.index).toBe('tag');
		expect(plan('rated:1 tag:x')?.sources[0]?.index).toBe('rated');
		expect(plan('deck:History is:due -tag:x')?.sources).toEqual([
			{
				index: 'queue',
				deckIds: ['hist', 'army'],
				ranges: [
					{ queue: Queue.Learning, from: -Infinity, to: NOW + 1 },
					{ queue: Queue.Relearning, from: -Infinity, to: NOW + 1 },
					{ queue: Queue.Review, from: -Infinity, to: TOMORROW_START }
				]
			}
		]);
	});

	it('unions the sources of an OR only when every branch has one', () => {
		expect(plan('tag:a OR deck:French')?.sources).toEqual([
			{ index: 'tag', equals: ['a'], prefixes: ['a::'] },
			{ index: 'deck', deckIds: ['fr'] }
		]);
		expect(plan('tag:a OR word')).toBeNull();
		expect(plan('(tag:a OR word) deck:French')?.sources).toEqual([
			{ index: 'deck', deckIds: ['fr'] }
		]);
	});
});
