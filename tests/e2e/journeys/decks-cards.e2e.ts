/**
 * Journeys through the built-in decks' cards as a learner meets them on a phone (issue 14,
 * items 21 and 22): a basic card's `extra` appears on the answer side only, below the answer,
 * and a reversed note's back → front card asks its own question ("Who was Ramón Mercader?")
 * instead of showing a bare name.
 *
 * Both study a search (/browse/study?q=…) that finds one note, so the card under test comes up
 * first whatever the deck order. The reverse card is the second card of its note: answering
 * the first buries it until the next study day (when the app buries siblings), so the journey
 * comes back two days later, as a learner would, by moving the browser's clock.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';

const DAY = 24 * 60 * 60 * 1000;

/**
 * What the person sees of the study screen, as one string, less the heading: it repeats the
 * search they typed ("Studying …"), which is not the card.
 */
async function screenText(page: Page): Promise<string> {
	const heading = await page.locator('main h1').first().innerText();
	return (await page.locator('main').innerText()).replace(heading, '').replace(/\s+/g, ' ');
}

async function studySearch(page: Page, query: string): Promise<void> {
	await page.goto(`/browse/study?q=${encodeURIComponent(query)}`);
	await page.getByRole('button', { name: 'Show answer' }).waitFor();
}

describe('the built-in decks on a phone', () => {
	it('show a basic card’s extra on the answer side only, below the answer', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		// "Lenin in hiding": answer "Hiding from the secret police", extra "In a haystack…".
		await studySearch(page, '"Hiding from the secret police"');

		const question = await screenText(page);
		expect(question).toContain('In 1917, while Trotsky was on the ground in Petrograd');
		expect(question).not.toContain('Hiding from the secret police');
		expect(question).not.toContain('haystack');
		await expectNoHorizontalOverflow(page);

		await page.getByRole('button', { name: 'Show answer' }).click();
		const answer = page.getByText('Hiding from the secret police', { exact: true });
		const extra = page.getByText('In a haystack, or wearing a wig, says the article.', {
			exact: true
		});
		await extra.waitFor();
		expect(await answer.isVisible()).toBe(true);
		const [a, e] = [(await answer.boundingBox())!, (await extra.boundingBox())!];
		expect(e.y, 'the extra is below the answer').toBeGreaterThanOrEqual(a.y + a.height);
		// The extra is context, set apart from the answer: not bold like it.
		const weight = (loc: typeof answer) =>
			loc.evaluate((el) => Number(getComputedStyle(el).fontWeight));
		expect(await weight(extra)).toBeLessThan(await weight(answer));
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();
	});

	it('ask a reversed note’s back → front card with its prompt, not a bare name', async () => {
		const j = await startJourney();
		const { page, context } = j;
		const start = Date.now();
		await context.clock.install({ time: start });
		await page.goto('/');
		await waitForDeckCounts(page);
		// The text of the note's reverse prompt finds that one note (Mercader, a reversed note);
		// `is:new` leaves out its first card once answered (a search studies cards not yet due).
		const search = '"Who was Ramón Mercader?" is:new';
		await studySearch(page, search);

		// Front → back first: the description asks for the name.
		const forward = await screenText(page);
		expect(forward).toContain("Assassin selected by Sudoplatov's team");
		expect(forward).not.toContain('Ramón Mercader');
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByText('Ramón Mercader', { exact: true }).waitFor();
		await page.getByRole('button', { name: /^Easy/ }).click();

		// Back → front: today if the app leaves siblings alone, else after the day it is buried.
		const cue = page.getByText('Who was Ramón Mercader?', { exact: true });
		const showAnswer = page.getByRole('button', { name: 'Show answer' });
		const finished = page.getByText(/You answered 1 of/);
		await expect
			.poll(async () => (await cue.isVisible()) || (await finished.isVisible()))
			.toBe(true);
		if (!(await cue.isVisible())) {
			await context.clock.setSystemTime(start + 2 * DAY);
			await page.goto('/'); // the deck list unburies what was buried until today
			await waitForDeckCounts(page);
			await studySearch(page, search);
		}
		await cue.waitFor();
		await showAnswer.waitFor();
		const reverse = await screenText(page);
		expect(reverse).toContain('Who was Ramón Mercader?');
		expect(reverse, 'the question side shows no answer').not.toContain('Assassin selected');
		expect(reverse).not.toContain('The essay spells it');
		await expectNoHorizontalOverflow(page);

		await showAnswer.click();
		await page.getByText(/^Assassin selected by Sudoplatov's team to kill Trotsky$/).waitFor();
		await page.getByText('The essay spells it "Ramon Mercader".', { exact: true }).waitFor();
		expect(await screenText(page)).toContain('Who was Ramón Mercader?');
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();
	});
});
