/**
 * Studying a search (/browse/study?q=…, Browse's "Study these"): the counts put the new cards it
 * found under new, not under due, and the "Studying …" header wraps, whole, at 360×740.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import {
	DECK,
	DECK_TITLE,
	revlogCount,
	storedRows,
	studyNumbers,
	type StoredCard
} from './study-helpers';

const QUERY = `deck:"${DECK_TITLE}" is:new`;

describe('studying a search on a phone', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`counts the new cards found as new and shows the whole search in the header (${colorScheme})`, async () => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto(`/browse/study?q=${encodeURIComponent(QUERY)}`);
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });
			const cards = await storedRows<StoredCard>(page, 'cards');
			const fresh = cards.filter((c) => c.deckId === DECK && c.queue === 0).length;
			expect(fresh).toBeGreaterThan(0);
			// At most 100 cards, as an Anki filtered deck takes.
			const found = Math.min(fresh, 100);
			await expect.poll(() => studyNumbers(page)).toEqual({ new: found, learning: 0, review: 0 });

			// The header: the whole search, inside the screen, below the back link, not cut.
			const h1 = page.getByRole('heading', { level: 1 });
			expect((await h1.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`Studying ${QUERY}`);
			const box = (await h1.boundingBox())!;
			const back = (await page.getByRole('link', { name: '‹ Search' }).boundingBox())!;
			expect(box.y).toBeGreaterThanOrEqual(0);
			expect(box.y).toBeGreaterThanOrEqual(back.y + back.height - 1);
			expect(box.x).toBeGreaterThanOrEqual(0);
			expect(box.x + box.width).toBeLessThanOrEqual(360);
			const clipped = await h1.evaluate(
				(el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1
			);
			expect(clipped, 'the header is cut').toBe(false);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);

			// Good on a found new card: one new fewer, one in learning.
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).click();
			await expect.poll(() => revlogCount(page)).toBe(1);
			await expect
				.poll(() => studyNumbers(page))
				.toEqual({ new: found - 1, learning: 1, review: 0 });
			await j.finish();
		});
	}
});
