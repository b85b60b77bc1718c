import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardState, Queue } from '$lib/core/model';
import { makeCard } from '$lib/core/scheduling/test-factories';
import { NOW, TZ, knownLog } from '$lib/core/stats/test-factories';
import type { RecallDb } from '$lib/storage/db';
import { ensureDefaultPreset } from '$lib/storage/presets';
import { dropDb, freshDb } from '$lib/storage/testing';
import { runInThread, runInWorker } from '$lib/workers/stats-client';
import { StatsState } from './stats.svelte';

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	await ensureDefaultPreset(db);
	const deck = { description: '', origin: 'user' as const, version: 0, presetId: 'default' };
	await db.decks.bulkAdd([
		{ ...deck, id: 'deck', title: 'Zoology', createdAt: 0 },
		{ ...deck, id: 'other', title: 'Art', createdAt: 0 }
	]);
	await db.revlog.bulkAdd(knownLog());
	const review = { queue: Queue.Review, state: CardState.Review, stability: 9, difficulty: 4 };
	await db.cards.bulkAdd([
		makeCard({ deckId: 'deck' }),
		makeCard({ deckId: 'deck', ...review, scheduledDays: 9, due: NOW, lastReview: NOW - 9e7 }),
		makeCard({ deckId: 'other', ...review, scheduledDays: 30, due: NOW, lastReview: NOW - 9e7 })
	]);
});
afterEach(async () => {
	await dropDb(db);
});

const state = (run = runInWorker) =>
	new StatsState(
		() => db,
		() => NOW,
		TZ,
		run
	);

describe('the statistics state', () => {
	it('gets the same numbers from the worker as on the page’s own thread', async () => {
		const inWorker = state(runInWorker);
		const inThread = state(runInThread);
		await inWorker.load();
		await inThread.load();
		expect(inWorker.cards).toEqual(inThread.cards);
		expect(inWorker.reviews).toEqual(inThread.reviews);
		expect(inWorker.reviews!.retention.at(-1)!.total.rate).toBe(5 / 8);
		expect(inWorker.cards!.counts).toMatchObject({ new: 1, young: 1, mature: 1, total: 3 });
		expect(inWorker.loading).toBe(false);
		expect(inWorker.decks.map((d) => d.title)).toEqual(['Art', 'Zoology']);
	});

	it('shows the deck chosen last when a choice comes in while another loads', async () => {
		const stats = state();
		const first = stats.load(null);
		await stats.load('other');
		await first;
		expect(stats.deckId).toBe('other');
		expect(stats.deckTitle).toBe('Art');
		expect(stats.cards!.counts.total).toBe(1);
		expect(stats.reviews!.heatmap.total).toBe(0);
	});

	it('says in words when the statistics cannot be read', async () => {
		const stats = state(() => ({ done: Promise.reject(new Error('disk on fire')), cancel() {} }));
		await stats.load();
		expect(stats.error).toBe('The statistics could not be read: disk on fire');
		expect(stats.loading).toBe(false);
	});
});
