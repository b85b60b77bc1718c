/**
 * What the Browse journeys share: the built-in decks as the user gets them (read from decks/*.md,
 * so a deck edit changes the expectations with it), and the steps a person takes on /browse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { parseMarkdownDeck } from '../../../src/lib/core/decks/markdown-deck';
import { cardStubs, noteRecords } from '../../../src/lib/core/decks/records';
import type { Note } from '../../../src/lib/core/model';

const root = resolve(import.meta.dirname, '../../..');

export const builtinDecks = readdirSync(join(root, 'decks'))
	.filter((f) => f.endsWith('.md'))
	.map((f) => parseMarkdownDeck(readFileSync(join(root, 'decks', f), 'utf8'), `decks/${f}`));

const notes: Note[] = builtinDecks.flatMap((d) => noteRecords(d, 0));

/** Every tag the built-in decks use, with how many cards carry it. */
export function builtinTags(): Map<string, number> {
	const tags = new Map<string, number>();
	for (const note of notes) {
		const cards = cardStubs(note).length;
		for (const tag of note.tags) tags.set(tag, (tags.get(tag) ?? 0) + cards);
	}
	return tags;
}

/** A hyphenated word in the built-in notes' fields ("good-looking"), and how many cards have it. */
export function hyphenatedWord(): { word: string; cards: number } {
	for (const note of notes) {
		for (const value of Object.values(note.fields)) {
			const word = /\b[a-z]+-[a-z]+(?:-[a-z]+)*\b/i.exec(value)?.[0];
			if (!word) continue;
			const lower = word.toLowerCase();
			const cards = notes
				.filter((n) => Object.values(n.fields).some((v) => v.toLowerCase().includes(lower)))
				.reduce((sum, n) => sum + cardStubs(n).length, 0);
			return { word, cards };
		}
	}
	throw new Error('No hyphenated word in the built-in decks');
}

export const builtinCardCount = notes.reduce((sum, n) => sum + cardStubs(n).length, 0);

/** The line above the results: "12 cards", "No cards match …", "Searching…". */
export const summary = (page: Page): Locator => page.locator('.summary p');

/** Opens /browse and waits until the first search (every card) has its count. */
export async function openBrowse(page: Page): Promise<void> {
	await page.goto('/browse');
	await expect.poll(() => summary(page).textContent(), { timeout: 20_000 }).toMatch(/^\d+ cards?$/);
}

/** Types a search and presses Search, as a person does. */
export async function search(page: Page, query: string): Promise<void> {
	const box = page.getByRole('searchbox', { name: 'Search cards' });
	await box.fill(query);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
}

/** Waits for the search `query` to finish and returns its count (0 for "No cards match …"). */
export async function found(page: Page, query: string): Promise<number> {
	await page
		.locator('.browse[data-status="ready"]')
		.and(page.locator(`[data-searched="${query.replace(/["\\]/g, '\\$&')}"]`))
		.waitFor({ timeout: 20_000 });
	await expect
		.poll(() => summary(page).textContent(), { timeout: 5_000 })
		.toMatch(/^(\d+ cards?|No cards match .*)$/);
	const text = (await summary(page).textContent()) ?? '';
	if (text.startsWith('No cards match')) {
		expect(text).toBe(`No cards match “${query}”.`);
		return 0;
	}
	return Number(text.split(' ')[0]);
}

/** The questions of the rows on screen. */
export async function rowQuestions(page: Page): Promise<string[]> {
	return page.locator('[role=row] [data-front]').allTextContents();
}

/** Nothing on the page reads like a program's error ("Invalid regular expression", "failed"). */
export async function expectNoRawError(page: Page): Promise<void> {
	const text = (await page.locator('main').textContent()) ?? '';
	expect(text).not.toMatch(
		/Invalid regular expression|SyntaxError|TypeError|Error:|The search failed|undefined|\bnull\b/
	);
}
