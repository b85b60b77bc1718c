/**
 * Browse journeys, searching (phone, 360×740, production build): by a word, by every tag the
 * built-in decks use, a quoted hyphenated word, `prop:` after some study, an invalid search and
 * an empty one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from '../browser';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import {
	builtinCardCount,
	builtinDecks,
	builtinTags,
	expectNoRawError,
	found,
	hyphenatedWord,
	openBrowse,
	rowQuestions,
	search,
	summary
} from './browse-helpers';
import { revlogCount } from './study-helpers';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

describe('Browse: searching on a phone', () => {
	it('finds cards by a word', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		expect(await found(page, '')).toBe(builtinCardCount);
		await search(page, 'trotsky');
		const n = await found(page, 'trotsky');
		expect(n).toBeGreaterThan(0);
		expect(n).toBeLessThanOrEqual(builtinCardCount);
		const rows = page.locator('[role=row]').filter({ has: page.locator('[data-front]') });
		expect((await rows.first().textContent())?.toLowerCase()).toContain('trotsky');
		await expect.poll(() => page.getByRole('link', { name: 'Study these' }).count()).toBe(1);
		await expectNoRawError(page);
		await expectNoHorizontalOverflow(page);
		await j.finish();
	});

	it('finds cards by every tag the built-in decks use, hyphenated ones included', async () => {
		const tags = builtinTags();
		expect([...tags.keys()]).toEqual(expect.arrayContaining(['red-army', 'early-life']));
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		for (const [tag, cards] of tags) {
			await search(page, `tag:${tag}`);
			expect(await found(page, `tag:${tag}`), `tag:${tag}`).toBe(cards);
			expect(await page.getByRole('alert').count(), `tag:${tag} shows an error`).toBe(0);
			await expectNoRawError(page);
		}
		await j.finish();
	});

	it('finds a hyphenated word, quoted or not, and a quoted hyphenated phrase is no error', async () => {
		const { word, cards } = hyphenatedWord();
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		for (const query of [word, `"${word}"`]) {
			await search(page, query);
			expect(await found(page, query), query).toBe(cards);
			expect(await page.getByRole('alert').count()).toBe(0);
		}
		for (const query of [
			'"black-and-white"',
			'black-and-white',
			'tag:early-life OR tag:red-army'
		]) {
			await search(page, query);
			await found(page, query);
			expect(await page.getByRole('alert').count(), query).toBe(0);
			await expectNoRawError(page);
		}
		await j.finish();
	});

	it('finds studied cards with prop: (interval and due date) once a card has been studied', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		await search(page, 'prop:ivl>=1');
		expect(await found(page, 'prop:ivl>=1')).toBe(0);
		// Study one card of a built-in deck: Easy makes it a review card due in some days.
		const title = builtinDecks[0]!.title;
		await page.goto('/');
		await page.getByRole('link', { name: `Study ${title}` }).click();
		await page.getByRole('button', { name: 'Show answer' }).click();
		await page.getByRole('button', { name: /^Easy/ }).click();
		await page.getByRole('button', { name: 'Show answer' }).waitFor();
		// The answer's transaction commits while the next card shows: leave once it is stored.
		await expect.poll(() => revlogCount(page)).toBe(1);
		await openBrowse(page);
		for (const query of ['prop:ivl>=1', 'prop:due>=1', `deck:"${title}" prop:due>=1 is:review`]) {
			await search(page, query);
			expect(await found(page, query), query).toBe(1);
		}
		await search(page, 'prop:due<0');
		expect(await found(page, 'prop:due<0')).toBe(0);
		await j.finish();
	});

	it('explains a search it cannot understand, shows no count, and clears it on the next search', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		for (const [query, message] of [
			['tag:(', 'tag: needs a name'],
			['deck:"Trotsky', 'A quote (") is not closed.'],
			['prop:ivl>>3', 'is not understood'],
			['trotsky -', 'must be followed by what to leave out']
		] as const) {
			await search(page, query);
			const alert = page.getByRole('alert');
			await alert.waitFor();
			expect(await alert.textContent(), query).toContain(message);
			expect(await page.locator('.browse').getAttribute('data-status')).toBe('invalid');
			expect(await summary(page).textContent()).not.toMatch(/\d+ cards?|No cards/);
			expect(await page.getByRole('link', { name: 'Study these' }).count()).toBe(0);
			expect(await page.getByRole('table').count()).toBe(0);
			expect(
				await page.getByRole('searchbox', { name: 'Search cards' }).getAttribute('aria-invalid')
			).toBe('true');
			await expectNoRawError(page);
		}
		await search(page, 'trotsky');
		expect(await found(page, 'trotsky')).toBeGreaterThan(0);
		expect(await page.getByRole('alert').count()).toBe(0);
		expect(await rowQuestions(page)).not.toEqual([]);
		await j.finish();
	});

	it('says "No cards match …" when nothing is found', async () => {
		const j = await startJourney({ browser });
		const { page } = j;
		await openBrowse(page);
		await search(page, 'zebra-unicorn');
		expect(await found(page, 'zebra-unicorn')).toBe(0);
		expect(await summary(page).textContent()).toBe('No cards match “zebra-unicorn”.');
		expect(await page.getByText('0 cards').count()).toBe(0);
		expect(await page.getByRole('link', { name: 'Study these' }).count()).toBe(0);
		expect(await page.getByRole('alert').count()).toBe(0);
		await j.finish();
	});
});
