import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefaultPreset } from '../core/scheduling/preset';
import { gradeCard } from '../core/scheduling/scheduler';
import { deckNote, recallDeck } from '../core/testing/factories';
import { syncBuiltinDeck } from './builtin-decks';
import type { RecallDb } from './db';
import { deletePreset, getPreset, listPresets, PresetError, savePreset } from './presets';
import { setDeckPreset } from './deck-repo';
import { rescheduleCards } from './reschedule-repo';
import { saveGrade } from './review-repo';
import { dropDb, freshDb } from './testing';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 12);

let db: RecallDb;
beforeEach(async () => {
	db = freshDb();
	await syncBuiltinDeck(
		db,
		recallDeck({ id: 'deck', notes: [deckNote({ id: 'a' }), deckNote({ id: 'b' })] }),
		T0
	);
});
afterEach(async () => {
	await dropDb(db);
});

describe('presets', () => {
	it('refuses an invalid preset with every problem in words, and saves a valid one', async () => {
		const bad = createDefaultPreset({ id: 'p', name: '', desiredRetention: 0.5 });
		await expect(savePreset(db, bad)).rejects.toThrow(PresetError);
		await expect(savePreset(db, bad)).rejects.toThrow(/Name must not be empty.*Desired retention/);
		expect(await db.presets.get('p')).toBeUndefined();
		await savePreset(db, { ...bad, name: 'Exam', desiredRetention: 0.95 });
		expect((await listPresets(db)).map((p) => p.name)).toEqual(['Default', 'Exam']);
	});

	it('moves a deck to another preset, and back to Default when that preset is deleted', async () => {
		await savePreset(db, createDefaultPreset({ id: 'exam', name: 'Exam' }));
		await setDeckPreset(db, 'deck', 'exam');
		expect((await db.decks.get('deck'))?.presetId).toBe('exam');
		await deletePreset(db, 'exam');
		expect((await db.decks.get('deck'))?.presetId).toBe('default');
		await expect(deletePreset(db, 'default')).rejects.toThrow('cannot be deleted');
		await expect(setDeckPreset(db, 'deck', 'gone')).rejects.toThrow('no longer exists');
	});
});

describe('rescheduling after a preset change', () => {
	it('replays each studied card with the new settings; unstudied cards stay new', async () => {
		const preset = await getPreset(db, 'default');
		let card = (await db.cards.get('deck/a/0'))!;
		for (const [i, rating] of ([3, 3, 3, 3] as const).entries()) {
			const r = gradeCard(card, rating, preset, T0 + i * 5 * DAY, { timeZone: 'UTC' });
			await saveGrade(db, card, r.card, r.log, null);
			card = r.card;
		}
		const lower = { ...preset, desiredRetention: 0.8, fuzz: false };
		await savePreset(db, lower);
		const progress: number[] = [];
		const n = await rescheduleCards(db, lower, 'UTC', T0 + 30 * DAY, (done) => progress.push(done));
		expect(n).toBe(1);
		expect(progress).toEqual([1]);
		const after = (await db.cards.get('deck/a/0'))!;
		// Lower desired retention → longer intervals from the same history.
		expect(after.scheduledDays).toBeGreaterThan(card.scheduledDays);
		expect(after.stability).toBeCloseTo(card.stability, 6);
		expect(await db.cards.get('deck/b/0')).toMatchObject({ state: 0, reps: 0 });
		expect(await db.revlog.count()).toBe(4);
		// The time of the reschedule is kept on the preset (it syncs: other devices follow it).
		expect((await getPreset(db, 'default')).rescheduledAt).toBe(T0 + 30 * DAY);
	});
});
