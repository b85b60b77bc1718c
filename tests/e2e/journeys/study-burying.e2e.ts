/**
 * Siblings: answering a card buries its note's other cards until tomorrow (so one does not give
 * the other away). The deck list then says how many are buried, next to the counts, so counts
 * that drop by more than the cards studied are explained; the counts agree with the study screen.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';
import {
	buriedCount,
	DECK_TITLE,
	deckListCounts,
	openDeckFromList,
	revlogCount,
	storedRows,
	studyNumbers,
	type StoredCard
} from './study-helpers';

describe('burying siblings', () => {
	it.each(['light', 'dark'] as const)(
		'says on the deck list how many cards are buried until tomorrow (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/');
			await waitForDeckCounts(page);
			expect(await deckListCounts(page)).toMatch(/^\d+ new 0 learning 0 due$/);
			await openDeckFromList(page);

			// Study until an answer has buried a sibling (a reversed note's other side, a cloze's
			// other deletions); Easy sends each card days away, so none comes back today.
			let answered = 0;
			while ((await buriedCount(page)) === 0 && answered < 25) {
				await page.getByRole('button', { name: 'Show answer' }).click();
				await page.getByRole('button', { name: /^Easy/ }).click();
				answered++;
				await expect.poll(() => revlogCount(page)).toBe(answered);
			}
			const bySiblings = await buriedCount(page);
			expect(bySiblings, 'a sibling was buried').toBeGreaterThan(0);

			// One more buried by hand, from the menu.
			await page.getByText('More', { exact: true }).click();
			await page.getByRole('button', { name: 'Bury until tomorrow' }).click();
			await expect
				.poll(() => page.getByRole('status').textContent())
				.toBe('Card buried until tomorrow.');
			await expect.poll(() => buriedCount(page)).toBe(bySiblings + 1);
			const onScreen = await studyNumbers(page);

			await page.getByRole('link', { name: '‹ Decks' }).click();
			await waitForDeckCounts(page);
			await expect
				.poll(() => deckListCounts(page))
				.toBe(
					`${onScreen.new} new ${onScreen.learning} learning ${onScreen.review} due ` +
						`${bySiblings + 1} buried until tomorrow`
				);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await j.finish();
		}
	);

	it.each(['light', 'dark'] as const)(
		"turned off in the deck's options, a note's other cards stay in today's study (%s)",
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/');
			await waitForDeckCounts(page);
			await page.getByRole('button', { name: `Options for ${DECK_TITLE}`, exact: true }).click();
			const form = page.getByRole('form', { name: 'Preset Default' });
			await form.waitFor();
			// A preset from before the options shows them as they act: both kinds buried, mixed in.
			expect(await form.getByLabel('Bury new siblings').isChecked()).toBe(true);
			expect(await form.getByLabel('Bury review siblings').isChecked()).toBe(true);
			expect(await form.getByLabel('New cards among the reviews').inputValue()).toBe('mix');
			await form.getByLabel('Bury new siblings').uncheck();
			await form.getByLabel('New cards among the reviews').selectOption('after');
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/deck-options-bury-${colorScheme}.png`, fullPage: true });
			await form.getByRole('button', { name: 'Save preset' }).click();
			await page.getByRole('status').filter({ hasText: 'Saved “Default”.' }).waitFor();
			const [stored] = (
				await storedRows<{ id: string; buryNew?: boolean; newMix?: string }>(page, 'presets')
			).filter((p) => p.id === 'default');
			expect(stored).toMatchObject({ buryNew: false, buryReviews: true, newMix: 'after' });

			// Study until two cards of one note were answered today: nothing is buried meanwhile.
			await openDeckFromList(page);
			const noteOf = async () =>
				new Map((await storedRows<StoredCard>(page, 'cards')).map((c) => [c.id, c.noteId]));
			let answered = 0;
			let twice = false;
			while (!twice && answered < 25) {
				await page.getByRole('button', { name: 'Show answer' }).click();
				await page.getByRole('button', { name: /^Easy/ }).click();
				answered++;
				await expect.poll(() => revlogCount(page)).toBe(answered);
				const notes = await noteOf();
				const studied = (await storedRows<{ cardId: string }>(page, 'revlog')).map((r) =>
					notes.get(r.cardId)
				);
				twice = new Set(studied).size < studied.length;
			}
			expect(twice, "a note's second card came the same day").toBe(true);
			expect(await buriedCount(page)).toBe(0);
			await j.finish();
		}
	);
});
