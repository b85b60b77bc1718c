/**
 * A revealed cloze: the answer stands out from the sentence around it (bold, its own colour and
 * a highlight, as Anki's `.cloze` and more), the rest of the sentence is not bold, in light and
 * dark; the question side shows the blank and not the answer.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { startJourney } from '../journey';

/** Cloze notes: the only ones with a non-empty "text" field. */
const CLOZES = '/browse/study?q=' + encodeURIComponent('text:_*');

interface Look {
	weight: number;
	color: string;
	background: string;
}

describe('a revealed cloze', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`marks the answer apart from the sentence (${colorScheme})`, async () => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto(CLOZES);
			await page.getByRole('button', { name: 'Show answer' }).waitFor({ timeout: 20_000 });

			// The question: the blank, marked the same way, and no answer yet.
			expect(await page.locator('.study .front .cloze').first().textContent()).toMatch(/^\[.*\]$/);
			expect(await page.locator('.study .back').count()).toBe(0);

			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).waitFor();
			const answer = page.locator('.study .back .cloze').first();
			expect((await answer.textContent())?.trim()).not.toMatch(/^\[/);
			const looks = await answer.evaluate((el) => {
				const look = (e: Element) => {
					const s = getComputedStyle(e);
					return { weight: Number(s.fontWeight), color: s.color, background: s.backgroundColor };
				};
				// The sentence around the answer: the answer's block (a paragraph of the back).
				const block = el.closest('p, div')!;
				const card = el.closest('.card')!;
				return { answer: look(el), sentence: look(block), card: look(card) };
			});
			const { answer: a, sentence, card } = looks as Record<string, Look>;
			expect(a!.weight).toBeGreaterThanOrEqual(700);
			expect(sentence!.weight, 'the rest of the sentence is not bold').toBeLessThan(600);
			expect(a!.color).not.toBe(sentence!.color);
			expect(a!.background).not.toBe('rgba(0, 0, 0, 0)');
			expect(a!.background).not.toBe(card!.background);
			// Colour contrast of the highlight is checked by axe, in both schemes.
			expect(await axeViolations(page)).toEqual([]);
			await j.finish();
		});
	}
});
