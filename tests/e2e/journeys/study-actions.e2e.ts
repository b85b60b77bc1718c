/**
 * The study screen's actions besides an answer (issue 18), as an AnkiDroid user reaches for them:
 * edit the note from the card (back to the same card with the change), flag it, mark it, bury
 * or suspend the whole note, delete the note, each from the More menu on a phone and each
 * undone with Undo; then the same by key on a desktop. Every step checks what the screen shows
 * and what IndexedDB stores.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../axe';
import { expectNoHorizontalOverflow, startJourney } from '../journey';
import { found, openBrowse, search } from './browse-helpers';
import {
	DECK,
	openDeckFromList,
	putRows,
	storedRows,
	studyCounts,
	studyCountsDescription,
	type StoredCard
} from './study-helpers';

interface Row {
	id: string | number;
	[field: string]: unknown;
}
interface StoredNote extends Row {
	id: string;
	fields: Record<string, string>;
	tags: string[];
}
interface FlaggedCard extends StoredCard {
	flag?: number;
	rev: number;
}

const status = (page: Page) => page.getByRole('status').textContent();
const cardText = async (page: Page) =>
	((await page.locator('.study .card').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

interface Snapshot {
	notes: Row[];
	cards: Row[];
	revlog: Row[];
}

/** Every row of the stores an action may touch, sorted by key: the snapshot undo must restore. */
async function snapshot(page: Page): Promise<Snapshot> {
	const sorted = async (store: string) =>
		(await storedRows<Row>(page, store)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
	return {
		notes: await sorted('notes'),
		cards: await sorted('cards'),
		revlog: await sorted('revlog')
	};
}

/** What the line above the card says: the card's flag and its note's mark. */
const marks = async (page: Page) =>
	(await page.locator('.study .marks').count())
		? ((await page.locator('.study .marks').textContent()) ?? '').replace(/\s+/g, ' ').trim()
		: '';

/** Opens the More menu and presses one of its buttons. */
async function fromMenu(page: Page, name: string): Promise<void> {
	await page.getByText('More', { exact: true }).click();
	await page.getByRole('button', { name, exact: true }).click();
}

async function undo(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Undo', exact: true }).click();
	await expect.poll(() => status(page)).toBe('Undone.');
}

/** The cards of the deck in `queue` (−2 buried, −1 suspended), as stored. */
async function inQueue(page: Page, queue: number): Promise<FlaggedCard[]> {
	return (await storedRows<FlaggedCard>(page, 'cards')).filter(
		(c) => c.deckId === DECK && c.queue === queue
	);
}

/** Asserts `cards` are exactly every card of one note, as stored. */
async function expectWholeNote(page: Page, cards: StoredCard[]): Promise<void> {
	expect(cards.length).toBeGreaterThan(0);
	const noteId = cards[0]!.noteId;
	const ofNote = (await storedRows<StoredCard>(page, 'cards')).filter((c) => c.noteId === noteId);
	expect(cards.map((c) => c.id).sort()).toEqual(ofNote.map((c) => c.id).sort());
}

describe('study screen actions (phone)', () => {
	it('edits the note over the card and returns to the same card with the change; undo restores it', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		const before = await cardText(page);
		const notesBefore = await storedRows<StoredNote>(page, 'notes');

		await fromMenu(page, 'Edit note');
		const editor = page.getByRole('dialog', { name: 'Edit note' });
		await editor.waitFor();
		const field = editor.locator('textarea').first();
		const original = await field.inputValue();
		expect(before).toContain(original.replace(/\s+/g, ' ').trim().slice(0, 20));
		await field.fill(`${original} Edited on the phone`);
		await editor.getByRole('button', { name: 'Save note' }).click();

		await expect.poll(() => status(page)).toBe('Note saved.');
		expect(await editor.isVisible()).toBe(false);
		// The same card, its question side, now with the change.
		await expect.poll(() => cardText(page)).toContain('Edited on the phone');
		expect(await page.getByRole('button', { name: 'Show answer' }).isVisible()).toBe(true);
		const edited = (await storedRows<StoredNote>(page, 'notes')).filter((n) =>
			Object.values(n.fields).some((f) => f.includes('Edited on the phone'))
		);
		expect(edited).toHaveLength(1);
		expect(Object.values(edited[0]!.fields)).toContain(`${original} Edited on the phone`);
		await expectNoHorizontalOverflow(page);

		await undo(page);
		await expect.poll(() => cardText(page)).toBe(before);
		expect(await storedRows<StoredNote>(page, 'notes')).toEqual(notesBefore);
		await j.finish();
	});

	it('flags the card and marks its note, shown on the card and searchable; undo clears each', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		const cardsBefore = await storedRows<FlaggedCard>(page, 'cards');
		expect(cardsBefore.some((c) => c.flag)).toBe(false);

		await fromMenu(page, 'Red flag');
		await expect.poll(() => status(page)).toBe('Red flag set.');
		await expect.poll(() => marks(page)).toContain('Red flag');
		const flagged = (await storedRows<FlaggedCard>(page, 'cards')).filter((c) => c.flag);
		expect(flagged.map((c) => c.flag)).toEqual([1]);
		// The same card stays on screen, its answer still hidden.
		expect(await page.getByRole('button', { name: 'Show answer' }).isVisible()).toBe(true);
		expect(await axeViolations(page)).toEqual([]);

		await undo(page);
		await expect.poll(() => marks(page)).not.toContain('Red flag');
		expect((await storedRows<FlaggedCard>(page, 'cards')).some((c) => c.flag)).toBe(false);
		expect(await storedRows<FlaggedCard>(page, 'cards')).toEqual(cardsBefore);

		await page.getByRole('button', { name: 'Show answer' }).click();
		await fromMenu(page, 'Mark note');
		await expect.poll(() => status(page)).toBe('Note marked.');
		await expect.poll(() => marks(page)).toContain('Marked');
		// Marking keeps the answer showing.
		expect(await page.getByRole('button', { name: /^Good/ }).isVisible()).toBe(true);
		const marked = (await storedRows<StoredNote>(page, 'notes')).filter((n) =>
			n.tags.includes('marked')
		);
		expect(marked).toHaveLength(1);
		await undo(page);
		await expect.poll(() => marks(page)).not.toContain('Marked');
		expect(
			(await storedRows<StoredNote>(page, 'notes')).filter((n) => n.tags.includes('marked'))
		).toHaveLength(0);

		// Marked again, then found by Browse's tag:marked.
		await fromMenu(page, 'Mark note');
		await expect.poll(() => status(page)).toBe('Note marked.');
		const noteId = (await storedRows<StoredNote>(page, 'notes')).find((n) =>
			n.tags.includes('marked')
		)!.id;
		const ofNote = (await storedRows<StoredCard>(page, 'cards')).filter((c) => c.noteId === noteId);
		await page.goto(`/browse?q=${encodeURIComponent('tag:marked')}`);
		await expect
			.poll(() => page.locator('.summary p').textContent(), { timeout: 15_000 })
			.toBe(ofNote.length === 1 ? '1 card' : `${ofNote.length} cards`);

		// A flag set while studying, then found by Browse's flag: (typed as a person does).
		await openDeckFromList(page);
		await fromMenu(page, 'Purple flag');
		await expect.poll(() => status(page)).toBe('Purple flag set.');
		await openBrowse(page);
		await search(page, 'flag:7');
		expect(await found(page, 'flag:7')).toBe(1);
		await search(page, 'flag:8');
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toContain(
				'"flag:8" is not a flag: use flag:1 (red) to flag:7 (purple), or flag:0 for none.'
			);
		await j.finish();
	});

	it('buries and suspends the whole note, each undone', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		const countsBefore = await studyCounts(page);
		const before = await cardText(page);
		// The counts bar underlines the queue of the card on screen, and says it.
		expect(await studyCountsDescription(page)).toBe('Showing a new card');
		expect(await page.locator('.study .counts .current').getAttribute('class')).toContain('new');
		expect(
			await page
				.locator('.study .counts .current')
				.evaluate((el) => getComputedStyle(el).textDecorationLine)
		).toBe('underline');

		await fromMenu(page, 'Bury note until tomorrow');
		await expect.poll(() => status(page)).toBe('Note buried until tomorrow.');
		await expect.poll(() => cardText(page)).not.toBe(before);
		const buried = await inQueue(page, -2);
		await expectWholeNote(page, buried);
		await undo(page);
		await expect.poll(() => cardText(page)).toBe(before);
		expect(await inQueue(page, -2)).toEqual([]);
		expect(await studyCounts(page)).toBe(countsBefore);

		await fromMenu(page, 'Suspend note');
		await expect.poll(() => status(page)).toBe('Note suspended.');
		await expect.poll(() => cardText(page)).not.toBe(before);
		const suspended = await inQueue(page, -1);
		await expectWholeNote(page, suspended);
		expect(suspended.map((c) => c.id).sort()).toEqual(buried.map((c) => c.id).sort());
		await undo(page);
		await expect.poll(() => cardText(page)).toBe(before);
		expect(await inQueue(page, -1)).toEqual([]);
		expect(await studyCounts(page)).toBe(countsBefore);
		await j.finish();
	});

	it('deletes the note with its cards and history; undo restores them exactly', async () => {
		const j = await startJourney();
		const { page } = j;
		await openDeckFromList(page);
		// A history for every card of the deck, as an imported collection has (a month ago, so
		// today's counts do not change).
		const cards = (await storedRows<StoredCard>(page, 'cards')).filter((c) => c.deckId === DECK);
		const monthAgo = Date.now() - 30 * 86_400_000;
		await putRows(
			page,
			'revlog',
			cards.map((c, i) => ({
				cardId: c.id,
				deckId: DECK,
				reviewedAt: monthAgo + i,
				rating: 3,
				state: 0,
				due: 0,
				stability: 2.3,
				difficulty: 5,
				elapsedDays: 0,
				scheduledDays: 0,
				durationMs: 4000
			}))
		);
		const stored = await snapshot(page);
		const before = await cardText(page);

		await fromMenu(page, 'Delete note');
		await expect.poll(() => status(page)).toBe('Note deleted.');
		await expect.poll(() => cardText(page)).not.toBe(before);
		const after = await snapshot(page);
		const goneNotes = stored.notes.filter((n) => !after.notes.some((m) => m.id === n.id));
		expect(goneNotes).toHaveLength(1);
		const goneCards = stored.cards.filter((c) => c.noteId === goneNotes[0]!.id);
		expect(goneCards.length).toBeGreaterThan(0);
		expect(after.cards).toHaveLength(stored.cards.length - goneCards.length);
		const goneIds = new Set(goneCards.map((c) => c.id));
		const goneLogs = stored.revlog.filter((r) => goneIds.has(r.cardId as string));
		expect(goneLogs).toHaveLength(goneCards.length);
		expect(after.revlog).toHaveLength(stored.revlog.length - goneLogs.length);

		await undo(page);
		await expect.poll(() => cardText(page)).toBe(before);
		// Note, cards and review-log rows back exactly, ids included.
		expect(await snapshot(page)).toEqual(stored);
		await j.finish();
	});
});

describe('study screen actions (desktop keys)', () => {
	it('runs every action by key and undoes each with Z', async () => {
		const j = await startJourney({ device: 'desktop' });
		const { page } = j;
		await openDeckFromList(page);
		const before = await cardText(page);
		const stored = await snapshot(page);
		const pressAndUndo = async (key: string, said: string, check: () => Promise<void>) => {
			await page.keyboard.press(key);
			await expect.poll(() => status(page)).toBe(said);
			await check();
			await page.keyboard.press('z');
			await expect.poll(() => status(page)).toBe('Undone.');
			await expect.poll(() => cardText(page)).toBe(before);
			expect(await snapshot(page)).toEqual(stored);
		};

		await pressAndUndo('Control+3', 'Green flag set.', async () => {
			await expect.poll(() => marks(page)).toContain('Green flag');
			const flags = (await storedRows<FlaggedCard>(page, 'cards')).filter((c) => c.flag);
			expect(flags.map((c) => c.flag)).toEqual([3]);
		});
		// The same flag key again takes the flag off; Z puts it back, Z again clears it.
		await page.keyboard.press('Control+7');
		await expect.poll(() => status(page)).toBe('Purple flag set.');
		await expect.poll(() => marks(page)).toContain('Purple flag');
		await page.keyboard.press('Control+7');
		await expect.poll(() => status(page)).toBe('Flag removed.');
		await expect.poll(() => marks(page)).not.toContain('Purple flag');
		expect((await storedRows<FlaggedCard>(page, 'cards')).some((c) => c.flag)).toBe(false);
		await page.keyboard.press('z');
		await expect.poll(() => marks(page)).toContain('Purple flag');
		await page.keyboard.press('z');
		await expect.poll(() => marks(page)).not.toContain('Purple flag');
		expect(await snapshot(page)).toEqual(stored);

		await pressAndUndo('*', 'Note marked.', async () => {
			await expect.poll(() => marks(page)).toContain('Marked');
		});
		await pressAndUndo('-', 'Card buried until tomorrow.', async () => {
			expect(await inQueue(page, -2)).toHaveLength(1);
		});
		await pressAndUndo('=', 'Note buried until tomorrow.', async () => {
			await expectWholeNote(page, await inQueue(page, -2));
		});
		await pressAndUndo('@', 'Card suspended.', async () => {
			expect(await inQueue(page, -1)).toHaveLength(1);
		});
		await pressAndUndo('!', 'Note suspended.', async () => {
			await expectWholeNote(page, await inQueue(page, -1));
		});
		await pressAndUndo('Control+Delete', 'Note deleted.', async () => {
			expect((await storedRows<Row>(page, 'notes')).length).toBe(stored.notes.length - 1);
		});

		// E opens the editor over the card; Escape closes it with nothing changed.
		await page.keyboard.press('e');
		const editor = page.getByRole('dialog', { name: 'Edit note' });
		await editor.waitFor();
		await page.keyboard.press('Escape');
		await expect.poll(() => editor.count()).toBe(0);
		expect(await snapshot(page)).toEqual(stored);

		// ? lists every key, R (replay the sounds) and the new ones included.
		await page.keyboard.press('?');
		const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
		await dialog.waitFor();
		const listed = (await dialog.locator('kbd').allTextContents()).join(' | ');
		for (const key of [
			'R',
			'E',
			'*',
			'=',
			'!',
			'Ctrl+Delete',
			'Ctrl+1 … Ctrl+7',
			'- or B',
			'@ or S'
		])
			expect(listed).toContain(key);
		expect(await axeViolations(page)).toEqual([]);
		await j.finish();
	});
});
