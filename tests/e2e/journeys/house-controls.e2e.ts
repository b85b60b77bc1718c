/**
 * One look for every form control (app.css): at 360 px the controls fit the screen and are big
 * enough to tap. Before, "Add preset" in Settings was pushed past the screen's edge by the name
 * box beside it, renaming a deck on Add left a box a few letters wide next to its buttons, and a
 * control scrolled into view on a phone (the restore question's "Keep my data") stopped behind the
 * tab bar.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { storedRows } from './study-helpers';

const WIDTH = 360;

/** Visible text boxes, selects and buttons in the page's main content that are too small to tap. */
async function smallControls(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('main input, main select, main textarea, main button')]
			.filter((el) => {
				const box = el.getBoundingClientRect();
				const style = getComputedStyle(el);
				const type = el.getAttribute('type');
				return (
					box.width > 0 &&
					style.visibility !== 'hidden' &&
					!el.classList.contains('visually-hidden') &&
					type !== 'checkbox' &&
					type !== 'radio' &&
					type !== 'range' &&
					box.height < 44
				);
			})
			.map((el) => `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim()}`)
	);
}

/** The right edge of an element, in CSS pixels. */
async function rightEdge(page: Page, name: string): Promise<number> {
	const box = await page.getByRole('button', { name, exact: true }).boundingBox();
	expect(box, `"${name}" is on the page`).not.toBeNull();
	return box!.x + box!.width;
}

describe('form controls at 360 px', () => {
	it.each(['light', 'dark'] as const)(
		'Settings: every control fits the screen and is tall enough to tap (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/settings');
			await page.getByRole('button', { name: 'Add preset', exact: true }).waitFor();
			await page.getByLabel('New preset name').fill('Exam week');
			expect(await rightEdge(page, 'Add preset')).toBeLessThanOrEqual(WIDTH);
			expect(await smallControls(page)).toEqual([]);
			await page.getByRole('button', { name: 'Add preset', exact: true }).click();
			await expect
				.poll(async () => (await storedRows<{ name: string }>(page, 'presets')).map((p) => p.name))
				.toContain('Exam week');
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({
				path: `/tmp/house-controls-settings-${colorScheme}.png`,
				fullPage: true
			});
			await j.finish();
		}
	);

	it.each(['light', 'dark'] as const)(
		'Add: renaming a deck gives a box the width of the screen; deleting asks first (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/add');
			await page.getByLabel('Deck name').fill('Spanish verbs');
			await page.getByRole('button', { name: 'Create deck' }).click();
			await page.getByRole('button', { name: 'Rename Spanish verbs' }).click();

			const box = page.getByLabel('New name for Spanish verbs');
			await expect.poll(() => box.inputValue()).toBe('Spanish verbs');
			const width = (await box.boundingBox())?.width ?? 0;
			expect(width, 'the rename box is wide enough to read the name').toBeGreaterThan(250);
			await box.fill('Verbos');
			await page.getByRole('button', { name: 'Save name' }).click();
			await page.getByRole('link', { name: 'Browse Verbos' }).waitFor();
			expect(await smallControls(page)).toEqual([]);

			await page.getByRole('button', { name: 'Delete Verbos' }).click();
			const question = page.getByRole('group', { name: 'Delete Verbos?' });
			await expect.poll(() => question.textContent()).toMatch(/Delete “Verbos”, 0 cards/);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/house-controls-add-${colorScheme}.png`, fullPage: true });
			await question.getByRole('button', { name: 'Keep it' }).click();
			await expect.poll(() => question.count()).toBe(0);
			const titles = (await storedRows<{ title: string }>(page, 'decks')).map((d) => d.title);
			expect(titles).toContain('Verbos');
			expect(titles).not.toContain('Spanish verbs');
			await j.finish();
		}
	);

	it.each(['light', 'dark'] as const)(
		'Settings: restoring a backup asks in the same confirm block, within the screen (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/settings');
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('button', { name: 'Download backup' }).click()
			]);
			// The file picker is disabled until the download is recorded (a file chosen while the
			// backup is still being written would be ignored).
			await page.getByText(/^Backup downloaded as /).waitFor();
			await expect.poll(() => page.getByLabel('Restore from backup').isEnabled()).toBe(true);
			await page.getByLabel('Restore from backup').setInputFiles(await download.path());
			const confirm = page.getByRole('group', { name: /^Replace everything in Recall with/ });
			await confirm.waitFor();
			await confirm.scrollIntoViewIfNeeded();
			const box = await confirm.boundingBox();
			expect(box && box.x >= 0 && box.x + box.width <= WIDTH, 'the question fits the screen').toBe(
				true
			);
			const replace = confirm.getByRole('button', { name: 'Replace everything' });
			expect((await replace.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
			// Scrolled into view, the last button stops above the tab bar, not behind it.
			const keep = confirm.getByRole('button', { name: 'Keep my data' });
			await keep.scrollIntoViewIfNeeded();
			expect(
				await keep.evaluate((el) => {
					const r = el.getBoundingClientRect();
					return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
				}),
				'"Keep my data" is not under the tab bar'
			).toBe(true);
			await expectNoHorizontalOverflow(page);
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `/tmp/house-controls-restore-${colorScheme}.png` });
			await confirm.getByRole('button', { name: 'Keep my data' }).click();
			await expect.poll(() => confirm.count()).toBe(0);
			await j.finish();
		}
	);
});
