import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sortRows, type BrowseRow } from '$lib/core/search';
import { addDeck, bulkCollection } from '$lib/storage/browse-testing';
import { dropBrowseCache } from '$lib/storage/browse-cache';
import { searchCards } from '$lib/storage/browse-repo';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import { parseSearch } from '$lib/core/search';
import { BrowseState } from './browse.svelte';

const NOW = Date.UTC(2026, 10, 23, 12);

let db: RecallDb;

beforeEach(async () => {
	db = freshDb();
	const deck = await addDeck(db, 'French', NOW);
	await bulkCollection(db, deck.id, 6000, NOW);
});

afterEach(async () => {
	dropBrowseCache(db);
	await dropDb(db);
});

function browser(windowFrom?: number) {
	return new BrowseState(
		() => db,
		() => NOW,
		'UTC',
		windowFrom === undefined ? {} : { windowFrom }
	);
}

const rowsOf = (browse: BrowseState): (BrowseRow | undefined)[] =>
	Array.from({ length: browse.count }, (_, i) => browse.rowAt(i));

async function expected(text: string, column: 'due' | 'front' = 'due') {
	const { rows } = await searchCards(db, parseSearch(text), { now: NOW, timeZone: 'UTC' });
	return sortRows(rows, { column, descending: false });
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BrowseState', () => {
	it('never lets an older search overwrite a newer one', async () => {
		const browse = browser();
		// The slow one reads every note; the quick one, started while it runs, one tag.
		const slow = browse.search('question');
		await tick();
		const quick = browse.search('tag:rare');
		await Promise.all([slow, quick]);
		expect(browse.searched).toBe('tag:rare');
		expect(browse.status).toBe('ready');
		expect(rowsOf(browse)).toEqual(await expected('tag:rare'));
		// Nothing of the older search arrives later either.
		for (let i = 0; i < 20; i++) await tick();
		expect(browse.count).toBe(120);
		expect(browse.found).toBe(120);
	});

	it('keeps the newest of several searches typed one after another', async () => {
		const browse = browser();
		const typed = ['q', 'qu', 'que', 'ques', 'topic 4'];
		const runs = typed.map((text) => browse.search(text));
		await Promise.all(runs);
		expect(browse.searched).toBe('topic 4');
		expect(rowsOf(browse)).toEqual(await expected('topic 4'));
	});

	it('shows rows found so far while a search over everything runs', async () => {
		const browse = browser();
		const run = browse.search('question');
		const partial: number[] = [];
		while (browse.status !== 'ready') {
			if (browse.status === 'searching' && browse.count > 0) partial.push(browse.count);
			await tick();
		}
		await run;
		expect(partial.length).toBeGreaterThan(0);
		expect(Math.min(...partial)).toBeLessThan(6000);
		expect(browse.count).toBe(6000);
		expect(rowsOf(browse)).toEqual(await expected('question'));
	});

	it('opens the empty search as a window, reads rows as they come on screen, and selects all', async () => {
		const browse = browser(1000);
		await browse.search('');
		const all = await expected('');
		expect(browse.count).toBe(6000);
		expect(browse.rowAt(0)).toEqual(all[0]);
		// Only the first screen was read.
		expect(browse.rowAt(4000)).toBeUndefined();
		browse.showRange(4000, 4020);
		for (let i = 0; i < 200 && !browse.rowAt(4019); i++) await tick();
		expect(browse.rowAt(4000)).toEqual(all[4000]);
		expect(browse.rowAt(4019)).toEqual(all[4019]);
		browse.selectAll(true);
		for (let i = 0; i < 200 && browse.selected.size < 6000; i++) await tick();
		expect(browse.selected.size).toBe(6000);
		browse.selectAll(false);
		browse.toggle(10);
		browse.toggle(20, true);
		expect(browse.selectedIds).toEqual(all.slice(10, 21).map((r) => r.cardId));
	});

	it('sorts by a column no index keeps by reading everything, in steps', async () => {
		const browse = browser(1000);
		await browse.search('');
		browse.sortBy('front');
		await tick();
		expect(browse.status).not.toBe('ready');
		for (let i = 0; i < 2000 && browse.status !== 'ready'; i++) await tick();
		expect(browse.status).toBe('ready');
		expect(rowsOf(browse)).toEqual(await expected('', 'front'));
		// And back to due: a window again.
		browse.sortBy('due');
		for (let i = 0; i < 2000 && browse.status !== 'ready'; i++) await tick();
		for (let i = 0; i < 100 && !browse.rowAt(0); i++) await tick();
		expect(browse.rowAt(0)).toEqual((await expected(''))[0]);
	});
});
