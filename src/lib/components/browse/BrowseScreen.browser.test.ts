import axe from 'axe-core';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../../app.css';
import { Queue, type Deck } from '$lib/core/model';
import { BrowseState } from '$lib/state/browse.svelte';
import {
	addDeck,
	addNote,
	bulkCollection,
	patchCard,
	reviewState
} from '$lib/storage/browse-testing';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import BrowseScreen from './BrowseScreen.svelte';
import { until } from '$lib/components/testing';

const NOW = Date.UTC(2026, 10, 23, 12);

let db: RecallDb;
let deck: Deck;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(async () => {
	await page.viewport(360, 800);
	db = freshDb();
	deck = await addDeck(db, 'History', NOW);
	target = document.createElement('div');
	document.body.append(target);
});

afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	await dropDb(db);
});

const buttons = () => [...target.querySelectorAll('button')];
const button = (name: string | RegExp) =>
	buttons().find((b) =>
		typeof name === 'string' ? b.textContent?.trim() === name : name.test(b.textContent ?? '')
	);
const rowFronts = () =>
	[...target.querySelectorAll('[role=row] [role=cell] [data-front]')].map((b) =>
		b.textContent?.trim()
	);
/** The button that opens the card whose question is `front`. */
const rowButton = (front: string) =>
	[...target.querySelectorAll<HTMLElement>('[role=cell] [data-front]')]
		.find((el) => el.textContent?.trim() === front)
		?.closest('button');
const status = () => target.querySelector('[role=status]')?.textContent?.trim();

async function open(query = ''): Promise<BrowseState> {
	const browse = new BrowseState(
		() => db,
		() => NOW,
		'UTC'
	);
	component = mount(BrowseScreen, { target, props: { browse } });
	await browse.search(query);
	flushSync();
	return browse;
}

describe('the browse screen', () => {
	beforeEach(async () => {
		await addNote(db, deck.id, { fields: { front: 'Alpha', back: 'a' }, tags: ['greek'] }, NOW);
		const b = await addNote(db, deck.id, { fields: { front: 'Beta', back: 'b' } }, NOW);
		await addNote(db, deck.id, { fields: { front: 'Gamma', back: 'c' }, tags: ['greek'] }, NOW);
		await patchCard(db, b.cards[0]!.id, reviewState(NOW, 3, 9, 1));
	});

	it('lists the cards found, sorts by a column, and says how many (wide screen)', async () => {
		await page.viewport(1280, 800);
		await open();
		expect(rowFronts()).toEqual(['Beta', 'Alpha', 'Gamma']);
		expect(target.textContent).toContain('3 cards');
		button(/^Front/)!.click();
		flushSync();
		expect(rowFronts()).toEqual(['Alpha', 'Beta', 'Gamma']);
		expect(target.querySelector('[aria-sort=ascending]')?.textContent).toContain('Front');
		button(/^Front/)!.click();
		flushSync();
		expect(rowFronts()).toEqual(['Gamma', 'Beta', 'Alpha']);
		expect(target.querySelector('[role=table]')?.getAttribute('aria-rowcount')).toBe('4');
	});

	it('shows two lines per card on a phone (question; answer, due, deck) and sorts from a menu', async () => {
		const browse = await open();
		expect(rowFronts()).toEqual(['Beta', 'Alpha', 'Gamma']);
		const second = rowButton('Beta')!.querySelector('.more')!.textContent!;
		expect(second).toContain('b');
		expect(second).toContain('History');
		const sort = target.querySelector<HTMLSelectElement>('#browse-sort')!;
		sort.value = 'front';
		sort.dispatchEvent(new Event('change', { bubbles: true }));
		flushSync();
		expect(rowFronts()).toEqual(['Alpha', 'Beta', 'Gamma']);
		const direction = button('Descending')!;
		expect(direction.getAttribute('aria-pressed')).toBe('false');
		direction.click();
		flushSync();
		expect(rowFronts()).toEqual(['Gamma', 'Beta', 'Alpha']);
		expect(browse.sort).toEqual({ column: 'front', descending: true });
		expect(direction.getAttribute('aria-pressed')).toBe('true');
	});

	it('says when nothing matches, and shows no count for a search it cannot understand', async () => {
		const browse = await open('zebra');
		expect(target.textContent).toContain('No cards match “zebra”.');
		expect(target.querySelector('[role=table]')).toBeNull();
		await browse.search('tag:(');
		flushSync();
		expect(target.querySelector('[role=alert]')?.textContent).toContain('tag: needs a name');
		expect(target.textContent).not.toMatch(/\b0 cards\b|No cards match/);
		expect(button('Study these')).toBeUndefined();
		await browse.search('tag:greek');
		flushSync();
		expect(target.querySelector('[role=alert]')).toBeNull();
		expect(target.textContent).toContain('2 cards');
	});

	it('says in words, not an exception, when the store cannot be read or written', async () => {
		const browse = await open('tag:greek');
		target.querySelector<HTMLInputElement>('[role=cell] input[type=checkbox]')!.click();
		flushSync();
		db.close();
		button('Suspend')!.click();
		await until(() => /^Could not suspend/.test(status() ?? ''), 'the action refused');
		expect(status()).toBe(
			'Could not suspend the selected cards: the browser’s storage did not accept the change, so nothing was changed. Try again, or reload the page.'
		);
		await browse.search('alpha');
		flushSync();
		const alert = target.querySelector('[role=alert]')?.textContent ?? '';
		expect(alert).toMatch(/^The search could not read your cards/);
		expect(target.textContent).not.toMatch(/DatabaseClosed|Error|failed:/);
		expect(target.textContent).not.toMatch(/\b0 cards\b/);
	});

	it('shows the bulk bar only while cards are selected', async () => {
		await open('tag:greek');
		expect(target.querySelector('[aria-label="Selected cards"]')).toBeNull();
		target.querySelector<HTMLInputElement>('[role=cell] input[type=checkbox]')!.click();
		flushSync();
		const bar = target.querySelector<HTMLElement>('[aria-label="Selected cards"]')!;
		expect(bar.textContent).toContain('1 selected');
		expect(getComputedStyle(bar.closest('.dock')!).position).toBe('fixed');
		expect(
			target.querySelector<HTMLInputElement>('[role=cell] input[type=checkbox]')!.checked
		).toBe(true);
		button(/^Clear/)!.click();
		flushSync();
		expect(target.querySelector('[aria-label="Selected cards"]')).toBeNull();
	});

	it('shows where a search is wrong, and searches again when fixed', async () => {
		const browse = await open('tag:greek');
		expect(rowFronts()).toEqual(['Alpha', 'Gamma']);
		const input = target.querySelector<HTMLInputElement>('#browse-query')!;
		input.value = 'tag:greek (';
		input.dispatchEvent(new Event('input'));
		button('Search')!.click();
		await until(() => !!target.querySelector('[role=alert]'), 'the error');
		expect(target.querySelector('[role=alert]')?.textContent).toContain('A "(" is not closed.');
		expect(input.getAttribute('aria-invalid')).toBe('true');
		await browse.search('beta');
		flushSync();
		expect(rowFronts()).toEqual(['Beta']);
		expect(target.querySelector('[role=alert]')).toBeNull();
	});

	it('suspends the selected cards, and undoes', async () => {
		await open('tag:greek');
		for (const box of target.querySelectorAll<HTMLInputElement>(
			'[role=cell] input[type=checkbox]'
		)) {
			box.click();
		}
		flushSync();
		expect(target.textContent).toContain('2 selected');
		button('Suspend')!.click();
		await until(() => status() === 'Suspended 2 cards.', 'suspended');
		expect((await db.cards.toArray()).filter((c) => c.queue === Queue.Suspended)).toHaveLength(2);
		await until(() => target.querySelectorAll('.held').length === 2, 'the rows marked');
		button('Undo suspend')!.click();
		await until(() => status() === 'Undone: suspend.', 'undone');
		expect((await db.cards.toArray()).filter((c) => c.queue === Queue.Suspended)).toHaveLength(0);
	});

	it('selects everything found with the header checkbox', async () => {
		const browse = await open();
		const all = target.querySelector<HTMLInputElement>('[role=columnheader] input')!;
		expect(all.getAttribute('aria-label')).toBe('Select all 3 cards');
		all.click();
		flushSync();
		expect(browse.selected.size).toBe(3);
		expect(target.textContent).toContain('3 selected');
	});

	it('opens a card with its memory state and history, and edits its note with a live preview', async () => {
		await open('beta');
		rowButton('Beta')!.click();
		await until(() => !!target.querySelector('dialog[open] dl'), 'card info');
		const dialog = target.querySelector('dialog')!;
		expect(dialog.textContent).toContain('Recall now');
		expect(dialog.textContent).toContain('9.0 days');
		expect(dialog.textContent).toContain('Not studied yet.');
		button('Edit note')!.click();
		await until(() => !!dialog.querySelector('textarea'), 'the editor');
		const front = dialog.querySelector<HTMLTextAreaElement>('#field-front')!;
		front.value = 'Beta **bold** <img src=x onerror="alert(1)"><script>alert(2)</script>';
		front.dispatchEvent(new Event('input', { bubbles: true }));
		flushSync();
		const preview = dialog.querySelector('.preview .front')!;
		expect(preview.querySelector('strong')?.textContent).toBe('bold');
		expect(preview.innerHTML).not.toMatch(/onerror|<script/);
		button('Save note')!.click();
		await until(() => status() === 'Note saved.', 'saved');
		await until(() => rowFronts()[0]?.startsWith('Beta bold') ?? false, 'the row updated');
		expect(button('Undo note edit')).toBeDefined();
	});
});

describe('accessibility at 360 px', () => {
	it('has no axe violations, and neither the page nor the table scrolls sideways', async () => {
		await addNote(
			db,
			deck.id,
			{ fields: { front: 'A rather long question that would not fit', back: 'a' } },
			NOW
		);
		await open();
		target.querySelector<HTMLInputElement>('[role=cell] input')!.click();
		flushSync();
		const results = await axe.run(target, { resultTypes: ['violations'] });
		expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target)}`)).toEqual([]);
		expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(360);
		const table = target.querySelector<HTMLElement>('[role=table]')!;
		expect(table.scrollWidth).toBeLessThanOrEqual(table.clientWidth);
		for (const el of target.querySelectorAll<HTMLElement>('button, .tap, summary, select')) {
			expect(el.getBoundingClientRect().height, el.textContent ?? '').toBeGreaterThanOrEqual(47.5);
		}
		for (const box of target.querySelectorAll<HTMLElement>('input[type=checkbox]')) {
			const { width, height } = box.getBoundingClientRect();
			expect(Math.min(width, height), box.getAttribute('aria-label') ?? '').toBeGreaterThanOrEqual(
				44
			);
		}
	});

	it('has no axe violations in the card panel', async () => {
		await addNote(db, deck.id, { fields: { front: 'Delta', back: 'd' } }, NOW);
		await open();
		rowButton('Delta')!.click();
		await until(() => !!target.querySelector('dialog[open] dl'), 'card info');
		const results = await axe.run(target, { resultTypes: ['violations'] });
		expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target)}`)).toEqual([]);
	});
});

describe('a large collection', () => {
	it('renders only the rows in view of 5 000 cards', async () => {
		await bulkCollection(db, deck.id, 5_000, NOW);
		const browse = await open();
		expect(browse.count).toBe(5_000);
		const rendered = target.querySelectorAll('[role=rowgroup] + [role=rowgroup] [role=row]').length;
		expect(rendered).toBeGreaterThan(5);
		expect(rendered).toBeLessThan(60);
		const viewport = target.querySelector<HTMLElement>('[role=table]')!;
		const rowHeight = parseFloat(
			target.querySelector<HTMLElement>('[role=rowgroup] + [role=rowgroup] [role=row]')!.style
				.height
		);
		viewport.scrollTop = rowHeight * 2_500;
		viewport.dispatchEvent(new Event('scroll'));
		flushSync();
		const indexes = [...target.querySelectorAll('[role=row][aria-rowindex]')].map((r) =>
			Number(r.getAttribute('aria-rowindex'))
		);
		expect(Math.max(...indexes)).toBeGreaterThan(2_500);
		expect(target.querySelectorAll('[role=row]').length).toBeLessThan(61);
	});

	it('reuses the rows scrolled out for the rows scrolled in, each showing its own card', async () => {
		await bulkCollection(db, deck.id, 2_000, NOW);
		const browse = await open();
		const viewport = target.querySelector<HTMLElement>('[role=table]')!;
		const bodyRows = () => [
			...target.querySelectorAll<HTMLElement>('[role=rowgroup] + [role=rowgroup] [role=row]')
		];
		const rowHeight = parseFloat(bodyRows()[0]!.style.height);
		// Each rendered row shows the card of its index in the results.
		const shown = () =>
			bodyRows().map((r) => ({
				index: Number(r.getAttribute('aria-rowindex')) - 2,
				front: r.querySelector('[data-front]')?.textContent?.trim()
			}));
		const filled = () => shown().every((r) => r.front !== undefined);
		const scrollTo = async (row: number) => {
			viewport.scrollTop = rowHeight * row;
			viewport.dispatchEvent(new Event('scroll'));
			await until(filled, `the rows around row ${row}`);
		};
		await scrollTo(100);
		const before = new Map(bodyRows().map((r) => [r.getAttribute('aria-rowindex'), r]));
		await scrollTo(103);
		const after = bodyRows();
		expect(after.length).toBe(before.size);
		for (const row of after) {
			const same = before.get(row.getAttribute('aria-rowindex'));
			// A row still in view is the same element; the new ones are the ones scrolled out.
			if (same) expect(row).toBe(same);
			else expect([...before.values()]).toContain(row);
		}
		for (const { index, front } of shown()) expect(front).toBe(browse.rowAt(index)?.front);
		// In document order, as they are on screen (what a screen reader and Tab follow).
		const indexes = shown().map((r) => r.index);
		expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
		// A long jump replaces every row, still in order and right.
		await scrollTo(1_500);
		for (const { index, front } of shown()) expect(front).toBe(browse.rowAt(index)?.front);
		expect(shown()[0]!.index).toBeGreaterThan(1_400);
	});
});
