/**
 * Browse journeys, acting on cards (phone, 360×740, production build): open a card and edit its
 * note; tick cards (48 px targets), act from the bar at the bottom, undo — checked in IndexedDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PHONE, launch } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { builtinTags, found, openBrowse, rowQuestions, search } from './browse-helpers';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

/** The queue of each card in the app's IndexedDB store (-1 is suspended). */
async function queues(page: Page): Promise<Map<string, number>> {
	const rows = await page.evaluate(
		() =>
			new Promise<[string, number][]>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const all = db.transaction('cards').objectStore('cards').getAll();
					all.onsuccess = () => {
						resolve((all.result as { id: string; queue: number }[]).map((c) => [c.id, c.queue]));
						db.close();
					};
					all.onerror = () => reject(all.error);
				};
			})
	);
	return new Map(rows);
}

const suspended = async (page: Page) =>
	[...(await queues(page)).values()].filter((q) => q === -1).length;

describe('Browse: acting on cards on a phone', () => {
	it('opens a card, edits its note, and shows the change in the list', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		await search(page, 'tag:exile');
		expect(await found(page, 'tag:exile')).toBeGreaterThan(0);
		await page.locator('[role=row] [data-front]').first().click();
		const dialog = page.getByRole('dialog', { name: 'Card info' });
		await dialog.getByRole('button', { name: 'Edit note' }).click();
		const field = page.getByRole('dialog').locator('textarea').first();
		await field.fill(`${await field.inputValue()} Edited in Browse`);
		await page.getByRole('dialog').getByRole('button', { name: 'Save note' }).click();
		await page.getByRole('status').getByText('Note saved.').waitFor();
		await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
		await expect
			.poll(async () => (await rowQuestions(page)).some((q) => q.includes('Edited in Browse')), {
				timeout: 10_000
			})
			.toBe(true);
		await page.getByRole('button', { name: 'Undo note edit' }).tap();
		await page.getByRole('status').getByText('Undone: note edit.').waitFor();
		await expect
			.poll(async () => (await rowQuestions(page)).some((q) => q.includes('Edited in Browse')))
			.toBe(false);
		await j.finish();
	});

	it('ticks cards with 48 px targets, acts from the bar at the bottom, and undoes', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		const tag = [...builtinTags()].find(([, n]) => n >= 3)![0];
		await search(page, `tag:${tag}`);
		expect(await found(page, `tag:${tag}`)).toBeGreaterThanOrEqual(3);
		const bar = page.getByRole('region', { name: 'Selected cards' });
		// Nothing selected: no bulk buttons anywhere.
		expect(await bar.count()).toBe(0);
		expect(await page.getByRole('button', { name: 'Suspend', exact: true }).count()).toBe(0);

		const boxes = page.getByRole('checkbox', { name: /^Select “/ });
		for (const i of [0, 1]) {
			const box = (await boxes.nth(i).boundingBox())!;
			expect(Math.min(box.width, box.height), 'checkbox touch target').toBeGreaterThanOrEqual(44);
			await boxes.nth(i).tap();
			expect(await boxes.nth(i).isChecked()).toBe(true);
		}
		await bar.waitFor();
		expect(await bar.textContent()).toContain('2 selected');
		const place = (await bar.boundingBox())!;
		expect(place.y, 'the bar is in the bottom half').toBeGreaterThan(PHONE.height / 2);
		expect(place.y + place.height).toBeLessThanOrEqual(PHONE.height);
		// The tab bar stays usable under it.
		await expect
			.poll(() => page.getByRole('link', { name: 'Decks', exact: true }).isVisible())
			.toBe(true);
		await expectNoHorizontalOverflow(page);

		expect(await suspended(page)).toBe(0);
		await bar.getByRole('button', { name: 'Suspend', exact: true }).tap();
		await page.getByRole('status').getByText('Suspended 2 cards.').waitFor();
		await expect.poll(() => suspended(page)).toBe(2);
		await expect.poll(() => page.locator('[role=row] .held').count()).toBe(2);

		await bar.getByRole('button', { name: 'Undo suspend' }).tap();
		await page.getByRole('status').getByText('Undone: suspend.').waitFor();
		await expect.poll(() => suspended(page)).toBe(0);
		await expect.poll(() => page.locator('[role=row] .held').count()).toBe(0);

		await bar.getByRole('button', { name: /^Clear/ }).tap();
		await expect
			.poll(() => page.getByRole('button', { name: 'Suspend', exact: true }).count())
			.toBe(0);
		await j.finish();
	});
});
