/**
 * Statistics on a phone: every figure says what it measures, and the figures agree with each
 * other and with what the user did. (It said "0.9 a day on average" next to "the collection asks
 * for about 14 reviews a day" with nothing to tell the two apart: issue 14, item 14.)
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { startJourney, waitForDeckCounts } from '../journey';
import { expectFitsScreen, storeRows } from './settings-helpers';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

async function openStats(page: Page): Promise<void> {
	await page.goto('/stats');
	await expect
		.poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 })
		.toBe('Statistics for All decks.');
	await page.locator('[data-figure="daily-load"]').waitFor();
	await page.locator('[data-figure="past-month"]').waitFor();
}

interface Figures {
	studiedCards: number;
	answers: number;
	pastMonth: string;
	forecast: string;
	dailyLoad: string;
	calendar: string;
	forecastRows: number;
}

async function figures(page: Page): Promise<Figures> {
	const today = squash(await page.locator('.today').textContent());
	const number = (re: RegExp) => Number(re.exec(today)?.[1] ?? NaN);
	const rows = await page
		.getByRole('table', { name: 'Cards due per day, next 30 days' })
		.locator('tbody td')
		.allTextContents();
	return {
		studiedCards: number(/Studied (\d+) cards?/),
		answers: number(/(\d+) answers?/),
		pastMonth: squash(await page.locator('[data-figure="past-month"]').textContent()),
		forecast: squash(await page.locator('[data-figure="forecast"]').textContent()),
		dailyLoad: squash(await page.locator('[data-figure="daily-load"]').textContent()),
		calendar: squash(await page.locator('#stats-calendar ~ .summary').last().textContent()),
		forecastRows: rows.reduce((sum, cell) => sum + Number(cell), 0)
	};
}

describe('Statistics', () => {
	it('on a fresh profile: every figure is zero and says what it counts, in light and dark', async () => {
		for (const colorScheme of ['light', 'dark'] as const) {
			const j = await startJourney({ colorScheme });
			await openStats(j.page);
			const f = await figures(j.page);
			expect(f.studiedCards).toBe(0);
			expect(f.answers).toBe(0);
			expect(f.pastMonth).toBe('Over the last 30 days you did 0 reviews, 0 a day on average.');
			expect(f.forecast).toBe(
				'Coming due in the next 30 days: 0 cards, 0 a day on average (each card counted once, on its next due date).'
			);
			expect(f.dailyLoad).toMatch(
				/^Daily load: about 0 reviews a day\. That is what the collection would ask for every day if each card kept its current interval/
			);
			expect(f.forecastRows).toBe(0);
			await expectFitsScreen(j.page);
			await j.finish();
		}
	});

	it('after some study: the past, the forecast and the daily load agree with the store', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/');
		await waitForDeckCounts(page);
		await page
			.getByRole('link', { name: /^Study / })
			.first()
			.click();
		const grades = ['Easy', 'Easy', 'Good', 'Easy'];
		for (const grade of grades) {
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: new RegExp(`^${grade}`) }).click();
			await page
				.getByRole('button', { name: 'Show answer' })
				.or(page.getByText('Nothing is due'))
				.first()
				.waitFor();
		}
		await expect.poll(async () => (await storeRows(page, 'revlog')).length).toBe(grades.length);

		await openStats(page);
		const f = await figures(page);
		// Today, the last 30 days and the calendar count the same answers: the ones just given.
		expect(f.answers).toBe(grades.length);
		expect(f.studiedCards).toBe(grades.length);
		expect(f.pastMonth).toBe(
			`Over the last 30 days you did ${grades.length} reviews, 0.1 a day on average.`
		);
		expect(f.calendar).toMatch(new RegExp(`^${grades.length} reviews on 1 day of the last 365`));

		// The forecast counts each studied card once, on its next due date; the chart's table agrees.
		const cards = await storeRows<{ state: number; scheduledDays: number; due: number }>(
			page,
			'cards'
		);
		const studied = cards.filter((c) => c.state !== 0);
		expect(studied).toHaveLength(grades.length);
		const dueWithin30 = studied.filter((c) => c.due < Date.now() + 30 * 86_400_000).length;
		expect(f.forecastRows).toBe(dueWithin30);
		expect(f.forecast).toMatch(
			new RegExp(`^Coming due in the next 30 days: ${dueWithin30} cards?, [\\d.]+ a day on average`)
		);
		// The daily load is Σ 1 / interval over the studied cards (a card in learning counts 1).
		const load = Math.round(studied.reduce((sum, c) => sum + 1 / Math.max(1, c.scheduledDays), 0));
		expect(f.dailyLoad).toMatch(
			new RegExp(
				`^Daily load: about ${load} reviews? a day\\. That is what the collection would ask for`
			)
		);
		await expectFitsScreen(page);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();
	});
});
