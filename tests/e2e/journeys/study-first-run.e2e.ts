/**
 * A new user's first session: the deck list, a built-in deck, the answer shown by the button and
 * by a tap on the blank space below the card, a grade, an undo, and a reload that keeps it all.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { deckListCounts, openDeckFromList, revlogCount, studyNumbers } from './study-helpers';

describe('first run: study a built-in deck', () => {
	it('shows the answer by button and by a tap on blank card space, grades, undoes, keeps it on reload', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		const start = await studyNumbers(page);
		expect(start.new).toBeGreaterThan(1);
		expect(start).toMatchObject({ learning: 0, review: 0 });
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);

		// The button shows the answer.
		const firstFront = await page.locator('.study .front').textContent();
		await page.getByRole('button', { name: 'Show answer' }).click();
		const good = page.getByRole('button', { name: /^Good/ });
		await good.waitFor();
		expect(await page.locator('.study .back').count()).toBe(1);
		await good.click();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		expect(await page.locator('.study .front').textContent()).not.toBe(firstFront);
		// Good on a new card: into learning (its first step), one new card fewer.
		const afterOne = { new: start.new - 1, learning: 1, review: 0 };
		await expect.poll(() => studyNumbers(page)).toEqual(afterOne);
		await expect.poll(() => revlogCount(page)).toBe(1);

		// A tap on the blank space below the (short) card shows the answer too, as in AnkiDroid.
		const card = (await page.locator('.study .card').boundingBox())!;
		const bar = (await page.locator('.study .bar').boundingBox())!;
		const blankY = card.y + card.height + 40;
		expect(blankY, 'there is blank space between the card and the buttons').toBeLessThan(bar.y);
		expect(await page.locator('.study .back').count()).toBe(0);
		await page.touchscreen.tap(card.x + card.width / 2, blankY);
		await good.waitFor();
		expect(await page.locator('.study .back').count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		// Grade it, then take it back: the same card is on screen again, counts as before.
		const secondFront = await page.locator('.study .front').textContent();
		await page.getByRole('button', { name: /^Again/ }).click();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		await expect.poll(() => revlogCount(page)).toBe(2);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Undone.');
		await expect.poll(() => revlogCount(page)).toBe(1);
		await expect.poll(() => studyNumbers(page)).toEqual(afterOne);
		expect(await page.locator('.study .front').textContent()).toBe(secondFront);

		// A reload keeps the one answer that stands.
		await page.reload();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		await expect.poll(() => studyNumbers(page)).toEqual(afterOne);
		expect(await revlogCount(page)).toBe(1);
		await page.goto('/');
		await expect
			.poll(() => deckListCounts(page))
			.toMatch(new RegExp(`^${afterOne.new} new 1 learning 0 due`));
		await j.finish();
	});
});
