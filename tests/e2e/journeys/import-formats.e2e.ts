/**
 * Importing each format through the import page, on a phone against the production build: the
 * file is chosen with the page's own picker (setInputFiles, as a user picks it), text files stop
 * at the column mapping, and after each import the deck list shows the deck with its cards. An
 * Anki text export's `#` headers are honoured (deck, tags, columns, html, guid column) and
 * importing it again updates instead of duplicating; a damaged package says what is wrong and
 * what to do, writes nothing and leaves no "Before an import" snapshot. Nothing sticks out of
 * the 360 px screen once a file is chosen or at the mapping step.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCollection, legacyPackage } from '../../../src/lib/core/import/testing/anki-fixtures';
import { scenario } from '../../../src/lib/core/import/testing/anki-scenario';
import { loadSqlJs } from '../../../src/lib/core/import/testing/node-sql';
import { axeViolations } from '../axe';
import {
	expectNoHorizontalOverflow,
	startJourney,
	waitForDeckCounts,
	type Journey
} from '../journey';
import { deckCounts, expectNothingPastTheEdge, storeRows } from './import-helpers';

interface NoteRow {
	id: string;
	deckId: string;
	guid: string;
	fields: Record<string, string>;
	tags: string[];
	position: number;
}
interface DeckRow {
	id: string;
	title: string;
}
interface SnapshotRow {
	reason: string;
}

const ANKI_EXPORT = (pax: string) =>
	[
		'#separator:tab',
		'#html:true',
		'#notetype:Basic',
		'#deck:Hostile',
		'#tags:anki-export',
		'#columns:GUID\tFront\tBack\tTags',
		'#guid column:1',
		'#tags column:4',
		'g-hostis\t<b>hostis</b>\tenemy, stranger\tlatin noun',
		'g-bellum\tbellum\twar\tlatin',
		`g-pax\tpax\t${pax}\t`,
		''
	].join('\n');

describe('importing each format on a phone', () => {
	let j: Journey;
	let dir: string;

	beforeAll(async () => {
		j = await startJourney({ allow: [] });
		dir = mkdtempSync(join(tmpdir(), 'recall-import-journey-'));
	});
	afterAll(async () => {
		rmSync(dir, { recursive: true, force: true });
		await j?.finish();
	});

	const status = () => j.page.locator('[role="status"]').first().textContent();

	/** Opens /import and picks the file with the page's picker. */
	async function pick(name: string, contents: string | Uint8Array): Promise<void> {
		const path = join(dir, name);
		writeFileSync(path, contents);
		await j.page.goto('/import');
		const picker = j.page.getByLabel('Choose a file to import');
		await picker.waitFor({ state: 'attached' });
		await picker.setInputFiles(path);
	}

	async function notesOf(title: string): Promise<NoteRow[]> {
		const deck = (await storeRows<DeckRow>(j.page, 'decks')).find((d) => d.title === title);
		if (!deck) return [];
		return (await storeRows<NoteRow>(j.page, 'notes'))
			.filter((n) => n.deckId === deck.id)
			.sort((a, b) => a.position - b.position);
	}

	const importSnapshots = async () =>
		(await storeRows<SnapshotRow>(j.page, 'snapshots')).filter((s) => s.reason === 'import');

	it('refuses a damaged .apkg in words, with what to do, writing nothing and no snapshot', async () => {
		const { page } = j;
		// The built-in decks are in the store first (the deck list has its counts).
		await page.goto('/');
		await waitForDeckCounts(page);
		const before = (await storeRows(page, 'notes')).length;
		expect(before).toBeGreaterThan(0);
		// Three times, as the user who keeps trying would.
		for (let i = 0; i < 3; i++) {
			await pick(
				'Hostile.apkg',
				Uint8Array.from({ length: 4096 }, (_, k) => (k * 37 + i) % 251)
			);
			await expect.poll(status, { timeout: 30_000 }).toMatch(/^Could not import: /);
		}
		const text = (await status()) ?? '';
		expect(text).toContain('Hostile.apkg: this file is not an Anki package');
		expect(text).toContain('damaged, incomplete or another kind of file renamed');
		expect(text).toContain('Nothing was imported.');
		expect(text).toContain('In Anki, export the deck again');
		expect(text).not.toMatch(/expected an \.apkg/);
		expect(await page.locator('[role="status"].failed').isVisible()).toBe(true);
		await expectNothingPastTheEdge(page, 'on /import with an error');
		expect((await storeRows(page, 'notes')).length).toBe(before);
		expect(await importSnapshots()).toEqual([]);

		// A package cut short (a download that stopped) says so, and what to do.
		const sql = await loadSqlJs();
		const whole = legacyPackage(buildCollection(sql, scenario(11)));
		await pick('Cut short.apkg', whole.subarray(0, Math.floor(whole.length / 2)));
		await expect.poll(status, { timeout: 30_000 }).toMatch(/^Could not import: /);
		expect(await status()).toContain('Download or copy the file again in full');
		expect(await importSnapshots()).toEqual([]);
	});

	it('maps the columns of a CSV the user chooses, then imports it', async () => {
		const { page } = j;
		await pick(
			'verbs.csv',
			'verb,hablar,to speak\nverb,comer,"to eat,\nto have lunch"\nverb,vivir,to live\n'
		);
		await page.getByRole('table').waitFor();
		await expectNoHorizontalOverflow(page);
		await expectNothingPastTheEdge(page, 'at the mapping step');
		await page.getByLabel('Front', { exact: true }).selectOption({ label: 'Column 2: hablar' });
		await page.getByLabel('Back', { exact: true }).selectOption({ label: 'Column 3: to speak' });
		await page.getByLabel('Tags', { exact: true }).selectOption({ label: 'Column 1: verb' });
		await page.getByLabel('Deck for rows without one').fill('Spanish verbs');
		await expectNothingPastTheEdge(page, 'after choosing the columns');
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 3 notes, 3 cards, 0 reviews.');
		const notes = await notesOf('Spanish verbs');
		expect(notes.map((n) => [n.fields.front, n.fields.back, n.tags])).toEqual([
			['hablar', 'to speak', ['verb']],
			['comer', 'to eat,\nto have lunch', ['verb']],
			['vivir', 'to live', ['verb']]
		]);
		expect((await deckCounts(page, 'Spanish verbs')).new).toBe('3 new');
		expect(await importSnapshots()).toHaveLength(1);
	});

	it('imports a TSV under its file name', async () => {
		const { page } = j;
		await pick('German nouns.tsv', 'Baum\ttree, a plant\nHaus\thouse\n');
		await page.getByRole('table').waitFor();
		expect(await page.getByLabel('Deck for rows without one').inputValue()).toBe('German nouns');
		await page.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 2 notes, 2 cards, 0 reviews.');
		expect((await notesOf('German nouns')).map((n) => n.fields.back)).toEqual([
			'tree, a plant',
			'house'
		]);
		expect((await deckCounts(page, 'German nouns')).new).toBe('2 new');
	});

	it("honours an Anki text export's # headers, and importing it again updates, not duplicates", async () => {
		const { page } = j;
		await pick('hostile-export.txt', ANKI_EXPORT('peace'));
		await page.getByRole('table').waitFor();
		// The file's #deck: is the deck, not the file name; the headers are stated.
		expect(await page.getByLabel('Deck for rows without one').inputValue()).toBe('Hostile');
		expect(await page.locator('main').textContent()).toContain(
			'From the file’s Anki headers: deck “Hostile”; note type “Basic”; tags anki-export on every note; fields are HTML.'
		);
		expect(
			await page.getByLabel('GUID', { exact: true }).locator('option:checked').textContent()
		).toBe('Column 1: GUID');
		expect(
			await page.getByLabel('Front', { exact: true }).locator('option:checked').textContent()
		).toBe('Column 2: Front');
		await expectNothingPastTheEdge(page, 'at the mapping step of an Anki export');
		await page.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 3 notes, 3 cards, 0 reviews.');
		expect((await storeRows<DeckRow>(page, 'decks')).map((d) => d.title)).not.toContain(
			'hostile-export'
		);
		const notes = await notesOf('Hostile');
		expect(notes.map((n) => [n.guid, n.fields.front, n.fields.back, n.tags])).toEqual([
			['g-hostis', '<b>hostis</b>', 'enemy, stranger', ['latin', 'noun', 'anki-export']],
			['g-bellum', 'bellum', 'war', ['latin', 'anki-export']],
			['g-pax', 'pax', 'peace', ['anki-export']]
		]);
		expect((await deckCounts(page, 'Hostile')).new).toBe('3 new');

		// The same file again: found by its guids, nothing added.
		await pick('hostile-export.txt', ANKI_EXPORT('peace'));
		await page.getByRole('table').waitFor();
		await page.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect
			.poll(status, { timeout: 30_000 })
			.toBe('Imported 0 notes, 0 cards, 0 reviews; 3 skipped (already in Recall).');
		// An edited export (one answer changed): that note is updated in place.
		await pick('hostile-export.txt', ANKI_EXPORT('peace, quiet'));
		await page.getByRole('table').waitFor();
		await page.getByRole('button', { name: 'Import', exact: true }).tap();
		await expect
			.poll(status, { timeout: 30_000 })
			.toBe('Imported 0 notes, 0 cards, 0 reviews; 1 note updated, 2 skipped (already in Recall).');
		const after = await notesOf('Hostile');
		expect(after.map((n) => n.id)).toEqual(notes.map((n) => n.id));
		expect(after.find((n) => n.guid === 'g-pax')?.fields.back).toBe('peace, quiet');
		expect((await deckCounts(page, 'Hostile')).new).toBe('3 new');
	});

	it('imports a Markdown deck', async () => {
		const { page } = j;
		await pick(
			'journey.md',
			[
				'---',
				'id: journey-markdown',
				'title: Rivers',
				'---',
				'',
				'## seine',
				'front: Which river flows through Paris?',
				'back: The Seine',
				'',
				'## thames',
				'type: cloze',
				'text: The {{c1::Thames}} flows through {{c2::London}}.',
				''
			].join('\n')
		);
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 2 notes, 3 cards, 0 reviews.');
		expect((await deckCounts(page, 'Rivers')).new).toBe('3 new');
	});

	it('imports a Recall JSON deck', async () => {
		const { page } = j;
		await pick(
			'greetings.json',
			JSON.stringify({
				format: 'recall-deck',
				version: 1,
				id: 'journey-greetings',
				title: 'Greetings',
				description: 'Hello in Spanish',
				notes: [{ id: 'hola', type: 'reversed', front: 'hola', back: 'hello', tags: ['es'] }]
			})
		);
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 1 note, 2 cards, 0 reviews.');
		expect((await deckCounts(page, 'Greetings')).new).toBe('2 new');
	});

	it('imports an Anki package with its review history', async () => {
		const { page } = j;
		const sql = await loadSqlJs();
		await pick('German.apkg', legacyPackage(buildCollection(sql, scenario(11))));
		await expect.poll(status, { timeout: 30_000 }).toBe('Imported 5 notes, 6 cards, 6 reviews.');
		await expectNothingPastTheEdge(page, 'on /import after an import');
		const counts = await deckCounts(page, 'Languages::German');
		// Every card is somewhere: new, learning or due today, or scheduled later.
		expect(counts.new).toMatch(/^\d+ new$/);
		expect((await notesOf('Languages::German')).length).toBe(5);
	});
});

describe('the import page in dark mode on a phone', () => {
	it('shows the picker, the mapping and a refusal without overflow or axe violations', async () => {
		const j = await startJourney({ colorScheme: 'dark' });
		const { page } = j;
		const dir = mkdtempSync(join(tmpdir(), 'recall-import-dark-'));
		try {
			await page.goto('/import');
			await page.getByText('Choose a file to import').waitFor();
			expect(await axeViolations(page)).toEqual([]);
			await expectNothingPastTheEdge(page, 'on /import before a file is chosen');
			const csv = join(dir, 'a file with a rather long name for a small phone screen.csv');
			writeFileSync(csv, 'Question,Answer\nWhat is the capital of Mexico?,Mexico City\n');
			await page.getByLabel('Choose a file to import').setInputFiles(csv);
			await page.getByRole('table').waitFor();
			expect(await axeViolations(page)).toEqual([]);
			await expectNothingPastTheEdge(page, 'at the mapping step (dark)');
			const broken = join(dir, 'broken.md');
			writeFileSync(broken, '---\nid: x\n---\n## a\nfront: q\n');
			await page.getByLabel('Choose a file to import').setInputFiles(broken);
			await expect
				.poll(() => page.locator('[role="status"]').first().textContent(), { timeout: 30_000 })
				.toMatch(/^Could not import: broken\.md.*Nothing was imported\. .+/);
			expect(await axeViolations(page)).toEqual([]);
			await expectNothingPastTheEdge(page, 'with a refusal (dark)');
		} finally {
			rmSync(dir, { recursive: true, force: true });
			await j.finish();
		}
	});
});
