/**
 * Optimize on a phone, on real history: the shared corpus's review log (12,580 reviews of 1,205
 * cards). The import page does not read review-log CSVs (they are an export format), so there is
 * no user path for that file as it is; the journey turns it, here in Node and with the app's own
 * scheduler, into the file a user does have — a Recall backup of a collection studied that way —
 * and restores it through Settings like a user. Then: Optimize, Apply, and the parameters shown
 * on the page change and are the ones stored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card, Grade, Note, RevlogEntry } from '../../../src/lib/core/model';
import { JOSH_CSV_FROM_REPO } from '../../../src/lib/core/optimizer/corpus';
import { parseRevlogCsv } from '../../../src/lib/core/optimizer/revlog-csv';
import { newCard } from '../../../src/lib/core/scheduling/card-actions';
import { createDefaultPreset, DEFAULT_PRESET } from '../../../src/lib/core/scheduling/preset';
import { gradeCard } from '../../../src/lib/core/scheduling/scheduler';
import { startJourney } from '../journey';
import { expectFitsScreen, storedPreset, storeRows } from './settings-helpers';

const corpus = join(process.cwd(), JOSH_CSV_FROM_REPO);
const hasCorpus = existsSync(corpus);
if (!hasCorpus)
	console.warn(`Skipping the Optimize journey: the shared corpus is absent (${corpus}).`);

/** The corpus's history as a Recall backup: one deck, a basic note per card, replayed cards. */
function corpusBackup(): { json: string; reviews: number; cards: number } {
	const rows = parseRevlogCsv(readFileSync(corpus, 'utf8'))
		.filter((r) => r.rating >= 1 && r.rating <= 4)
		.sort((a, b) => a.reviewedAt - b.reviewedAt);
	const preset = createDefaultPreset();
	const deckId = 'josh';
	const start = rows[0]!.reviewedAt;
	const notes = new Map<string, Note>();
	const cards = new Map<string, Card>();
	const revlog: RevlogEntry[] = [];
	for (const row of rows) {
		let card = cards.get(row.cardId);
		if (!card) {
			const position = notes.size;
			const note: Note = {
				id: `${deckId}/${row.cardId}`,
				deckId,
				guid: `josh-${row.cardId}`,
				type: 'basic',
				fields: { front: `Card ${position + 1}`, back: `Answer ${position + 1}` },
				tags: [],
				position,
				mtime: row.reviewedAt
			};
			notes.set(row.cardId, note);
			card = newCard({ id: `${note.id}/0`, noteId: note.id, deckId, ord: 0, position });
		}
		const result = gradeCard(card, row.rating as Grade, preset, row.reviewedAt, {
			durationMs: row.durationMs,
			timeZone: 'UTC'
		});
		cards.set(row.cardId, result.card);
		revlog.push(result.log);
	}
	const backup = {
		format: 'recall-backup',
		version: 1,
		exportedAt: rows.at(-1)!.reviewedAt,
		decks: [
			{
				id: deckId,
				title: 'Josh’s vocabulary',
				description: 'Real review history (py-fsrs test data).',
				origin: 'user',
				version: 0,
				presetId: DEFAULT_PRESET.id,
				createdAt: start
			}
		],
		notes: [...notes.values()],
		cards: [...cards.values()],
		revlog,
		presets: [preset],
		models: [],
		meta: [],
		media: []
	};
	return { json: JSON.stringify(backup), reviews: revlog.length, cards: cards.size };
}

describe.skipIf(!hasCorpus)('Settings: Optimize on the shared corpus', () => {
	it('restores the history, optimizes, applies, and shows and stores the new parameters', async () => {
		const { json, reviews, cards } = corpusBackup();
		expect(reviews).toBe(12_580);
		const file = join(await mkdtemp(join(tmpdir(), 'recall-optimize-')), 'josh-backup.json');
		await writeFile(file, json);

		const j = await startJourney();
		const { page } = j;
		await page.goto('/settings');
		await page.getByLabel('Restore from backup').setInputFiles(file);
		await page.getByRole('button', { name: 'Replace everything' }).click();
		await expect
			.poll(() => page.locator('#backup [role="status"]').textContent(), { timeout: 60_000 })
			.toContain(`${cards.toLocaleString('en').replace(',', '')} cards, ${reviews} reviews`);
		expect(await storeRows(page, 'revlog')).toHaveLength(reviews);

		// The page as a user comes back to it: the default parameters, then Optimize.
		await page.reload();
		const shown = page.locator('[data-parameters]');
		await shown.waitFor({ timeout: 15_000 });
		const before = (await shown.textContent())?.trim() ?? '';
		expect(before.split(', ')).toHaveLength(21);
		expect(await page.locator('[data-parameters-kind]').getAttribute('data-parameters-kind')).toBe(
			'default'
		);
		await page.getByRole('button', { name: 'Optimize' }).click();
		const apply = page.getByRole('button', { name: 'Apply new parameters' });
		await apply.waitFor({ timeout: 240_000 });
		const evaluation = page.getByRole('table', {
			name: 'How well each set of parameters predicts your reviews (lower is better)'
		});
		expect(await evaluation.getByRole('row').count()).toBe(3);
		expect(await page.locator('.basis').textContent()).toMatch(
			/Trained on 12,580 reviews of 1,205 cards/
		);
		await expectFitsScreen(page);
		await apply.click();
		await expect
			.poll(() =>
				page.getByRole('status').filter({ hasText: 'New FSRS-6 parameters saved.' }).count()
			)
			.toBe(1);
		await expect.poll(() => shown.textContent()).not.toBe(before);
		expect(await page.locator('[data-parameters-kind]').getAttribute('data-parameters-kind')).toBe(
			'optimized'
		);
		// One offer to reschedule, next to the button the user pressed.
		expect(await page.getByRole('button', { name: 'Reschedule cards' }).count()).toBe(1);
		await page.getByRole('button', { name: 'Not now' }).click();

		const stored = await storedPreset(page);
		const after = (await shown.textContent())?.trim() ?? '';
		expect(stored!.weights.map((w) => w.toFixed(4)).join(', ')).toBe(after);
		expect(stored!.weights.join()).not.toBe(DEFAULT_PRESET.weights.join());
		// Kept across a reload.
		await page.reload();
		await expect.poll(() => page.locator('[data-parameters]').textContent()).toBe(after);
		await j.finish();
	}, 400_000);
});
