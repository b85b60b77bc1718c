/**
 * A note's optional fields, on a phone against the production build: on /add a reversed note gets
 * an extra ("Extra (shown after the answer)") and a question of its own for the reverse card
 * ("Question for the reverse card (optional)"), both previewed live. Studying shows the extra on
 * the answer side only, below the answer, and the reverse question on the back → front card;
 * the extra edited in Browse is what the next study shows. Nothing sticks out of the 360 px
 * screen, in light and dark.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney, waitForDeckCounts } from '../journey';
import { expectNothingPastTheEdge, storeRows } from './import-helpers';

interface NoteRow {
	id: string;
	deckId: string;
	type: string;
	fields: Record<string, string>;
}
interface CardRow {
	noteId: string;
	ord: number;
	queue: number;
}

const FRONT = 'Trotsky’s assassin';
const BACK = 'Ramón Mercader';
const PROMPT = 'Who was Ramón Mercader?';
const EXTRA = 'He called himself Frank Jacson.';
const EDITED = 'He entered the house as “Frank Jacson”, a friend of a follower.';

/** Taps a field by its label and types into it, as a person on a phone does. */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
	await page.getByLabel(label, { exact: true }).tap();
	await page.keyboard.type(text);
}

/** The study screen's card: what the question side and (once shown) the answer side say. */
async function studyCard(page: Page): Promise<{ front: string; back: string | null }> {
	const card = page.locator('main .card').first();
	const back = card.locator('.side.back');
	return {
		front: ((await card.locator('.side.front').textContent()) ?? '').trim(),
		back: (await back.count()) ? ((await back.textContent()) ?? '').trim() : null
	};
}

/** Opens "My cards" from the deck list and waits for its first question. */
async function studyMyCards(page: Page): Promise<void> {
	await page.goto('/');
	await waitForDeckCounts(page);
	await page.getByRole('link', { name: 'Study My cards', exact: true }).tap();
	await page.getByRole('button', { name: 'Show answer' }).waitFor();
}

/** The extra sits below the answer, inside the answer side. */
async function extraBelowAnswer(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const back = document.querySelector('main .card .side.back');
		const extra = back?.querySelector('.extra');
		const answer = back?.firstElementChild;
		if (!extra || !answer || answer === extra) return false;
		const visible = getComputedStyle(extra).visibility !== 'hidden' && extra.clientHeight > 0;
		return visible && extra.getBoundingClientRect().top >= answer.getBoundingClientRect().bottom;
	});
}

/** Visible elements inside `selector` that reach past the screen's edges (a clipped field). */
async function pastTheEdgeIn(page: Page, selector: string): Promise<string[]> {
	return page.evaluate((sel) => {
		const width = document.documentElement.clientWidth;
		const out: string[] = [];
		for (const el of document.querySelectorAll(`${sel} *`)) {
			const rect = el.getBoundingClientRect();
			if (rect.width === 0 || rect.height === 0 || el.closest('.visually-hidden')) continue;
			if (rect.left < -0.5 || rect.right > width + 0.5) {
				out.push(
					`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} [${rect.left}, ${rect.right}]`
				);
			}
		}
		return out;
	}, selector);
}

describe('a note’s extra and reverse question', () => {
	it.each(['light', 'dark'] as const)(
		'are written on /add, shown on the right side when studying, and edited in Browse (%s)',
		async (colorScheme) => {
			const j = await startJourney({ colorScheme });
			const { page } = j;
			await page.goto('/add');
			await page.getByLabel('Front', { exact: true }).waitFor();
			// A basic note offers the extra; the reverse question comes with the reversed type.
			expect(await page.getByLabel('Extra (shown after the answer)').count()).toBe(1);
			expect(await page.getByLabel('Question for the reverse card (optional)').count()).toBe(0);
			await page.getByRole('radio', { name: 'Basic + reversed' }).tap();
			await page.getByLabel('Question for the reverse card (optional)').waitFor();

			await typeInto(page, 'Front', FRONT);
			await typeInto(page, 'Back', BACK);
			await typeInto(page, 'Question for the reverse card (optional)', PROMPT);
			await typeInto(page, 'Extra (shown after the answer)', EXTRA);

			// The live preview: each card's question, and the extra on the answer side only.
			const preview = page.locator('.preview figure');
			await expect.poll(() => preview.count()).toBe(2);
			const reverse = preview.filter({ hasText: 'Back → front' });
			expect((await reverse.locator('.front').textContent())?.trim()).toBe(PROMPT);
			for (const figure of await preview.all()) {
				expect(await figure.locator('.front').textContent()).not.toContain('Jacson');
				expect((await figure.locator('.back .extra').textContent())?.trim()).toBe(EXTRA);
			}
			await expectNoHorizontalOverflow(page);
			await expectNothingPastTheEdge(page, 'on /add with every field of a reversed note');
			expect(await axeViolations(page)).toEqual([]);

			await page.getByRole('button', { name: 'Add note' }).tap();
			await expect
				.poll(() => page.locator('form .added[role="status"]').textContent(), {
					timeout: 10_000
				})
				.toBe('Added a note with 2 cards to “My cards”.');
			const [note] = (await storeRows<NoteRow>(page, 'notes')).filter(
				(n) => n.fields.front === FRONT
			);
			expect(note?.fields).toEqual({
				front: FRONT,
				back: BACK,
				reversePrompt: PROMPT,
				extra: EXTRA
			});

			// Front → back: the question has no extra; the answer shows it below the answer.
			await studyMyCards(page);
			expect(await studyCard(page)).toEqual({ front: FRONT, back: null });
			expect(await page.locator('main').textContent()).not.toContain('Jacson');
			await page.getByRole('button', { name: 'Show answer' }).tap();
			await expect.poll(async () => (await studyCard(page)).back).toBe(`${BACK}${EXTRA}`);
			expect(await extraBelowAnswer(page)).toBe(true);
			await expectNothingPastTheEdge(page, 'on the answer side with an extra');
			// Easy: days away. Its sibling, the reverse card, is buried until tomorrow.
			await page.getByRole('button', { name: /^Easy/ }).tap();
			await expect
				.poll(async () =>
					(await storeRows<CardRow>(page, 'cards'))
						.filter((c) => c.noteId === note!.id)
						.map((c) => [c.ord, c.queue])
				)
				.toEqual([
					[0, 2],
					[1, -2]
				]);

			// Browse: the reverse card is listed by its own question; unbury it and edit the extra.
			await page.goto(`/browse?q=${encodeURIComponent('deck:"My cards"')}`);
			await page.getByRole('checkbox', { name: `Select “${PROMPT}”` }).tap();
			await page.getByText('More actions', { exact: true }).tap();
			await page.getByRole('button', { name: 'Unbury', exact: true }).tap();
			await page.getByText('Unburied 1 card.').waitFor();
			await page.getByRole('button', { name: new RegExp(PROMPT.replace('?', '\\?')) }).tap();
			const dialog = page.getByRole('dialog');
			await dialog.getByRole('button', { name: 'Edit note' }).tap();
			const extraField = dialog.getByLabel('Extra (shown after the answer)');
			expect(await extraField.inputValue()).toBe(EXTRA);
			expect(await dialog.getByLabel('Question for the reverse card (optional)').inputValue()).toBe(
				PROMPT
			);
			await extraField.tap();
			await page.keyboard.press('ControlOrMeta+A');
			await page.keyboard.type(EDITED);
			await dialog.locator('.preview .extra').getByText(EDITED).first().waitFor();
			expect(await pastTheEdgeIn(page, '[role="dialog"]'), 'the Browse note editor').toEqual([]);
			await dialog.getByRole('button', { name: 'Save note' }).tap();
			await page.getByRole('status').getByText('Note saved.').waitFor();
			expect(
				(await storeRows<NoteRow>(page, 'notes')).find((n) => n.id === note!.id)?.fields.extra
			).toBe(EDITED);

			// Back → front: the note's own question, then the answer with the edited extra.
			await studyMyCards(page);
			expect(await studyCard(page)).toEqual({ front: PROMPT, back: null });
			expect(await page.locator('main').textContent()).not.toContain('Jacson');
			await page.getByRole('button', { name: 'Show answer' }).tap();
			await expect.poll(async () => (await studyCard(page)).back).toBe(`${FRONT}${EDITED}`);
			expect(await extraBelowAnswer(page)).toBe(true);
			await expectNothingPastTheEdge(page, 'on the reverse card’s answer side');
			expect(await axeViolations(page)).toEqual([]);
			await j.finish();
		}
	);
});
