/**
 * Against `npm start`'s setup: the production build and the sync server on one origin.
 * Two phones (separate profiles) sign in to one account on the real sync server, study offline —
 * the same card on both and different cards — and come back online: both hold the same review
 * log, every review once, and the same card states. A third device signs in and gets it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, buildServer } from '../../../scripts/build-server.mjs';
import { axeViolations } from '../axe';
import { launch } from '../browser';
import { OFFLINE_NOISE, startJourney, waitForDeckCounts, type Journey } from '../journey';

const SYNC_PORT = 4194;
const SERVER = `http://localhost:${SYNC_PORT}`;
const NAME = 'Family phone';
const PASSWORD = 'correct horse battery';
/** The app fetching the sync server while offline or before it answers. */
const ALLOW = [...OFFLINE_NOISE, /Failed to fetch/];

let server: ChildProcess | undefined;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
	await buildServer();
	dataDir = mkdtempSync(join(tmpdir(), 'recall-sync-e2e-'));
	server = spawn(process.execPath, [SERVER_BUNDLE], {
		env: {
			...process.env,
			DATABASE_URL: '',
			RECALL_DATA: dataDir,
			PORT: String(SYNC_PORT),
			BUILD_DIR: 'build'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const until = Date.now() + 90_000;
	for (;;) {
		try {
			if ((await fetch(`${SERVER}/api/health`)).ok) break;
		} catch {
			if (Date.now() > until) throw new Error('the sync server did not start');
			await new Promise((r) => setTimeout(r, 300));
		}
	}
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
	server?.kill();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The Sync section fits the phone's width (the rest of Settings is another section's concern). */
async function expectSectionFits(page: Page) {
	const right = await page
		.getByRole('region', { name: 'Sync' })
		.evaluate((el) =>
			Math.max(...[el, ...el.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right))
		);
	expect(right).toBeLessThanOrEqual(360);
}

const go = (page: Page, path: string) => page.goto(`${SERVER}${path}`);

async function signIn(page: Page, create: boolean, name = NAME) {
	await go(page, '/settings');
	const section = page.getByRole('region', { name: 'Sync' });
	// The server field starts as the app's own origin.
	await expect.poll(() => section.getByLabel('Server').inputValue()).toBe(SERVER);
	expect(await axeViolations(page)).toEqual([]);
	await expectSectionFits(page);
	await section.getByLabel('Name').fill(name);
	await section.getByLabel('Password').fill(PASSWORD);
	await section.getByRole('button', { name: create ? 'Create account' : 'Sign in' }).click();
	await expect
		.poll(() => section.getByTestId('sync-status').textContent(), { timeout: 30_000 })
		.toMatch(/^Synced just now$/);
}

/** Grades the first cards of a deck; returns once every answer is in IndexedDB. */
async function study(page: Page, deckIndex: number, grades: string[]) {
	const before = (await snapshot(page)).reviews.length;
	await go(page, '/');
	await waitForDeckCounts(page);
	await page
		.getByRole('link', { name: /^Study / })
		.nth(deckIndex)
		.click();
	await page.waitForURL(/\/study\//);
	for (const grade of grades) {
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: new RegExp(`^${grade}`) }).click();
		await page.getByRole('button', { name: 'Undo' }).waitFor();
	}
	await expect
		.poll(async () => (await snapshot(page)).reviews.length, { timeout: 10_000 })
		.toBe(before + grades.length);
}

interface Snapshot {
	reviews: string[];
	cards: Record<string, unknown>;
}

/** The review log (stable ids) and the studied cards' states, read from IndexedDB. */
function snapshot(page: Page): Promise<Snapshot> {
	return page.evaluate(
		() =>
			new Promise<Snapshot>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['revlog', 'cards'], 'readonly');
					const logReq = tx.objectStore('revlog').getAll();
					const cardReq = tx.objectStore('cards').getAll();
					tx.oncomplete = () => {
						const reviews = (
							logReq.result as { cardId: string; reviewedAt: number; rating: number }[]
						)
							.map((r) => `${r.cardId}@${r.reviewedAt}.${r.rating}`)
							.sort();
						const cards: Record<string, unknown> = {};
						for (const c of cardReq.result as Record<string, unknown>[]) {
							if ((c.reps as number) > 0) {
								// `rev` counts this device's writes: not part of the card's state.
								const state = { ...c };
								delete state.rev;
								cards[c.id as string] = state;
							}
						}
						db.close();
						resolve({ reviews, cards });
					};
				};
			})
	);
}

async function syncNow(page: Page) {
	await go(page, '/settings');
	const section = page.getByRole('region', { name: 'Sync' });
	// "Synced just now" may still be showing from the sync before: wait for this one's pull.
	const pulled = page.waitForResponse((r) => r.url().includes('/api/pull'), { timeout: 60_000 });
	await section.getByRole('button', { name: 'Sync now' }).click();
	await pulled;
	await expect
		.poll(() => section.getByTestId('sync-status').textContent(), { timeout: 30_000 })
		.toBe('Synced just now');
}

describe('sync between devices', () => {
	let a: Journey;
	let b: Journey;

	it('two devices offline, back online: the same reviews once each and the same card states; a third gets it all', async () => {
		a = await startJourney({ browser, allow: ALLOW });
		b = await startJourney({ browser, allow: ALLOW });
		await go(a.page, '/');
		await waitForDeckCounts(a.page);
		await go(b.page, '/');
		await waitForDeckCounts(b.page);
		await signIn(a.page, true);
		await signIn(b.page, false);

		await a.context.setOffline(true);
		await b.context.setOffline(true);
		// The same first card of the first deck on both, then different cards.
		await study(a.page, 0, ['Good', 'Again', 'Good']);
		await study(b.page, 0, ['Easy']);
		await study(b.page, 1, ['Hard', 'Good']);
		await go(a.page, '/settings');
		await expect
			.poll(() => a.page.getByTestId('sync-status').textContent(), { timeout: 15_000 })
			.toMatch(/^Offline — 3 reviews waiting$/);

		await a.context.setOffline(false);
		await b.context.setOffline(false);
		await syncNow(a.page);
		await syncNow(b.page);
		await syncNow(a.page);

		const [sa, sb] = [await snapshot(a.page), await snapshot(b.page)];
		expect(sa.reviews).toHaveLength(6);
		expect(new Set(sa.reviews).size).toBe(6);
		expect(sb.reviews).toEqual(sa.reviews);
		expect(sb.cards).toEqual(sa.cards);
		// The card studied on both counts both reviews, in time order.
		const both = Object.values(sa.cards).filter((c) => (c as { reps: number }).reps >= 2);
		expect(both.length).toBeGreaterThanOrEqual(1);

		const c = await startJourney({ browser, allow: ALLOW });
		await go(c.page, '/');
		await waitForDeckCounts(c.page);
		await signIn(c.page, false);
		const sc = await snapshot(c.page);
		expect(sc.reviews).toEqual(sa.reviews);
		expect(sc.cards).toEqual(sa.cards);
		// The device list shows the three devices; another device can be signed out from here.
		const section = c.page.getByRole('region', { name: 'Sync' });
		const devices = section.getByRole('listitem');
		await expect.poll(() => devices.count(), { timeout: 10_000 }).toBe(3);
		expect(await axeViolations(c.page)).toEqual([]);
		await expectSectionFits(c.page);
		const revoke = section.getByRole('button', { name: /^Sign out Chrome/ }).first();
		const box = await revoke.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(48);
		await revoke.click();
		await expect.poll(() => devices.count(), { timeout: 10_000 }).toBe(2);
		// Signing out keeps the collection on the device.
		await section.getByRole('button', { name: 'Sign out', exact: true }).click();
		await section.getByRole('button', { name: 'Create account' }).waitFor();
		expect((await snapshot(c.page)).reviews).toEqual(sa.reviews);
		await c.finish();
		await a.finish();
		await b.finish();
	});

	it('"Reschedule cards" on one device reschedules the other: the same due dates on both', async () => {
		const name = 'Rescheduling family';
		a = await startJourney({ browser, allow: ALLOW });
		b = await startJourney({ browser, allow: ALLOW });
		for (const j of [a, b]) {
			await go(j.page, '/');
			await waitForDeckCounts(j.page);
		}
		await signIn(a.page, true, name);
		await signIn(b.page, false, name);
		await study(a.page, 0, ['Easy', 'Good', 'Easy']);
		await syncNow(a.page);
		await syncNow(b.page);
		const before = await snapshot(b.page);
		expect(before.cards).toEqual((await snapshot(a.page)).cards);

		// On the first device: a lower desired retention, and the offer to reschedule taken.
		await go(a.page, '/settings');
		const form = a.page.getByRole('form', { name: 'Preset Default' });
		await form.waitFor({ timeout: 15_000 });
		await form.getByLabel('Desired retention (number)').fill('0.8');
		await a.page.getByRole('button', { name: 'Save preset' }).click();
		await a.page.getByRole('button', { name: 'Reschedule cards' }).click();
		await expect
			.poll(() => a.page.getByText(/^Rescheduled \d+ cards? from their review history\.$/).count())
			.toBe(1);
		const rescheduled = await snapshot(a.page);
		expect(rescheduled.cards).not.toEqual(before.cards);

		// The second device follows on its next sync: the same states, the same due dates.
		await syncNow(a.page);
		await syncNow(b.page);
		expect((await snapshot(b.page)).cards).toEqual(rescheduled.cards);
		expect((await snapshot(b.page)).reviews).toEqual(rescheduled.reviews);
		await a.finish();
		await b.finish();
	});
});
