import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { ReviewSession, type StudySource } from '$lib/state/review-session.svelte';
import { syncBuiltinDeck } from '$lib/storage/builtin-decks';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import StudyScreen from './StudyScreen.svelte';
import { until } from '$lib/components/testing';

const START = Date.UTC(2026, 10, 23, 12);

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;
let now = START;
let current: ReviewSession | undefined;

beforeEach(async () => {
	now = START;
	db = freshDb();
	target = document.createElement('div');
	document.body.append(target);
	await syncBuiltinDeck(
		db,
		recallDeck({
			id: 'deck',
			title: 'History',
			notes: [
				deckNote({
					id: 'a',
					front: 'Who built the **Red Army**?',
					back: 'Leon Trotsky',
					source: 'A quote.'
				}),
				deckNote({ id: 'b', type: 'cloze', text: 'Born {{c1::Lev Bronstein}}.' })
			]
		}),
		START - 1000
	);
});

afterEach(async () => {
	current?.dispose();
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	await dropDb(db);
});

function button(name: RegExp | string): HTMLButtonElement | undefined {
	return [...target.querySelectorAll('button')].find((b) =>
		typeof name === 'string'
			? b.textContent?.trim() === name
			: name.test(b.textContent?.trim() ?? '')
	);
}

async function start(source: StudySource = 'deck'): Promise<ReviewSession> {
	const session = new ReviewSession(db, source, () => now, 'UTC');
	current = session;
	component = mount(StudyScreen, { target, props: { session } });
	await session.start();
	await until(() => !!button('Show answer'), 'the first card');
	return session;
}

/** Mounts the screen over a search that shows no card (it is wrong, or finds nothing). */
async function startNothing(query: string): Promise<ReviewSession> {
	const session = new ReviewSession(db, { search: query }, () => now, 'UTC');
	current = session;
	component = mount(StudyScreen, { target, props: { session } });
	await session.start();
	return session;
}

const status = () => target.querySelector('[role=status]')?.textContent ?? '';
const link = (name: string) =>
	[...target.querySelectorAll('a')].find((a) => a.textContent?.trim() === name);

describe('the study screen', () => {
	it('shows the front, then the answer below a divider with its source, then grades', async () => {
		await start();
		// These notes were written without stored HTML: rendered (and sanitized) on demand.
		await until(
			() => target.querySelector('.front')?.innerHTML.includes('<strong>') ?? false,
			'the front'
		);
		expect(target.querySelector('.front')?.innerHTML).toContain('<strong>Red Army</strong>');
		expect(target.textContent).not.toContain('Leon Trotsky');
		button('Show answer')!.click();
		await until(() => !!button(/^Good/), 'the grade buttons');
		expect(target.querySelector('hr')).not.toBeNull();
		expect(target.querySelector('.back')?.textContent).toBe('Leon Trotsky');
		expect(target.querySelector('.source')?.textContent).toContain('From the article:');
		expect(button(/^Again/)!.textContent).toMatch(/Again\s*1m/);
		expect(button(/^Good/)!.textContent).toMatch(/Good\s*10m/);
		button(/^Good/)!.click();
		await until(
			() => target.querySelector('.front')?.textContent?.includes('[') ?? false,
			'the cloze card'
		);
		expect(await db.revlog.count()).toBe(1);
	});

	it('hides a cloze deletion on the front and reveals it on the back', async () => {
		const session = await start();
		session.reveal();
		await session.grade(4);
		await until(
			() => target.querySelector('.front')?.textContent?.includes('Born') ?? false,
			'cloze front'
		);
		expect(target.querySelector('.front')?.textContent).not.toContain('Lev Bronstein');
		button('Show answer')!.click();
		await until(() => !!target.querySelector('.back .cloze'), 'cloze back');
		expect(target.querySelector('.back .cloze')?.textContent).toBe('Lev Bronstein');
	});

	it('answers the keyboard: Space reveals, 3 grades Good, Z undoes', async () => {
		await start();
		window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
		await until(() => !!button(/^Good/), 'the grade buttons');
		window.dispatchEvent(new KeyboardEvent('keydown', { key: '3' }));
		await until(() => !!button('Show answer') && !button('Undo')?.disabled, 'graded');
		await expect.poll(() => db.revlog.count()).toBe(1);
		window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z' }));
		await expect.poll(() => db.revlog.count()).toBe(0);
		await until(() => target.querySelector('[role=status]')?.textContent === 'Undone.', 'undo');
	});

	it('says when nothing is due and when the next card is', async () => {
		const session = await start();
		for (let i = 0; i < 2; i++) {
			session.reveal();
			await session.grade(4);
		}
		await until(
			() => target.textContent?.includes('Nothing is due right now') ?? false,
			'finished'
		);
		expect(target.textContent).toMatch(/The next card is due/);
		expect(target.textContent).toMatch(/This session: 2\s+cards/);
	});
});

describe('pictures on cards', () => {
	it('shows a picture from the media store as a blob: URL', async () => {
		await db.media.put({
			name: 'map.png',
			type: 'image/png',
			data: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' })
		});
		await db.notes.update('deck/a', {
			fields: { front: 'Where? <img src="map.png" alt="map">', back: 'Here' }
		});
		await start();
		await until(() => !!target.querySelector('.front img'), 'the picture');
		expect(target.querySelector('.front img')?.getAttribute('src')).toMatch(/^blob:/);
	});
});

describe('the study screen over a search ("Study these")', () => {
	const query = 'deck:History';

	it('heads the screen with the search and offers card info and suspend, with undo', async () => {
		await start({ search: query });
		expect(target.querySelector('h1')?.textContent).toBe(`Studying ${query}`);
		expect(target.querySelector('h1 code')?.textContent).toBe(query);
		expect(link('‹ Search')?.getAttribute('href')).toBe(`/browse?q=${encodeURIComponent(query)}`);
		expect(target.querySelector('.counts')?.getAttribute('aria-label')).toBe(
			'2 new, 0 learning, 0 to review'
		);
		expect(
			document.getElementById(
				target.querySelector('.counts')?.getAttribute('aria-describedby') ?? ''
			)?.textContent
		).toBe('Showing a new card');

		const info = button('Card info')!;
		expect(info.disabled).toBe(false);
		info.click();
		await until(() => !!target.querySelector('#card-info-title'), 'the card info');
		expect(target.textContent).toContain('This card’s memory');
		expect(info.getAttribute('aria-pressed')).toBe('true');

		const first = target.querySelector('.front')?.textContent;
		button('Suspend card')!.click();
		await until(() => status() === 'Card suspended.', 'suspended');
		await until(() => target.querySelector('.front')?.textContent !== first, 'the next card');
		expect((await db.cards.get('deck/a/0'))?.queue).toBe(-1);
		expect(target.querySelector('.counts')?.getAttribute('aria-label')).toBe(
			'1 new, 0 learning, 0 to review'
		);
		expect(
			document.getElementById(
				target.querySelector('.counts')?.getAttribute('aria-describedby') ?? ''
			)?.textContent
		).toBe('Showing a new card');
		window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z' }));
		await until(() => status() === 'Undone.', 'undo');
		await until(() => target.querySelector('.front')?.textContent === first, 'the card again');
		expect((await db.cards.get('deck/a/0'))?.queue).toBe(0);
	});

	it('says when done: the summary, how many of the cards found, and the way back', async () => {
		const session = await start({ search: query });
		for (let i = 0; i < 2; i++) {
			session.reveal();
			await session.grade(4);
		}
		await until(() => !!target.querySelector('#finished-title'), 'finished');
		expect(target.querySelector('#finished-title')?.textContent).toBe('Done');
		expect(target.textContent).toContain('You answered 2 of the 2 cards found.');
		expect(target.textContent).toMatch(/This session: 2\s+cards/);
		expect(link('Back to the search')?.getAttribute('href')).toBe(
			`/browse?q=${encodeURIComponent(query)}`
		);
	});

	it('says when a search is wrong or finds nothing to study, with the way back', async () => {
		await startNothing('(History');
		await until(() => !!link('Back to the search'), 'the link back');
		expect(status()).toMatch(/not closed/);
		expect(target.textContent).toContain('Back to the search to fix it.');
		await unmount(component!);
		component = undefined;
		current?.dispose();

		await startNothing('tag:nothing');
		await until(() => !!link('Back to the search'), 'the link back');
		expect(target.textContent).toContain(
			'No card of this search can be studied (suspended and buried cards are left out).'
		);
		expect(link('Back to the search')?.getAttribute('href')).toBe('/browse?q=tag%3Anothing');
		expect(button('Show answer')).toBeUndefined();
	});
});
