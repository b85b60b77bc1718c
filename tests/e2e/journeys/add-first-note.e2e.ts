/**
 * A new user's first note, on a phone against the production build: a fresh profile has only
 * the built-in decks (which take no new notes), so Add offers "My cards", made with the first
 * note. The confirmation is shown where the user is and the first field gets the focus back (the
 * keyboard stays up); the deck list then shows the deck with its new card, and studying it
 * shows the card.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { deckCounts, expectNothingPastTheEdge, inView, storeRows } from './import-helpers';

interface DeckRow {
	id: string;
	title: string;
	origin: string;
}

describe('adding a first note on a phone', () => {
	it('goes to the default deck "My cards", confirms in view, and the card can be studied', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/add');
		const deck = page.getByLabel('Deck', { exact: true });
		await deck.waitFor();
		expect(await deck.locator('option:checked').textContent()).toBe('My cards (new deck)');
		await expectNoHorizontalOverflow(page);
		await expectNothingPastTheEdge(page, 'on /add');

		await page.getByLabel('Front', { exact: true }).tap();
		await page.keyboard.type('Who founded the Red Army?');
		await page.getByLabel('Back', { exact: true }).tap();
		await page.keyboard.type('Leon Trotsky');
		await page.getByRole('button', { name: 'Add note' }).tap();

		const confirmation = page.locator('form .added[role="status"]');
		await expect
			.poll(() => confirmation.textContent(), { timeout: 10_000 })
			.toBe('Added a note with 1 card to “My cards”.');
		// Focus is back in the first field (the keyboard stays up), and the confirmation is on
		// screen there, not scrolled away with the button.
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-front');
		expect(await page.getByLabel('Front', { exact: true }).inputValue()).toBe('');
		expect(await inView(page, 'form .added[role="status"]')).toBe(true);
		expect(await inView(page, '#field-front')).toBe(true);

		// The new deck is now chosen; a second note goes to it, and no second deck is made.
		await expect
			.poll(() => deck.locator('option:checked').textContent(), { timeout: 5_000 })
			.toBe('My cards');
		await page.keyboard.type('What did Trotsky chair in 1917?');
		await page.getByLabel('Back', { exact: true }).tap();
		await page.keyboard.type('The Petrograd Soviet');
		await page.getByRole('button', { name: 'Add note' }).tap();
		await expect
			.poll(() => confirmation.textContent(), { timeout: 10_000 })
			.toBe('Added a note with 1 card to “My cards”.');
		await expect.poll(async () => (await storeRows(page, 'notes')).length > 0).toBe(true);
		const mine = (await storeRows<DeckRow>(page, 'decks')).filter((d) => d.origin !== 'builtin');
		expect(mine.map((d) => [d.title, d.origin])).toEqual([['My cards', 'user']]);
		const notes = (await storeRows<{ deckId: string }>(page, 'notes')).filter(
			(n) => n.deckId === mine[0]!.id
		);
		expect(notes).toHaveLength(2);
		await expectNothingPastTheEdge(page, 'on /add after adding');
		expect(await axeViolations(page)).toEqual([]);

		expect(await deckCounts(page, 'My cards')).toEqual({
			new: '2 new',
			learning: '0 learning',
			due: '0 due'
		});
		await page.getByRole('link', { name: 'Study My cards', exact: true }).tap();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		expect(await page.locator('main').textContent()).toContain('Who founded the Red Army?');
		await page.getByRole('button', { name: 'Show answer' }).tap();
		await expect
			.poll(() => page.locator('main').textContent(), { timeout: 5_000 })
			.toContain('Leon Trotsky');
		await j.finish();
	});

	it('makes a deck from the deck choice ("New deck") and adds the note to it', async () => {
		const j = await startJourney({ colorScheme: 'dark' });
		const { page } = j;
		await page.goto('/add');
		await page.getByRole('button', { name: 'New deck' }).tap();
		await page.getByLabel('Name of the new deck').fill('Spanish');
		await page.getByRole('button', { name: 'Create', exact: true }).tap();
		const deck = page.getByLabel('Deck', { exact: true });
		await expect.poll(() => deck.locator('option:checked').textContent()).toBe('Spanish');
		await page.getByLabel('Front', { exact: true }).fill('hablar');
		await page.getByLabel('Back', { exact: true }).fill('to speak');
		await page.getByRole('button', { name: 'Add note' }).tap();
		await expect
			.poll(() => page.locator('form .added[role="status"]').textContent(), { timeout: 10_000 })
			.toBe('Added a note with 1 card to “Spanish”.');
		const mine = (await storeRows<DeckRow>(page, 'decks')).filter((d) => d.origin !== 'builtin');
		expect(mine.map((d) => d.title)).toEqual(['Spanish']);
		expect((await deckCounts(page, 'Spanish')).new).toBe('1 new');
		await j.finish();
	});
});
