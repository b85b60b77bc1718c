/**
 * One source of truth for what is due: with 5 reviews left for the day and 20 new cards, the
 * deck list and the study screen both say 5 new (Anki v3: new cards count against the review
 * limit too). Before, the deck list said "20 new" and the session then showed 5.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';
import {
	DECK_TITLE,
	deckListCounts,
	putRows,
	storedRows,
	studyCounts,
	studyNumbers
} from './study-helpers';

describe('the deck list and the study screen agree', () => {
	it.each(['light', 'dark'] as const)(
		'5 reviews left and 20 new cards: 5 new on both (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/');
			await waitForDeckCounts(page);
			expect(await deckListCounts(page)).toBe('20 new 0 learning 0 due');

			// The day's review limit down to 5 (Settings is another journey's).
			const presets = await storedRows<{ id: string }>(page, 'presets');
			const preset = presets.find((p) => p.id === 'default');
			expect(preset, 'the default preset is stored').toBeDefined();
			await putRows(page, 'presets', [{ ...preset, reviewsPerDay: 5, newPerDay: 20 }]);

			await page.reload();
			await waitForDeckCounts(page);
			await expect.poll(() => deckListCounts(page)).toBe('5 new 0 learning 0 due');
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);

			await page.getByRole('link', { name: `Study ${DECK_TITLE}` }).click();
			await page.waitForURL(/\/study\//);
			await page.getByRole('button', { name: 'Show answer' }).waitFor();
			expect(await studyCounts(page)).toBe('5 new, 0 learning, 0 to review');
			expect(await studyNumbers(page)).toEqual({ new: 5, learning: 0, review: 0 });
			await page.screenshot({ path: `/tmp/house-counts-study-${colorScheme}.png` });

			// Back on the list: the same numbers as the screen just showed.
			await page.getByRole('link', { name: '‹ Decks' }).click();
			await waitForDeckCounts(page);
			await expect.poll(() => deckListCounts(page)).toBe('5 new 0 learning 0 due');
			await page.screenshot({ path: `/tmp/house-counts-list-${colorScheme}.png` });
			await j.finish();
		}
	);
});
