import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecallDb } from '$lib/storage/db';
import { savePreset } from '$lib/storage/presets';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { dropDb, freshDb } from '$lib/storage/testing';
import { SettingsState } from './settings.svelte';

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

const deck = (id: string, title: string, presetId = 'default') => ({
	id,
	title,
	description: '',
	origin: 'user' as const,
	version: 0,
	presetId,
	createdAt: 0
});

describe('the settings state', () => {
	it('loads the default preset on a fresh profile, with no decks', async () => {
		const settings = new SettingsState(() => db);
		expect(await settings.load()).toBe(true);
		expect(settings.loaded).toBe(true);
		expect(settings.loadError).toBe('');
		expect(settings.presets.map((p) => p.name)).toEqual(['Default']);
		expect(settings.selected?.id).toBe('default');
		expect(settings.decks).toEqual([]);
	});

	it('lists the decks by title (there is no title index) and the presets default first', async () => {
		await savePreset(db, createDefaultPreset({ id: 'exam', name: 'Exam' }));
		await db.decks.bulkAdd([
			deck('z', 'zoology'),
			deck('a', 'Art', 'exam'),
			deck('m', 'Maths 10'),
			deck('n', 'Maths 9')
		]);
		const settings = new SettingsState(() => db);
		await settings.load();
		expect(settings.decks.map((d) => d.title)).toEqual(['Art', 'Maths 9', 'Maths 10', 'zoology']);
		expect(settings.presets.map((p) => p.id)).toEqual(['default', 'exam']);
	});

	it('says in words when the store cannot be read, instead of leaving the section out', async () => {
		vi.spyOn(db.decks, 'toArray').mockRejectedValueOnce(new Error('the disk is unreadable'));
		const settings = new SettingsState(() => db);
		expect(await settings.load()).toBe(false);
		expect(settings.loaded).toBe(false);
		expect(settings.loadError).toBe(
			"The presets could not be read from this device's storage (the disk is unreadable). Reload the page to try again; if it keeps failing, run Check database below."
		);
		// The next load that works clears it.
		expect(await settings.load()).toBe(true);
		expect(settings.loadError).toBe('');
	});
});
