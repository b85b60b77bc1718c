/**
 * Helpers shared by the Settings, Stats and backup journeys: reading what IndexedDB holds (to
 * prove a change was stored, not only shown), and measuring overflow at the phone's width.
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { waitForDeckCounts } from '../journey';

/** Every row of one object store of the app's database, read with the plain IndexedDB API. */
export async function storeRows<T = Record<string, unknown>>(
	page: Page,
	store: string
): Promise<T[]> {
	return page.evaluate(
		(name) =>
			new Promise<T[]>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction(name, 'readonly').objectStore(name).getAll();
					request.onsuccess = () => {
						db.close();
						resolve(request.result as T[]);
					};
					request.onerror = () => reject(request.error);
				};
			}),
		store
	);
}

export interface StoredPreset {
	id: string;
	name: string;
	desiredRetention: number;
	newPerDay: number;
	weights: number[];
}

export async function storedPreset(page: Page, id = 'default'): Promise<StoredPreset | undefined> {
	return (await storeRows<StoredPreset>(page, 'presets')).find((p) => p.id === id);
}

/**
 * Elements whose right edge is past the viewport, for a readable failure. The app clips the page
 * sideways (`overflow-x: clip` on html and body), so a too-wide element is cut off rather than
 * scrolled to: scrollWidth cannot see it, its box can. Content inside its own scroll box (a wide
 * table that scrolls within the page) counts only through that box.
 */
export async function overflowingElements(page: Page, selector = 'main *'): Promise<string[]> {
	return page.evaluate((sel) => {
		const width = document.documentElement.clientWidth;
		const contained = (el: Element) => {
			for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
				if (/auto|scroll|hidden|clip/.test(getComputedStyle(a).overflowX)) return true;
			}
			return false;
		};
		return [...document.querySelectorAll(sel)]
			.filter((el) => {
				const rect = el.getBoundingClientRect();
				return rect.width > 1 && rect.right > width + 0.5 && !contained(el);
			})
			.map(
				(el) =>
					`${el.tagName.toLowerCase()}.${el.className} → ${Math.round(el.getBoundingClientRect().right)} px`
			)
			.slice(0, 10);
	}, selector);
}

/** Nothing on the page reaches past the 360 px screen, and the page does not scroll sideways. */
export async function expectFitsScreen(page: Page): Promise<void> {
	expect(
		await overflowingElements(page),
		`elements wider than the screen on ${page.url()}`
	).toEqual([]);
	expect(
		await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
	).toBeLessThanOrEqual(0);
}

/** Opens Settings and waits until the presets are read (the form of the Default preset). */
export async function openSettings(page: Page): Promise<Locator> {
	await page.goto('/settings');
	const form = page.getByRole('form', { name: 'Preset Default' });
	await form.waitFor({ timeout: 15_000 });
	return form;
}

/** The deck list's new-card counts, by deck title. */
export async function newCounts(page: Page): Promise<Record<string, number>> {
	await page.goto('/');
	await waitForDeckCounts(page);
	const rows = await page.locator('.counts .new').evaluateAll((spans) =>
		spans.map((span) => {
			const item = span.closest('li') ?? span.parentElement?.parentElement;
			const link = item?.querySelector('a.study');
			return {
				name: link?.getAttribute('aria-label') ?? link?.textContent ?? '',
				text: span.textContent ?? ''
			};
		})
	);
	return Object.fromEntries(
		rows.map(({ name, text }) => [name.replace(/^Study\s*/, '').trim(), Number.parseInt(text, 10)])
	);
}
