/**
 * Reminders and the app icon on a phone: Settings → Reminders saves a daily time and says which
 * way this device reminds (headless Chromium: no Notification Triggers, not installed, so the
 * in-app reminder), the deck list reminds after that time when nothing was studied today; the
 * icon badge follows the due count after each answer (navigator.setAppBadge stubbed).
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { startJourney, waitForDeckCounts } from '../journey';
import { dueNow, seedBacklog } from './backlog-helpers';
import { expectFitsScreen, storeRows } from './settings-helpers';
import { revlogCount } from './study-helpers';

const SHOTS = process.env.BACKLOG_SHOTS;

describe('Reminders and the badge, on a phone', { timeout: 120_000 }, () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`saves a daily time, says the in-app path applies, and reminds on the deck list (${colorScheme})`, async () => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await seedBacklog(page, 30, 3);
			await page.goto('/settings');
			const section = page.getByRole('region', { name: 'Reminders' });
			await section.waitFor();
			expect(await section.locator('#reminder-path').textContent()).toMatch(
				/^On this device: a reminder when you open the app late\./
			);
			// A time that is not one is refused in words, and nothing is saved.
			await section.getByLabel('Remind me every day at').fill('');
			await section.getByRole('button', { name: 'Turn on' }).click();
			expect(await page.evaluate(() => localStorage.getItem('recall.reminder'))).toBeNull();

			await section.getByLabel('Remind me every day at').fill('00:00');
			await section.getByRole('button', { name: 'Turn on' }).click();
			await expect
				.poll(() => section.getByRole('status').textContent())
				.toBe('Reminder saved: every day at 00:00.');
			expect(await page.evaluate(() => localStorage.getItem('recall.reminder'))).toBe('00:00');
			expect(await section.textContent()).toContain('On: every day at 00:00.');
			await section.scrollIntoViewIfNeeded();
			await expectFitsScreen(page);
			expect(await axeViolations(page)).toEqual([]);
			if (SHOTS)
				await section.screenshot({
					path: `${SHOTS}/phone-reminders${colorScheme === 'dark' ? '-dark' : ''}.png`
				});

			// Past 00:00 with nothing studied today: the deck list reminds, with the count.
			await page.goto('/');
			await waitForDeckCounts(page);
			const due = await dueNow(page);
			const nudge = page.getByRole('complementary', { name: /^Time to study/ });
			await nudge.waitFor({ timeout: 10_000 });
			expect(await nudge.textContent()).toContain(`Time to study: ${due} cards due.`);
			if (SHOTS)
				await page.screenshot({
					path: `${SHOTS}/phone-reminder-nudge${colorScheme === 'dark' ? '-dark' : ''}.png`
				});
			await nudge.getByRole('button', { name: 'Later' }).click();
			expect(await nudge.count()).toBe(0);

			// After an answer today, no reminder.
			await page
				.getByRole('link', { name: /^Study / })
				.first()
				.click();
			const answered = await revlogCount(page);
			await page.getByRole('button', { name: 'Show answer' }).click();
			await page.getByRole('button', { name: /^Good/ }).click();
			await page.getByRole('button', { name: 'Undo' }).waitFor();
			// The answer's transaction commits while the next card shows: leave once it is stored.
			await expect.poll(() => revlogCount(page)).toBe(answered + 1);
			await page.goto('/');
			await waitForDeckCounts(page);
			await page.getByRole('heading', { name: /reviews are due$/ }).waitFor();
			expect(await page.getByRole('complementary', { name: /^Time to study/ }).count()).toBe(0);

			// Turned off, it stays off.
			await page.goto('/settings');
			await page.getByRole('button', { name: 'Turn off' }).click();
			await expect
				.poll(() => page.evaluate(() => localStorage.getItem('recall.reminder')))
				.toBeNull();
			await j.finish();
		});
	}

	it('shows the due count on the app icon after each answer, cleared at 0', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.context().addInitScript(() => {
			const w = window as unknown as { badges: number[] };
			w.badges = [];
			Object.assign(navigator, {
				setAppBadge: (n?: number) => Promise.resolve(void w.badges.push(n ?? -1)),
				clearAppBadge: () => Promise.resolve(void w.badges.push(0))
			});
		});
		await seedBacklog(page, 3, 1);
		await page.goto('/');
		await waitForDeckCounts(page);
		const badges = () => page.evaluate(() => (window as unknown as { badges: number[] }).badges);
		const due = await dueNow(page);
		expect(due).toBe(3);
		await expect.poll(async () => (await badges()).at(-1)).toBe(3);
		// Studying the due cards only (new ones would come back in learning, due today too).
		await page.goto(`/browse/study?q=${encodeURIComponent('is:due')}`);
		await expect.poll(async () => (await badges()).at(-1)).toBe(3);
		// Each answer (and the note's other cards it buries) changes the count on the icon.
		const dueAll = () => dueNow(page, [1, 2, 3]);
		const seen: number[] = [3];
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		while (await page.getByRole('button', { name: 'Show answer' }).isVisible()) {
			await page.getByRole('button', { name: 'Show answer' }).click();
			const answered = seen.length;
			await page.getByRole('button', { name: /^Good/ }).click();
			// The answer is stored (the session may end with it: no Undo to wait for then).
			await expect
				.poll(async () => (await storeRows<{ rating: number }>(page, 'revlog')).length)
				.toBe(14 + answered);
			await expect.poll(async () => (await badges()).at(-1)).toBe(await dueAll());
			seen.push(await dueAll());
			if (seen.at(-1) === 0) break;
		}
		expect(seen.at(-1)).toBe(0);
		expect(seen.length).toBeGreaterThan(2);
		// Cleared at 0 (clearAppBadge), never a negative or stale number after it.
		expect((await badges()).at(-1)).toBe(0);
		await j.finish();
	});
});
