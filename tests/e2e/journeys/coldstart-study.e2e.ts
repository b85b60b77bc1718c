/**
 * Issue 16 (cold start): a built-in deck is studied from the card HTML stored with its notes —
 * online and offline, neither the Markdown renderer (marked) nor the sanitizer (DOMPurify) is
 * downloaded — and a card whose HTML could not be stored (raw HTML in a field) is still shown
 * sanitized, with the sanitizer loaded for it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { waitForServiceWorker } from '../browser';
import { expectNoHorizontalOverflow, OFFLINE_NOISE, startJourney } from '../journey';
import { DECK, openDeckFromList, putRows, storedRows, type StoredCard } from './study-helpers';

/** Text only these libraries' code holds (minified or not). */
const MARKED = /marked\(\): input parameter is undefined or null/;
const DOMPURIFY = /uponSanitizeAttribute/;

/** Which of the two libraries the page downloaded, script by script. */
function watchScripts(page: Page): { marked: boolean; purify: boolean } {
	const seen = { marked: false, purify: false };
	page.on('response', async (res) => {
		if (res.request().resourceType() !== 'script') return;
		const body = await res.text().catch(() => '');
		if (MARKED.test(body)) seen.marked = true;
		if (DOMPURIFY.test(body)) seen.purify = true;
	});
	return seen;
}

interface StoredNote {
	id: string;
	deckId: string;
	fields: Record<string, string>;
	html?: { key: string; cards: ({ front: string; back: string } | null)[] };
}

describe('cold start: cards from HTML stored at write time', () => {
	it('studies a built-in deck online and offline without downloading marked or DOMPurify', async () => {
		const j = await startJourney({ allow: OFFLINE_NOISE });
		const { page, context } = j;
		const scripts = watchScripts(page);
		await openDeckFromList(page);

		// Every card of the deck was stored with its HTML, on its note.
		const notes = (await storedRows<StoredNote>(page, 'notes')).filter((n) => n.deckId === DECK);
		const cards = (await storedRows<StoredCard & { ord: number }>(page, 'cards')).filter(
			(c) => c.deckId === DECK
		);
		expect(notes.length).toBeGreaterThan(10);
		const byId = new Map(notes.map((n) => [n.id, n]));
		const unstored = cards.filter((c) => !byId.get(c.noteId)?.html?.cards[c.ord]);
		expect(unstored.map((c) => c.id)).toEqual([]);

		// The question on screen is the stored HTML of that card.
		const front = await page.locator('.study .front').innerHTML();
		const shown = notes.flatMap((n) => n.html?.cards.map((c) => c?.front) ?? []);
		expect(shown).toContain(front);
		await expectNoHorizontalOverflow(page);
		expect(await axeViolations(page)).toEqual([]);

		// Offline, a new start of the study screen (from the service worker's cache).
		await waitForServiceWorker(page);
		await context.setOffline(true);
		await page.goto(`/study/${DECK}`);
		await page.getByRole('button', { name: 'Show answer' }).click();
		const good = page.getByRole('button', { name: /^Good/ });
		await good.waitFor();
		expect((await page.locator('.study .back').textContent())?.trim()).not.toBe('');
		await good.click();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		expect(scripts).toEqual({ marked: false, purify: false });
		await context.setOffline(false);
		await j.finish();
	});

	it('shows a card whose field is raw HTML sanitized, loading the sanitizer for it', async () => {
		const j = await startJourney();
		const { page } = j;
		const scripts = watchScripts(page);
		await openDeckFromList(page);
		// A note written with raw HTML and no stored HTML (as another device's edit would leave it),
		// in a deck of its own.
		const [deck] = (await storedRows<{ id: string }>(page, 'decks')).filter((d) => d.id === DECK);
		const [card] = (await storedRows<StoredCard & Record<string, unknown>>(page, 'cards')).filter(
			(c) => c.deckId === DECK && c.queue === 0
		);
		await putRows(page, 'decks', [{ ...deck, id: 'raw', title: 'Raw HTML', origin: 'user' }]);
		await putRows(page, 'notes', [
			{
				id: 'raw-note',
				deckId: 'raw',
				guid: 'raw-note',
				type: 'basic',
				fields: {
					front: 'A <b onclick="alert(1)" style="color: rgb(200, 0, 0)">bold</b> question',
					back: 'The <i>answer</i><script>alert(2)</script>'
				},
				tags: [],
				position: 0,
				mtime: 1
			}
		]);
		await putRows(page, 'cards', [
			{ ...card, id: 'raw-note/0', noteId: 'raw-note', deckId: 'raw' }
		]);

		await page.goto('/study/raw');
		const bold = page.locator('.study .front b');
		await bold.waitFor();
		expect(await bold.textContent()).toBe('bold');
		expect(await bold.getAttribute('onclick')).toBeNull();
		expect(await bold.getAttribute('style')).toContain('color');
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.locator('.study .back i').waitFor();
		expect(await page.locator('.study .back script').count()).toBe(0);
		expect((await page.locator('.study .back').textContent())?.trim()).toBe('The answer');
		expect(scripts.purify).toBe(true);
		await j.finish();
	});
});
