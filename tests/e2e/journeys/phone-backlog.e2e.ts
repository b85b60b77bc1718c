/**
 * Back after a break, on a phone: the deck list says the collection is far behind, and offers to
 * spread the due cards over days or to postpone the ones still remembered — previewed, applied in
 * one go, logged as manual reschedules and undone; "Going away?" reviews ahead, with the cost.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { startJourney, waitForDeckCounts } from '../journey';
import { dueNow, seedBacklog, type StoredCard, type StoredLog } from './backlog-helpers';
import { expectFitsScreen, storeRows } from './settings-helpers';
import type { Card, Preset } from '../../../src/lib/core/model';
import { retrievability } from '../../../src/lib/core/scheduling/scheduler';

const SHOTS = process.env.BACKLOG_SHOTS;

async function openDeckList(page: Page) {
	await page.goto('/');
	await waitForDeckCounts(page);
	const banner = page.getByRole('region', { name: /reviews are due$/ });
	await banner.waitFor({ timeout: 15_000 });
	return banner;
}

const manualRows = async (page: Page) =>
	(await storeRows<StoredLog>(page, 'revlog')).filter((l) => l.rating === 0);

/** The deck list's due counts, summed over top-level decks. */
async function listedDue(page: Page): Promise<number> {
	const texts = await page.locator('li:not([style]) .counts .due').allTextContents();
	return texts.reduce((n, t) => n + Number(/^(\d+) due$/.exec(t)?.[1] ?? NaN), 0);
}

describe('A backlog after a break, on a phone', { timeout: 120_000 }, () => {
	it('spreads the due cards over days, most at risk first, and undoes it', async () => {
		const j = await startJourney();
		const { page } = j;
		page.setDefaultTimeout(15_000);
		await seedBacklog(page, 60, 4);
		const banner = await openDeckList(page);
		expect(await banner.getByRole('heading').textContent()).toBe('60 reviews are due');
		expect(await banner.textContent()).toContain('about 4 a day over your last 14 study days');
		expect(await listedDue(page)).toBe(60);

		await banner.getByRole('button', { name: 'Spread over 15 days' }).click();
		expect(
			await banner.getByRole('button', { name: 'Spread over 15 days' }).getAttribute('aria-pressed')
		).toBe('true');
		const preview = banner.locator('#backlog-preview');
		expect(await preview.textContent()).toBe('60 due → about 4 a day for 15 days');
		// A gentler spread: fewer a day, more days.
		await banner.getByLabel('Spread over').selectOption('18');
		await expect.poll(() => preview.textContent()).toBe('60 due → about 4 a day for 18 days');
		await banner.getByLabel('Spread over').selectOption('15');
		await expectFitsScreen(page);
		expect(await axeViolations(page)).toEqual([]);
		if (SHOTS) await banner.screenshot({ path: `${SHOTS}/phone-backlog-spread.png` });

		const before = await storeRows<StoredCard>(page, 'cards');
		await banner.getByRole('button', { name: 'Spread them' }).click();
		const status = banner.getByRole('status');
		await expect.poll(() => status.textContent()).toBe('Spread: 56 cards moved to later days.');
		expect(await dueNow(page)).toBe(4);
		await expect.poll(() => listedDue(page)).toBe(4);
		// Logged as manual reschedules, one row per moved card, none earlier than it was due.
		const rows = await manualRows(page);
		expect(rows).toHaveLength(56);
		expect(new Set(rows.map((r) => r.cardId)).size).toBe(56);
		const after = new Map((await storeRows<StoredCard>(page, 'cards')).map((c) => [c.id, c]));
		const perDay = new Map<number, number>();
		for (const row of rows) {
			const was = before.find((c) => c.id === row.cardId)!;
			expect(after.get(row.cardId)!.due).toBeGreaterThan(was.due);
			perDay.set(row.scheduledDays, (perDay.get(row.scheduledDays) ?? 0) + 1);
		}
		expect([...perDay.keys()].sort((a, b) => a - b)).toEqual(
			Array.from({ length: 14 }, (_, i) => i + 1)
		);
		expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
		// The banner is gone with the backlog; the Undo stays.
		expect(await page.getByRole('heading', { name: /reviews are due$/ }).count()).toBe(0);

		await page.getByRole('button', { name: 'Undo' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Undone' }).textContent())
			.toBe('Undone: 56 cards are due as before.');
		expect(await manualRows(page)).toHaveLength(0);
		expect(await dueNow(page)).toBe(60);
		const restored = await storeRows<StoredCard>(page, 'cards');
		expect(restored.map((c) => [c.id, c.due, c.rev])).toEqual(
			before.map((c) => [c.id, c.due, c.rev])
		);
		await expect.poll(() => listedDue(page)).toBe(60);
		await j.finish();
	});

	it('postpones the cards still remembered, never earlier than due, and undoes it', async () => {
		const j = await startJourney({ colorScheme: 'dark' });
		const { page } = j;
		await seedBacklog(page, 60, 4);
		const banner = await openDeckList(page);
		await banner.getByRole('button', { name: 'Postpone' }).click();
		await banner.getByLabel('Postpone cards whose recall stays above').selectOption('0.7');
		const text = (await banner.locator('#backlog-preview').textContent()) ?? '';
		const m =
			/^60 due → (\d+) postponed by up to (\d+) days? \(each kept above 70 % recall\), (\d+) stay due$/.exec(
				text
			);
		expect(m, text).not.toBeNull();
		const moved = Number(m![1]);
		expect(moved).toBeGreaterThan(0);
		expect(moved + Number(m![3])).toBe(60);
		await expectFitsScreen(page);
		expect(await axeViolations(page)).toEqual([]);
		if (SHOTS) await banner.screenshot({ path: `${SHOTS}/phone-backlog-postpone-dark.png` });

		const before = new Map((await storeRows<StoredCard>(page, 'cards')).map((c) => [c.id, c]));
		await banner.getByRole('button', { name: 'Postpone them' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Postponed' }).textContent())
			.toBe(`Postponed ${moved} cards.`);
		const rows = await manualRows(page);
		expect(rows).toHaveLength(moved);
		const after = await storeRows<StoredCard>(page, 'cards');
		for (const card of after) expect(card.due).toBeGreaterThanOrEqual(before.get(card.id)!.due);
		expect(await dueNow(page)).toBe(60 - moved);

		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => manualRows(page).then((r) => r.length)).toBe(0);
		expect(await dueNow(page)).toBe(60);
		await j.finish();
	});

	it('reviews ahead before a trip, with the cost shown, in a study session', async () => {
		const j = await startJourney();
		const { page } = j;
		await seedBacklog(page, 60, 4, 10);
		await openDeckList(page);
		await page.getByText('Going away?').click();
		const away = page.locator('details.away');
		await away.getByLabel('Review now what falls due in the next').selectOption('7');
		await expect
			.poll(() => away.locator('#ahead-cost').textContent())
			.toBe('about 10 cards, ~1 min');
		await away.getByLabel('Review now what falls due in the next').selectOption('3');
		await expect
			.poll(() => away.locator('#ahead-cost').textContent())
			.toMatch(/^about [1-9] cards?, ~1 min$/);
		await away.getByLabel('Review now what falls due in the next').selectOption('7');
		await expect
			.poll(() => away.locator('#ahead-cost').textContent())
			.toBe('about 10 cards, ~1 min');
		await expectFitsScreen(page);
		if (SHOTS) await away.screenshot({ path: `${SHOTS}/phone-going-away.png` });
		await away.getByRole('link', { name: 'Review ahead' }).click();
		await page.waitForURL(/\/browse\/study\?q=/);
		expect(decodeURIComponent(page.url())).toContain('prop:due>0 prop:due<=7');
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Good/ }).click();
		await expect
			.poll(
				async () =>
					(await storeRows<StoredLog>(page, 'revlog')).filter((l) => l.rating === 3).length
			)
			.toBe(14 * 4 + 1);
		await j.finish();
	});

	it('saves the review order in the deck options, and the study queue follows it', async () => {
		const j = await startJourney();
		const { page } = j;
		page.setDefaultTimeout(15_000);
		await seedBacklog(page, 60, 4);
		await openDeckList(page);
		const cards = await storeRows<Card>(page, 'cards');
		const decks = await storeRows<{ id: string; title: string; presetId: string }>(page, 'decks');
		const deck = decks.find((d) => d.id === cards[0]!.deckId)!;
		await page.getByRole('button', { name: `Options for ${deck.title}`, exact: true }).click();
		const form = page.getByRole('form', { name: /^Preset / });
		await form.getByLabel('Order of the day’s reviews').selectOption('retrievability');
		await form.getByLabel('New cards per day').fill('0');
		await form.getByRole('button', { name: 'Save preset' }).click();
		await expect
			.poll(async () =>
				(await storeRows<Preset>(page, 'presets')).find((p) => p.id === deck.presetId)
			)
			.toMatchObject({ reviewOrder: 'retrievability', newPerDay: 0 });
		const preset = (await storeRows<Preset>(page, 'presets')).find((p) => p.id === deck.presetId)!;

		// The first card studied is the deck's most forgotten due review.
		await page.getByRole('link', { name: `Study ${deck.title}` }).click();
		await page.getByRole('button', { name: 'Show answer' }).click();
		const now = Date.now();
		await page.getByRole('button', { name: /^Good/ }).click();
		await page.getByRole('button', { name: 'Undo' }).waitFor();
		const answered = (await storeRows<StoredLog & { reviewedAt: number }>(page, 'revlog')).find(
			(l) => l.rating === 3 && l.reviewedAt >= now - 60_000
		)!;
		const due = cards.filter((c) => c.deckId === deck.id && c.queue === 2 && c.due < now);
		const r = (c: Card) => retrievability(c, now, preset);
		const lowest = Math.min(...due.map(r));
		expect(r(cards.find((c) => c.id === answered.cardId)!)).toBeCloseTo(lowest, 6);
		// Not what "by due date" would have shown first (the longest overdue), in this collection.
		const byDue = [...due].sort((a, b) => a.due - b.due)[0]!;
		expect(r(byDue)).toBeGreaterThan(lowest);
		await j.finish();
	});
});
