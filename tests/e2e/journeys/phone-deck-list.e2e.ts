/**
 * Issue 18, the deck list on a phone: each deck shows its total cards; when nothing is left for
 * today it says "Done for today · next in …"; subdecks collapse and expand (remembered on the
 * device, across a reload); each deck's options button opens its preset's form in place, and a
 * saved change shows in the counts and the store.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';
import { storeRows } from './import-helpers';

const RED_ARMY = 'Trotsky and the Red Army';
const SUBDECK = `${RED_ARMY}::Battles`;

const study = (page: Page, title: string) =>
	page.getByRole('link', { name: `Study ${title}`, exact: true });

/** What a deck's row says about its cards: its counts, then its total and "Done for today". */
async function countsText(page: Page, title: string): Promise<string> {
	const card = study(page, title).locator('xpath=ancestor::div[contains(@class, "deck")][1]');
	const parts = await card
		.locator('.counts, .totals')
		.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
	return parts.join(' ').replace(/\s+/g, ' ').trim();
}

async function addSubdeckNote(page: Page): Promise<void> {
	await page.goto('/add');
	await page.getByRole('button', { name: 'New deck' }).tap();
	await page.getByLabel('Name of the new deck').fill(SUBDECK);
	await page.getByRole('button', { name: 'Create', exact: true }).tap();
	await expect
		.poll(() => page.getByLabel('Deck', { exact: true }).locator('option:checked').textContent())
		.toContain('Battles');
	await page.getByLabel('Front', { exact: true }).fill('Where did the Red Army stop Denikin?');
	await page.getByLabel('Back', { exact: true }).fill('Orel, 1919');
	await page.getByRole('button', { name: 'Add note' }).tap();
	await page.locator('form .added[role="status"]').filter({ hasText: 'Added' }).waitFor();
}

describe('the deck list on a phone', () => {
	it('shows totals, collapses subdecks, opens a deck’s options and says when it is done', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);

		// Totals: what the store holds for each deck.
		const decks = await storeRows<{ id: string; title: string }>(page, 'decks');
		const cards = await storeRows<{ deckId: string }>(page, 'cards');
		for (const deck of decks) {
			const n = cards.filter((c) => c.deckId === deck.id).length;
			expect(n).toBeGreaterThan(0);
			await expect.poll(() => countsText(page, deck.title)).toContain(`${n} cards`);
		}

		// A subdeck, shown under its parent; the parent's total includes it.
		await addSubdeckNote(page);
		await page.goto('/');
		await waitForDeckCounts(page);
		const redArmy = decks.find((d) => d.title === RED_ARMY)!;
		const parentTotal = cards.filter((c) => c.deckId === redArmy.id).length + 1;
		await expect.poll(() => countsText(page, RED_ARMY)).toContain(`${parentTotal} cards`);
		await expect.poll(() => countsText(page, SUBDECK)).toContain('1 card');
		const fold = page.getByRole('button', { name: `Subdecks of ${RED_ARMY}`, exact: true });
		expect(await fold.getAttribute('aria-expanded')).toBe('true');
		const foldBox = (await fold.boundingBox())!;
		expect(Math.min(foldBox.width, foldBox.height)).toBeGreaterThanOrEqual(48);
		expect(await axeViolations(page)).toEqual([]);

		await fold.tap();
		await expect.poll(() => study(page, SUBDECK).count()).toBe(0);
		expect(await fold.getAttribute('aria-expanded')).toBe('false');
		// Remembered on this device.
		await page.reload();
		await waitForDeckCounts(page);
		expect(await study(page, SUBDECK).count()).toBe(0);
		await fold.tap();
		await study(page, SUBDECK).waitFor();

		// Options in place: the deck's preset form, saved as Settings saves it.
		const options = page.getByRole('button', { name: `Options for ${RED_ARMY}`, exact: true });
		const optBox = (await options.boundingBox())!;
		expect(optBox.height).toBeGreaterThanOrEqual(48);
		await options.tap();
		expect(await options.getAttribute('aria-expanded')).toBe('true');
		const form = page.getByRole('form', { name: 'Preset Default' });
		await form.waitFor();
		expect(await page.getByLabel(`Preset for “${RED_ARMY}”`).inputValue()).toBe('default');
		const panel = page.locator(`[id="${await options.getAttribute('aria-controls')}"]`);
		expect((await panel.innerText()).replace(/\s+/g, ' ')).toContain(
			'“Default” is shared with 2 other decks: a change applies to them too.'
		);
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);

		await form.getByLabel('New cards per day').fill('0');
		await form.getByRole('button', { name: 'Save preset' }).tap();
		await page.getByRole('status').filter({ hasText: 'Saved “Default”.' }).waitFor();
		const presets = await storeRows<{ id: string; newPerDay: number }>(page, 'presets');
		expect(presets.find((p) => p.id === 'default')?.newPerDay).toBe(0);

		// No new cards allowed and nothing studied: done for today, back at the next day's start.
		const expected = await page.evaluate(() => {
			const now = new Date();
			const next = new Date(now);
			next.setHours(4, 0, 0, 0);
			if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
			const minutes = Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 60_000));
			return minutes < 60 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
		});
		await expect.poll(() => countsText(page, RED_ARMY)).toMatch(/^0 new 0 learning 0 due/);
		const text = await countsText(page, RED_ARMY);
		expect(text).toContain(`Done for today · next ${expected}`);
		expect(await countsText(page, SUBDECK)).toContain('Done for today · next');

		// Closing the options leaves the list as it was.
		await options.tap();
		await expect.poll(() => form.count()).toBe(0);
		await expectNoHorizontalOverflow(page);
		await j.finish();
	});
});
