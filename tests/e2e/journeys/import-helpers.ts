/**
 * Helpers for the Add and Import journeys: what a person sees (elements past the screen's edge,
 * a deck's counts on the deck list) and what the store holds (IndexedDB read as the page would).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { waitForDeckCounts } from '../journey';

/**
 * Visible elements that reach past the right edge of the viewport (or start left of it), outside
 * a container that scrolls sideways on purpose: what a user sees cut off, even where the page
 * itself does not scroll sideways (the document's width can hide a clipped child).
 */
export async function elementsPastTheEdge(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		// Inside the page's main column, its content box is the edge (a box cut by its margin is
		// as broken as one cut by the screen).
		const main = document.querySelector('main');
		const mainRight = main
			? main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight)
			: width;
		const out: string[] = [];
		const scrollsSideways = (el: Element | null): boolean => {
			for (let p = el?.parentElement; p; p = p.parentElement) {
				const style = getComputedStyle(p);
				if (/(auto|scroll)/.test(style.overflowX) && p.scrollWidth > p.clientWidth) return true;
			}
			return false;
		};
		for (const el of document.body.querySelectorAll('*')) {
			const rect = el.getBoundingClientRect();
			if (rect.width === 0 || rect.height === 0) continue;
			const style = getComputedStyle(el);
			if (style.visibility === 'hidden' || style.position === 'fixed') continue;
			if (el.closest('.visually-hidden')) continue;
			const edge = main && main !== el && main.contains(el) ? Math.min(width, mainRight) : width;
			if (rect.right <= edge + 0.5 && rect.left >= -0.5) continue;
			if (scrollsSideways(el)) continue;
			const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
			out.push(`${name} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
		}
		return out;
	});
}

/** Asserts nothing on the page sticks out of a 360 px screen (or out of the main column). */
export async function expectNothingPastTheEdge(page: Page, where: string): Promise<void> {
	expect(await elementsPastTheEdge(page), `elements past the screen's edge ${where}`).toEqual([]);
}

/** Rows of an IndexedDB table of Recall's store, read in the page. */
export async function storeRows<T = Record<string, unknown>>(
	page: Page,
	table: string
): Promise<T[]> {
	return page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('recall');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		try {
			return await new Promise<T[]>((resolve, reject) => {
				const get = db.transaction(name).objectStore(name).getAll();
				get.onsuccess = () => resolve(get.result as T[]);
				get.onerror = () => reject(get.error);
			});
		} finally {
			db.close();
		}
	}, table);
}

/** Opens the deck list and returns what a deck's row says ("3 new", …), once counts are read. */
export async function deckCounts(
	page: Page,
	title: string
): Promise<{ new: string; learning: string; due: string }> {
	await page.goto('/');
	await waitForDeckCounts(page);
	const link = page.getByRole('link', { name: `Study ${title}`, exact: true });
	await link.waitFor({ timeout: 15_000 });
	const id = await link.getAttribute('aria-describedby');
	const counts = page.locator(`[id="${id}"]`);
	return {
		new: (await counts.locator('.new').textContent()) ?? '',
		learning: (await counts.locator('.learning').textContent()) ?? '',
		due: (await counts.locator('.due').textContent()) ?? ''
	};
}

/** Whether the element is inside the visible part of the viewport (not under the tab bar). */
export async function inView(page: Page, selector: string): Promise<boolean> {
	return page.evaluate((sel) => {
		const el = document.querySelector(sel);
		if (!el) return false;
		const rect = el.getBoundingClientRect();
		const nav = [...document.querySelectorAll('nav')].find(
			(n) => getComputedStyle(n).position === 'fixed'
		);
		const bottom = nav ? nav.getBoundingClientRect().top : window.innerHeight;
		return rect.height > 0 && rect.top >= 0 && rect.bottom <= bottom + 0.5;
	}, selector);
}
