/**
 * A deck exported as CSV from Settings and imported into another profile, on a phone against the
 * production build. The file opens with Anki's text-import headers (`#separator:`, `#html:`,
 * `#columns:`, `#tags column:`, `#deck column:`, `#guid column:`, `#notetype column:`) and no
 * header row; the import page maps every column from them, previews no header-row note, and
 * the new profile gets the same notes: deck, tags, note type, GUID and every field (a reversed
 * note's extra and reverse question, a cloze's extra) — and studies them as the first did.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../axe';
import { startJourney, waitForDeckCounts } from '../journey';
import { deckCounts, expectNothingPastTheEdge, storeRows } from './import-helpers';

interface NoteRow {
	deckId: string;
	guid: string;
	type: string;
	fields: Record<string, string>;
	tags: string[];
	position: number;
}
interface DeckRow {
	id: string;
	title: string;
}

const DECK = 'Trotsky in exile';

/** The notes of the deck titled `title`, as stored, in deck order, with the deck's title. */
async function notesOf(page: Page, title: string) {
	const deck = (await storeRows<DeckRow>(page, 'decks')).find((d) => d.title === title);
	if (!deck) return [];
	return (await storeRows<NoteRow>(page, 'notes'))
		.filter((n) => n.deckId === deck.id)
		.sort((a, b) => a.position - b.position)
		.map((n) => ({ deck: title, guid: n.guid, type: n.type, fields: n.fields, tags: n.tags }));
}

async function addNote(
	page: Page,
	type: 'Basic' | 'Basic + reversed' | 'Cloze',
	fields: Record<string, string>,
	tags: string
): Promise<void> {
	await page.getByRole('radio', { name: type, exact: true }).tap();
	for (const [label, value] of Object.entries(fields)) {
		await page.getByLabel(label, { exact: true }).fill(value);
	}
	await page.getByLabel('Tags (separated by spaces)').fill(tags);
	await page.getByRole('button', { name: 'Add note' }).tap();
	await expect
		.poll(() => page.locator('form .added[role="status"]').textContent(), { timeout: 10_000 })
		.toMatch(new RegExp(`^Added a note with \\d cards? to “${DECK}”\\.$`));
}

describe('a deck exported as CSV and imported into a fresh profile', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'recall-fields-csv-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('carries Anki’s # headers, and the import gives back the same notes', async () => {
		const j = await startJourney();
		const { page } = j;
		await page.goto('/add');
		await page.getByRole('button', { name: 'New deck' }).tap();
		await page.getByLabel('Name of the new deck').fill(DECK);
		await page.getByRole('button', { name: 'Create', exact: true }).tap();
		await expect
			.poll(() => page.getByLabel('Deck', { exact: true }).locator('option:checked').textContent())
			.toBe(DECK);
		await addNote(
			page,
			'Basic + reversed',
			{
				Front: 'Trotsky’s assassin',
				Back: 'Ramón Mercader',
				'Question for the reverse card (optional)': 'Who was Ramón Mercader?',
				'Extra (shown after the answer)': 'He called himself "Frank Jacson", a Canadian.'
			},
			'assassination mexico'
		);
		await addNote(
			page,
			'Cloze',
			{ Text: 'Trotsky was killed in {{c1::1940}}.', 'Extra (shown after the answer)': 'Coyoacán' },
			'assassination'
		);
		await addNote(
			page,
			'Basic',
			{ Front: '#1 city of his exile, 1937–40?', Back: 'Mexico City' },
			'mexico'
		);
		const original = await notesOf(page, DECK);
		expect(original.map((n) => n.type)).toEqual(['reversed', 'cloze', 'basic']);

		// Settings: the deck's own "Export as CSV" button; the browser downloads the file.
		await page.goto('/settings');
		const exports = page.getByRole('group', { name: DECK, exact: true });
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			exports.getByRole('button', { name: 'Export as CSV' }).tap()
		]);
		expect(download.suggestedFilename()).toBe(`${DECK}.csv`);
		const path = join(dir, download.suggestedFilename());
		await download.saveAs(path);
		const lines = readFileSync(path, 'utf8').split('\r\n');
		expect(lines.slice(0, 7)).toEqual([
			'#separator:comma',
			'#html:true',
			'#columns:Front,Back,Tags,Deck,GUID,Note type,Extra,Reverse prompt',
			'#tags column:3',
			'#deck column:4',
			'#guid column:5',
			'#notetype column:6'
		]);
		// One row per note and no header row (Anki would import it as a note).
		expect(lines.slice(7, -1)).toHaveLength(3);
		expect(lines.slice(7).some((l) => /^front,back/i.test(l))).toBe(false);
		expect(lines[8]).toContain(',Cloze,');
		await j.finish();

		// A fresh profile imports the file through /import.
		const k = await startJourney();
		const fresh = k.page;
		await fresh.goto('/');
		await waitForDeckCounts(fresh);
		await fresh.goto('/import');
		const picker = fresh.getByLabel('Choose a file to import');
		await picker.waitFor({ state: 'attached' });
		await picker.setInputFiles(path);
		await fresh.getByRole('table').waitFor();
		// Every column is mapped from the headers, and the preview holds the three notes only.
		const chosen = (label: string) =>
			fresh.getByLabel(label, { exact: true }).locator('option:checked').textContent();
		expect(await chosen('Front')).toBe('Column 1: Front');
		expect(await chosen('Back')).toBe('Column 2: Back');
		expect(await chosen('Tags')).toBe('Column 3: Tags');
		expect(await chosen('Deck')).toBe('Column 4: Deck');
		expect(await chosen('GUID')).toBe('Column 5: GUID');
		expect(await fresh.locator('table tbody tr').count()).toBe(3);
		expect(await fresh.locator('main').textContent()).toContain('fields are HTML');
		expect(await fresh.locator('main').textContent()).toContain(
			'Also imported, by their names: Extra (column 7), Reverse prompt (column 8).'
		);
		await expectNothingPastTheEdge(fresh, 'at the mapping step of a Recall CSV');
		expect(await axeViolations(fresh)).toEqual([]);
		await fresh.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect
			.poll(() => fresh.locator('[role="status"]').first().textContent(), { timeout: 30_000 })
			.toBe('Imported 3 notes, 4 cards, 0 reviews.');

		// The same notes: deck, GUID, note type, every field (extra and reverse question), tags.
		expect(await notesOf(fresh, DECK)).toEqual(original);
		expect((await storeRows<DeckRow>(fresh, 'decks')).map((d) => d.title)).not.toContain(
			'Imported'
		);
		expect((await deckCounts(fresh, DECK)).new).toBe('4 new');

		// And studied as before: the first card's answer with its extra below it.
		await fresh.getByRole('link', { name: `Study ${DECK}`, exact: true }).tap();
		await fresh.getByRole('button', { name: 'Show answer' }).tap();
		await expect
			.poll(() => fresh.locator('main .card .side.back .extra').textContent())
			.toContain('Frank Jacson');
		expect(await fresh.locator('main .card .side.front').textContent()).not.toContain('Jacson');
		await k.finish();
	});
});
