/**
 * Swipe grading with real touch events (Chromium's touch input, which decides between a scroll
 * and a gesture as it does for a finger): a vertical drag on a long answer scrolls it and grades
 * nothing; a deliberate sideways swipe shows the coming grade while the finger moves, grades on
 * release and says so ("Good · undo"); bringing the finger back cancels.
 */
import { describe, expect, it } from 'vitest';
import { startJourney } from '../journey';
import {
	cardCentre,
	DECK,
	Finger,
	openDeckFromList,
	putRows,
	revlogCount,
	storedRows,
	studyCounts
} from './study-helpers';

const LONG =
	' Trotsky had been expelled from the party, exiled to Alma-Ata, deported to Turkey, and ' +
	'hounded from France and Norway before Mexico took him in; each move is part of the answer.';

describe('swipe gestures on a phone', () => {
	it('scrolls a long answer by a vertical drag, grades by a deliberate swipe, cancels on return', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		// Make the deck's answers long (as a user's own long notes are), then study it afresh.
		const notes = await storedRows<{ deckId: string; fields: Record<string, string> }>(
			page,
			'notes'
		);
		const mine = notes.filter((n) => n.deckId === DECK && typeof n.fields.back === 'string');
		expect(mine.length).toBeGreaterThan(0);
		await putRows(
			page,
			'notes',
			mine.map((n) => ({ ...n, fields: { ...n.fields, back: n.fields.back + LONG.repeat(8) } }))
		);
		await page.reload();
		const show = page.getByRole('button', { name: 'Show answer' });
		await show.click();
		await page.getByRole('button', { name: /^Good/ }).waitFor();
		const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
		expect(pageHeight, 'the answer is longer than the screen').toBeGreaterThan(900);

		const finger = new Finger(page);
		const before = await studyCounts(page);

		// 1. A 250 px upward drag on the revealed card: the answer scrolls, nothing is graded.
		const c = await cardCentre(page);
		await finger.down(c.x, c.y + 100);
		await finger.move(0, -250, 15);
		await finger.up();
		await page.waitForTimeout(400);
		expect(await page.evaluate(() => window.scrollY), 'the page scrolled').toBeGreaterThan(100);
		expect(await revlogCount(page)).toBe(0);
		expect(await studyCounts(page)).toBe(before);
		expect(await page.getByRole('button', { name: /^Good/ }).isVisible()).toBe(true);
		expect(await page.getByRole('status').textContent()).toBe('');
		await page.evaluate(() => window.scrollTo(0, 0));

		// 2. A sideways drag that comes back: the coming grade shows, then goes; nothing is graded.
		const front = await page.locator('.study .front').textContent();
		const d = await cardCentre(page);
		await finger.down(d.x - 60, d.y);
		await finger.move(150, 0, 10);
		expect(await page.locator('.study .view').getAttribute('data-coming')).toBe('Good');
		expect(await page.locator('.study .hint').textContent()).toMatch(/Good/);
		await finger.move(-140, 0, 15, 20);
		expect(await page.locator('.study .hint').count()).toBe(0);
		await finger.up();
		await page.waitForTimeout(400);
		expect(await revlogCount(page)).toBe(0);
		expect(await page.locator('.study .front').textContent()).toBe(front);
		expect(await page.getByRole('button', { name: /^Good/ }).isVisible()).toBe(true);

		// 3. A short sideways nudge is not a swipe either.
		await finger.down(d.x, d.y);
		await finger.move(40, 0, 5);
		await finger.up();
		await page.waitForTimeout(300);
		expect(await revlogCount(page)).toBe(0);

		// 4. A deliberate swipe right: "Good" shows while moving, grades on release, and says so.
		await finger.down(d.x - 80, d.y);
		await finger.move(180, 6, 12);
		expect(await page.locator('.study .view').getAttribute('data-coming')).toBe('Good');
		await finger.up();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Good · undo');
		await expect.poll(() => revlogCount(page)).toBe(1);
		const [log] = await storedRows<{ rating: number }>(page, 'revlog');
		expect(log!.rating).toBe(3);
		await show.waitFor();
		expect(await studyCounts(page)).not.toBe(before);

		// 5. Swipe left on the next card: Again, said; Undo takes it back.
		await show.click();
		const e = await cardCentre(page);
		await finger.down(e.x + 80, e.y);
		await finger.move(-180, -4, 12);
		expect(await page.locator('.study .view').getAttribute('data-coming')).toBe('Again');
		await finger.up();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Again · undo');
		await expect.poll(() => revlogCount(page)).toBe(2);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(() => revlogCount(page)).toBe(1);
		await finger.detach();
		await j.finish();
	});

	it('grades Easy by a swipe up only once vertical swipes are turned on', async () => {
		const j = await startJourney();
		const { page } = j;
		// Turned on where a person would: Settings → Studying on this device.
		await page.goto('/settings');
		const vertical = page.getByRole('checkbox', { name: /^Swipe up for Easy/ });
		expect(await vertical.isChecked()).toBe(false);
		await vertical.check();
		await openDeckFromList(page);
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Easy/ }).waitFor();
		const finger = new Finger(page);
		const c = await cardCentre(page);
		await finger.down(c.x, c.y + 60);
		await finger.move(4, -180, 12);
		expect(await page.locator('.study .view').getAttribute('data-coming')).toBe('Easy');
		await finger.up();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Easy · undo');
		const [log] = await storedRows<{ rating: number }>(page, 'revlog');
		expect(log?.rating).toBe(4);
		await finger.detach();
		await j.finish();
	});
});
