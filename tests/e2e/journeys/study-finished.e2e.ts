/**
 * The end of a session: with a small daily limit the deck runs out, the finished screen offers
 * no Undo / Card info / More (there is no card to act on), and "Study more" opens a custom study
 * of the deck that really studies; a deck that is not on the device says so, without them either.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import {
	DECK_TITLE,
	openDeckFromList,
	revlogCount,
	setNewPerDay,
	studyNumbers
} from './study-helpers';

const CARD_ACTIONS = ['Undo', 'Card info', 'Bury until tomorrow', 'Suspend card'];

describe('the finished screen and a missing deck', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`finishes a day's new cards, hides the card actions, and studies more from there (${colorScheme})`, async () => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await openDeckFromList(page);
			await setNewPerDay(page, 2);
			await page.reload();
			await page.getByRole('button', { name: 'Show answer' }).waitFor();
			await expect.poll(() => studyNumbers(page)).toEqual({ new: 2, learning: 0, review: 0 });

			// Easy sends a new card straight to review (days away): two of them end the day.
			for (let i = 0; i < 2; i++) {
				await page.getByRole('button', { name: 'Show answer' }).click();
				await page.getByRole('button', { name: /^Easy/ }).click();
			}
			await page.getByRole('heading', { name: 'Nothing is due right now' }).waitFor();
			await expect.poll(() => revlogCount(page)).toBe(2);
			expect((await page.locator('.finished').innerText()).replace(/\s+/g, ' ')).toMatch(
				/This session: 2 cards in under a minute, 0% again\./
			);
			for (const name of CARD_ACTIONS) {
				expect(await page.getByRole('button', { name }).count(), name).toBe(0);
			}
			expect(await page.getByText('More', { exact: true }).count()).toBe(0);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);

			// Study more: new cards past today's limit, as a custom study of this deck.
			await page.getByRole('heading', { name: 'Study more' }).waitFor();
			await page.getByRole('link', { name: 'New cards beyond today’s limit' }).click();
			await page.waitForURL(/\/browse\/study\?q=/);
			expect(decodeURIComponent(new URL(page.url()).search)).toContain(
				`deck:"${DECK_TITLE}" is:new`
			);
			await page.getByRole('button', { name: 'Show answer' }).waitFor();
			const more = await studyNumbers(page);
			expect(more.new).toBeGreaterThan(2);
			expect(more).toMatchObject({ learning: 0, review: 0 });
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Easy/ }).click();
			await expect.poll(() => revlogCount(page)).toBe(3);
			await expect.poll(async () => (await studyNumbers(page)).new).toBeLessThan(more.new);
			await j.finish();
		});
	}

	it('says a deck is not on this device, with the way back and no card actions', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/study/no-such-deck');
		await page.getByText('This deck does not exist on this device.').waitFor({ timeout: 15_000 });
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deck not found');
		for (const name of [...CARD_ACTIONS, 'Show answer']) {
			expect(await page.getByRole('button', { name }).count(), name).toBe(0);
		}
		expect(await page.getByText('More', { exact: true }).count()).toBe(0);
		expect(await page.locator('.study .counts').count()).toBe(0);
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('link', { name: 'Back to your decks' }).click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.getByRole('link', { name: `Study ${DECK_TITLE}` }).waitFor();
		await j.finish();
	});
});
