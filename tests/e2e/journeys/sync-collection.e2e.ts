/**
 * The whole collection syncs, not only reviews (production build + the real sync server on one
 * origin, as `npm start` runs them). Phone A adds notes and a deck and studies; phone B signs in
 * and sees them and studies one; both, offline, edit different fields of one note and the same
 * field of another; back online both show both edits / the later one; a note deleted on A goes
 * on B; a third phone signs in and gets everything. What the user sees is checked, and what
 * IndexedDB holds: the same notes, decks, review log and card states, nothing doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, buildServer } from '../../../scripts/build-server.mjs';
import { axeViolations } from '../axe';
import { launch } from '../browser';
import { expectFitsScreen } from './settings-helpers';
import {
	OFFLINE_NOISE,
	expectNoHorizontalOverflow,
	startJourney,
	waitForDeckCounts,
	type Journey
} from '../journey';

const SYNC_PORT = 4311;
const SERVER = `http://localhost:${SYNC_PORT}`;
const NAME = 'Collection family';
const PASSWORD = 'correct horse battery';
const ALLOW = [...OFFLINE_NOISE, /Failed to fetch/];

let server: ChildProcess | undefined;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
	await buildServer();
	dataDir = mkdtempSync(join(tmpdir(), 'recall-sync-collection-e2e-'));
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

const go = (page: Page, path: string) => page.goto(`${SERVER}${path}`);

async function signIn(page: Page, create: boolean, name = NAME) {
	await go(page, '/settings');
	const section = page.getByRole('region', { name: 'Sync' });
	await expect.poll(() => section.getByLabel('Server').inputValue()).toBe(SERVER);
	await section.getByLabel('Name').fill(name);
	await section.getByLabel('Password').fill(PASSWORD);
	await section.getByRole('button', { name: create ? 'Create account' : 'Sign in' }).click();
	await expect
		.poll(() => section.getByTestId('sync-status').textContent(), { timeout: 60_000 })
		.toBe('Synced just now');
}

async function syncNow(page: Page) {
	await go(page, '/settings');
	const section = page.getByRole('region', { name: 'Sync' });
	// "Synced just now" may still be showing from the sync before: wait for this one's pull.
	const pulled = page.waitForResponse((r) => r.url().includes('/api/pull'), { timeout: 60_000 });
	await section.getByRole('button', { name: 'Sync now' }).click();
	await pulled;
	await expect
		.poll(() => section.getByTestId('sync-status').textContent(), { timeout: 60_000 })
		.toBe('Synced just now');
}

async function addNote(page: Page, deck: string | null, front: string, back: string) {
	await go(page, '/add');
	const choice = page.getByLabel('Deck', { exact: true });
	await choice.waitFor();
	if (deck !== null) {
		const has = await choice.locator('option', { hasText: deck }).count();
		if (has === 0) {
			await page.getByRole('button', { name: 'New deck' }).tap();
			await page.getByLabel('Name of the new deck').fill(deck);
			await page.getByRole('button', { name: 'Create', exact: true }).tap();
		} else await choice.selectOption({ label: deck });
		await expect.poll(() => choice.locator('option:checked').textContent()).toBe(deck);
	}
	await page.getByLabel('Front', { exact: true }).fill(front);
	await page.getByLabel('Back', { exact: true }).fill(back);
	await page.getByRole('button', { name: 'Add note' }).tap();
	await expect
		.poll(() => page.locator('form .added[role="status"]').textContent(), { timeout: 10_000 })
		.toMatch(/^Added a note with 1 card to /);
}

/** Studies the first card of the deck titled `title`, grading it `grade`; returns what it asked. */
async function studyOne(page: Page, title: string, grade: string): Promise<string> {
	const before = (await store(page)).reviews.length;
	await go(page, '/');
	await waitForDeckCounts(page);
	await page.getByRole('link', { name: `Study ${title}`, exact: true }).tap();
	await page.getByRole('button', { name: 'Show answer' }).waitFor();
	const question = (await page.locator('main').textContent()) ?? '';
	await page.getByRole('button', { name: 'Show answer' }).tap();
	await page.getByRole('button', { name: new RegExp(`^${grade}`) }).tap();
	await page.getByRole('button', { name: 'Undo' }).waitFor();
	// The answer is in IndexedDB before the device moves on.
	await expect
		.poll(async () => (await store(page)).reviews.length, { timeout: 10_000 })
		.toBe(before + 1);
	return question;
}

async function browseFor(page: Page, query: string): Promise<string[]> {
	await go(page, '/browse');
	// The first search (every card) has its count: the page is live.
	await expect
		.poll(() => page.locator('.summary p').textContent(), { timeout: 20_000 })
		.toMatch(/^\d+ cards?$/);
	const box = page.getByRole('searchbox', { name: 'Search cards' });
	await box.fill(query);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page
		.locator('.browse[data-status="ready"]')
		.and(page.locator(`[data-searched="${query}"]`))
		.waitFor({ timeout: 20_000 });
	return page.locator('[role=row] [data-front]').allTextContents();
}

/** Deletes the note of the first card found for `query`, from Browse's bulk actions. */
async function deleteNote(page: Page, query: string) {
	await browseFor(page, query);
	await page
		.getByRole('checkbox', { name: /^Select “/ })
		.first()
		.tap();
	await page.getByText('More actions').click();
	await page.getByRole('button', { name: 'Delete', exact: true }).tap();
	await page.getByRole('status').getByText('Deleted 1 note with 1 card.').waitFor();
}

/** Opens the first card found for `query` in Browse and sets the note's field `label` to `text`. */
async function editField(page: Page, query: string, label: string, text: string) {
	expect((await browseFor(page, query)).length).toBeGreaterThan(0);
	await page.locator('[role=row] [data-front]').first().click();
	const info = page.getByRole('dialog', { name: 'Card info' });
	await info.getByRole('button', { name: 'Edit note' }).click();
	await page.getByRole('dialog').getByLabel(label, { exact: true }).fill(text);
	await page.getByRole('dialog').getByRole('button', { name: 'Save note' }).click();
	await page.getByRole('status').getByText('Note saved.').waitFor();
	await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
}

/** The answer side of the first card found for `query`, as Card info shows it. */
async function cardInfoText(page: Page, query: string): Promise<string> {
	await browseFor(page, query);
	await page.locator('[role=row] [data-front]').first().click();
	const info = page.getByRole('dialog', { name: 'Card info' });
	await info.waitFor();
	// The panel loads its contents after it opens.
	await expect.poll(async () => (await info.textContent()) ?? '').not.toContain('Loading…');
	const text = (await info.textContent()) ?? '';
	await info.getByRole('button', { name: 'Close' }).click();
	return text;
}

interface Store {
	notes: Record<string, { fields: Record<string, string>; deckId: string; tags: string[] }>;
	decks: [string, string][];
	reviews: string[];
	cards: Record<string, unknown>;
}

/** Notes, decks, the review log (stable ids) and every card's state, read from IndexedDB. */
function store(page: Page): Promise<Store> {
	return page.evaluate(
		() =>
			new Promise<Store>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['notes', 'decks', 'revlog', 'cards'], 'readonly');
					const get = (name: string) => tx.objectStore(name).getAll();
					const [notes, decks, revlog, cards] = ['notes', 'decks', 'revlog', 'cards'].map(get);
					tx.oncomplete = () => {
						const out: Store = { notes: {}, decks: [], reviews: [], cards: {} };
						for (const n of notes!.result as (Store['notes'][string] & { id: string })[]) {
							out.notes[n.id] = { fields: n.fields, deckId: n.deckId, tags: n.tags };
						}
						out.decks = (decks!.result as { id: string; title: string }[])
							.map((d): [string, string] => [d.id, d.title])
							.sort();
						out.reviews = (
							revlog!.result as { cardId: string; reviewedAt: number; rating: number }[]
						)
							.map((r) => `${r.cardId}@${r.reviewedAt}.${r.rating}`)
							.sort();
						for (const c of cards!.result as Record<string, unknown>[]) {
							const state = { ...c };
							// `rev` counts this device's writes: not part of the card's state.
							delete state.rev;
							out.cards[c.id as string] = state;
						}
						db.close();
						resolve(out);
					};
				};
			})
	);
}

/** A 2×2 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
	'base64'
);

/** The media table: each file's name and size. */
function mediaOf(page: Page): Promise<[string, number][]> {
	return page.evaluate(
		() =>
			new Promise<[string, number][]>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const all = db.transaction('media').objectStore('media').getAll();
					all.onsuccess = () => {
						db.close();
						resolve(
							(all.result as { name: string; data: Blob }[])
								.map((m): [string, number] => [m.name, m.data.size])
								.sort()
						);
					};
					all.onerror = () => reject(all.error);
				};
			})
	);
}

const mine = (s: Store) =>
	Object.entries(s.notes).filter(([, n]) =>
		Object.values(n.fields).some((v) => /Peru|hablar|comer|Lisbon/.test(v))
	);

describe('the whole collection syncs', () => {
	let a: Journey;
	let b: Journey;
	let c: Journey;

	it('notes, decks, edits (different fields and the same field), deletions and studies reach every device', async () => {
		a = await startJourney({ browser, allow: ALLOW });
		b = await startJourney({ browser, allow: ALLOW, colorScheme: 'dark' });
		await go(a.page, '/');
		await waitForDeckCounts(a.page);
		await go(b.page, '/');
		await waitForDeckCounts(b.page);

		// A: a note before signing in (it is pushed too: no question asked), then sign in, a deck.
		await addNote(a.page, null, 'Capital of Peru?', 'Lima');
		await signIn(a.page, true);
		await addNote(a.page, 'Spanish', 'hablar', 'to speak');
		await addNote(a.page, 'Spanish', 'comer', 'to eat');
		expect(await studyOne(a.page, 'My cards', 'Good')).toContain('Capital of Peru?');
		await syncNow(a.page);

		// B signs in: A's decks and notes are there, and B studies A's new card.
		await signIn(b.page, false);
		await go(b.page, '/');
		await waitForDeckCounts(b.page);
		await b.page.getByRole('link', { name: 'Study Spanish', exact: true }).waitFor();
		await b.page.getByRole('link', { name: 'Study My cards', exact: true }).waitFor();
		const asked = await studyOne(b.page, 'Spanish', 'Good');
		expect(asked).toMatch(/hablar|comer/);
		expect(await browseFor(b.page, 'Peru')).toEqual(['Capital of Peru?']);
		await expectNoHorizontalOverflow(b.page);
		expect(await axeViolations(b.page)).toEqual([]);
		await syncNow(b.page);

		// Both offline: different fields of "hablar", and the same field of "comer" (B's later).
		await a.context.setOffline(true);
		await b.context.setOffline(true);
		await editField(a.page, 'hablar', 'Front', 'hablar (verb)');
		await editField(b.page, 'hablar', 'Back', 'to talk');
		await editField(a.page, 'comer', 'Back', 'to eat (A)');
		await editField(b.page, 'comer', 'Back', 'to eat, to have lunch');
		await go(a.page, '/settings');
		await expect
			.poll(() => a.page.getByTestId('sync-status').textContent(), { timeout: 15_000 })
			.toMatch(/^Offline — \d+ changes? waiting$/);

		await a.context.setOffline(false);
		await b.context.setOffline(false);
		await syncNow(a.page);
		await syncNow(b.page);
		await syncNow(a.page);
		for (const page of [a.page, b.page]) {
			expect(await browseFor(page, 'hablar')).toEqual(['hablar (verb)']);
			expect(await cardInfoText(page, 'hablar')).toContain('to talk');
			expect(await cardInfoText(page, 'comer')).toContain('to eat, to have lunch');
		}

		// A deletes a note: it goes on B too.
		await deleteNote(a.page, 'Peru');
		await syncNow(a.page);
		await syncNow(b.page);
		expect(await browseFor(b.page, 'Peru')).toEqual([]);

		// A adds a note with a picture: B gets the file by its hash and shows it.
		await go(a.page, '/add');
		await a.page.getByLabel('Deck', { exact: true }).selectOption({ label: 'Spanish' });
		await a.page.getByLabel('Front', { exact: true }).fill('Capital of Portugal?');
		await a.page.getByLabel('Back', { exact: true }).fill('Lisbon ');
		await a.page
			.getByLabel('Add picture')
			.nth(1)
			.setInputFiles({ name: 'lisbon.png', mimeType: 'image/png', buffer: PNG });
		await expect
			.poll(() => a.page.getByLabel('Back', { exact: true }).inputValue())
			.toMatch(/<img src="img-[^"]+\.png"/);
		await a.page.getByRole('button', { name: 'Add note' }).tap();
		await expect
			.poll(() => a.page.locator('form .added[role="status"]').textContent(), { timeout: 10_000 })
			.toMatch(/^Added a note with 1 card to /);
		await syncNow(a.page);
		await syncNow(b.page);
		expect(await mediaOf(b.page)).toEqual(await mediaOf(a.page));
		expect((await mediaOf(b.page))[0]?.[1]).toBe(PNG.length);
		await browseFor(b.page, 'Portugal');
		await b.page.locator('[role=row] [data-front]').first().click();
		const info = b.page.getByRole('dialog', { name: 'Card info' });
		await expect
			.poll(
				() =>
					info
						.locator('img')
						.evaluateAll((imgs) => imgs.some((i) => (i as HTMLImageElement).naturalWidth > 0)),
				{ timeout: 10_000 }
			)
			.toBe(true);
		await info.getByRole('button', { name: 'Close' }).click();

		const [sa, sb] = [await store(a.page), await store(b.page)];
		expect(sb.notes).toEqual(sa.notes);
		expect(sb.decks).toEqual(sa.decks);
		expect(sb.reviews).toEqual(sa.reviews);
		expect(sb.cards).toEqual(sa.cards);
		// Nothing doubled: two notes of the user's, one "Spanish" and one "My cards" deck.
		expect(mine(sa)).toHaveLength(3);
		expect(sa.decks.filter(([, t]) => t === 'Spanish')).toHaveLength(1);
		expect(sa.decks.filter(([, t]) => t === 'My cards')).toHaveLength(1);
		// A's review went with the deleted note's card; B's review of A's card is on both.
		expect(sa.reviews).toHaveLength(1);
		expect(sa.reviews[0]).toMatch(/^note-[^@]+\/0@\d+\.3$/);
		expect((sa.cards[sa.reviews[0]!.split('@')[0]!] as { reps: number }).reps).toBe(1);

		// A third phone signs in and gets everything.
		c = await startJourney({ browser, allow: ALLOW });
		await go(c.page, '/');
		await waitForDeckCounts(c.page);
		await signIn(c.page, false);
		const sc = await store(c.page);
		expect(sc.notes).toEqual(sa.notes);
		expect(sc.decks).toEqual(sa.decks);
		expect(sc.reviews).toEqual(sa.reviews);
		expect(sc.cards).toEqual(sa.cards);
		expect(await browseFor(c.page, 'hablar')).toEqual(['hablar (verb)']);
		expect(await mediaOf(c.page)).toEqual(await mediaOf(a.page));
		await c.finish();
		await a.finish();
		await b.finish();
	}, 300_000);
	it('a backup restored on a signed-in phone reaches the other: the deleted note comes back with its history, the note added since goes, the review given since stays', async () => {
		const family = 'Restore family';
		a = await startJourney({ browser, allow: ALLOW });
		b = await startJourney({ browser, allow: ALLOW, colorScheme: 'dark' });
		await signIn(a.page, true, family);
		await addNote(a.page, 'Italian', 'parlare', 'to speak');
		expect(await studyOne(a.page, 'Italian', 'Good')).toContain('parlare');
		await syncNow(a.page);
		await signIn(b.page, false, family);
		expect(await browseFor(b.page, 'parlare')).toEqual(['parlare']);

		// A downloads a backup: the file holds the collection, not A's sign-in.
		await go(a.page, '/settings');
		const [download] = await Promise.all([
			a.page.waitForEvent('download'),
			a.page.getByRole('button', { name: 'Download backup' }).click()
		]);
		const file = await download.path();
		const text = readFileSync(file, 'utf8');
		expect(text).toContain('parlare');
		expect(text).not.toContain('sync:account');

		// Since the backup: A deletes the note and adds another; B studies a built-in card.
		await deleteNote(a.page, 'parlare');
		await addNote(a.page, 'Italian', 'mangiare', 'to eat');
		await studyOne(b.page, 'Trotsky and the Red Army', 'Easy');
		await syncNow(a.page);
		await syncNow(b.page);
		await syncNow(a.page);
		expect(await browseFor(b.page, 'parlare')).toEqual([]);
		expect(await browseFor(b.page, 'mangiare')).toEqual(['mangiare']);

		// A restores the backup: the confirmation says what a signed-in restore does.
		await go(a.page, '/settings');
		await a.page.getByLabel('Restore from backup').setInputFiles(file);
		const confirm = a.page.getByRole('group', { name: /^Replace everything in Recall with/ });
		await confirm.waitFor();
		const asked = (await confirm.textContent())!.replace(/\s+/g, ' ');
		expect(asked).toContain('on your other devices too at the next sync');
		expect(asked).toContain('No review is removed');
		await expectFitsScreen(a.page);
		await a.page.getByRole('button', { name: 'Replace everything' }).click();
		await expect
			.poll(() => a.page.locator('#backup [role="status"]').textContent(), { timeout: 15_000 })
			.toMatch(/^Restored \d+ decks?, \d+ notes?, \d+ cards?, 1 review and 0 media files from /);
		await syncNow(a.page);
		await syncNow(b.page);
		await syncNow(a.page);
		for (const page of [a.page, b.page]) {
			expect(await browseFor(page, 'parlare')).toEqual(['parlare']);
			expect(await browseFor(page, 'mangiare')).toEqual([]);
		}
		const [sa, sb] = [await store(a.page), await store(b.page)];
		expect(sb.notes).toEqual(sa.notes);
		expect(sb.decks).toEqual(sa.decks);
		expect(sb.cards).toEqual(sa.cards);
		// A's review of "parlare" (back with its note on B) and B's review given after the backup.
		expect(sb.reviews).toEqual(sa.reviews);
		expect(sa.reviews).toHaveLength(2);
		await a.finish();
		await b.finish();
	}, 300_000);
});
