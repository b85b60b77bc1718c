/**
 * What the study journeys share: opening a built-in deck as a person does, reading the counts the
 * screen shows, real touch gestures (Chromium's DevTools Input.dispatchTouchEvent, so the browser
 * decides between a scroll and a swipe as it does for a finger), and reading IndexedDB as stored.
 */
import { expect } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { waitForDeckCounts } from '../journey';

export const DECK = 'trotsky-assassination';
export const DECK_TITLE = 'The Assassination of Leon Trotsky';

/** The study screen's counts, as read out: "20 new, 0 learning, 0 to review". */
export async function studyCounts(page: Page): Promise<string> {
	return (await page.locator('.study .counts').first().getAttribute('aria-label')) ?? '';
}

/** Which queue the card on screen is in, as the counts bar describes it: "Showing a new card". */
export async function studyCountsDescription(page: Page): Promise<string> {
	const id = await page.locator('.study .counts').first().getAttribute('aria-describedby');
	return id ? ((await page.locator(`[id="${id}"]`).textContent()) ?? '') : '';
}

/** The numbers of the study screen's counts. */
export async function studyNumbers(
	page: Page
): Promise<{ new: number; learning: number; review: number }> {
	const label = await studyCounts(page);
	const m = /^(\d+) new, (\d+) learning, (\d+) to review$/.exec(label);
	expect(m, `study counts "${label}"`).not.toBeNull();
	return { new: Number(m![1]), learning: Number(m![2]), review: Number(m![3]) };
}

/** The deck list's counts line of a deck, as shown ("19 new 1 learning 0 due …"). */
export async function deckListCounts(page: Page, deckId = DECK): Promise<string> {
	return ((await page.locator(`#counts-${deckId}`).textContent()) ?? '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** First run: the deck list, then a tap on the deck's "Study …" link. */
export async function openDeckFromList(page: Page, title = DECK_TITLE): Promise<void> {
	await page.goto('/');
	await waitForDeckCounts(page);
	await page.getByRole('link', { name: `Study ${title}` }).click();
	await page.waitForURL(/\/study\//);
	await page.getByRole('button', { name: 'Show answer' }).waitFor();
}

type IdbOp = { kind: 'all'; store: string } | { kind: 'put'; store: string; values: unknown[] };

/** One read (every row of a store) or write (rows put) on the app's IndexedDB, from the page. */
async function idb(page: Page, op: IdbOp): Promise<unknown[]> {
	return page.evaluate(async (op) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('recall');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		try {
			return await new Promise<unknown[]>((resolve, reject) => {
				if (op.kind === 'all') {
					const req = db.transaction(op.store).objectStore(op.store).getAll();
					req.onsuccess = () => resolve(req.result);
					req.onerror = () => reject(req.error);
				} else {
					const tx = db.transaction(op.store, 'readwrite');
					for (const v of op.values) tx.objectStore(op.store).put(v);
					tx.oncomplete = () => resolve([]);
					tx.onerror = () => reject(tx.error);
				}
			});
		} finally {
			db.close();
		}
	}, op);
}

export interface StoredCard {
	id: string;
	noteId: string;
	deckId: string;
	queue: number;
	buriedUntil?: number;
}

export const storedRows = <R>(page: Page, store: string): Promise<R[]> =>
	idb(page, { kind: 'all', store }) as Promise<R[]>;

export const putRows = async (page: Page, store: string, values: unknown[]): Promise<void> => {
	await idb(page, { kind: 'put', store, values });
};

/** How many review-log rows are stored. */
export const revlogCount = async (page: Page): Promise<number> =>
	(await storedRows(page, 'revlog')).length;

/** Cards of `deckId` buried (queue -2) as stored. */
export const buriedCount = async (page: Page, deckId = DECK): Promise<number> =>
	(await storedRows<StoredCard>(page, 'cards')).filter((c) => c.deckId === deckId && c.queue === -2)
		.length;

/** Sets the default preset's new cards a day (changing it in Settings is another journey's). */
export async function setNewPerDay(page: Page, n: number): Promise<void> {
	const presets = await storedRows<{ id: string; newPerDay: number }>(page, 'presets');
	const preset = presets.find((p) => p.id === 'default');
	expect(preset, 'the default preset is stored').toBeDefined();
	await putRows(page, 'presets', [{ ...preset, newPerDay: n }]);
}

/** A finger on the touchscreen, moved in small steps as a real one is (about 60 events a second). */
export class Finger {
	#cdp: CDPSession | undefined;
	#at = { x: 0, y: 0 };
	constructor(private readonly page: Page) {}

	async #send(type: 'touchStart' | 'touchMove' | 'touchEnd', points: { x: number; y: number }[]) {
		this.#cdp ??= await this.page.context().newCDPSession(this.page);
		await this.#cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: points.map((p) => ({ x: p.x, y: p.y, id: 1, radiusX: 4, radiusY: 4, force: 1 }))
		});
	}

	async down(x: number, y: number): Promise<void> {
		this.#at = { x, y };
		await this.#send('touchStart', [this.#at]);
	}

	/** Moves by (dx, dy) in `steps` moves, `stepMs` apart. */
	async move(dx: number, dy: number, steps = 10, stepMs = 16): Promise<void> {
		const from = this.#at;
		for (let i = 1; i <= steps; i++) {
			this.#at = { x: from.x + (dx * i) / steps, y: from.y + (dy * i) / steps };
			await this.#send('touchMove', [this.#at]);
			await this.page.waitForTimeout(stepMs);
		}
	}

	async up(): Promise<void> {
		await this.#send('touchEnd', []);
	}

	async detach(): Promise<void> {
		await this.#cdp?.detach();
		this.#cdp = undefined;
	}
}

/** The centre of the card on screen. */
export async function cardCentre(page: Page): Promise<{ x: number; y: number }> {
	const box = (await page.locator('.study .card').boundingBox())!;
	return { x: box.x + box.width / 2, y: Math.min(box.y + box.height / 2, 500) };
}
