import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deckNote, recallDeck } from '$lib/core/testing/factories';
import { ReviewSession } from '$lib/state/review-session.svelte';
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

async function start(): Promise<ReviewSession> {
	const session = new ReviewSession(db, 'deck', () => now, 'UTC');
	current = session;
	component = mount(StudyScreen, { target, props: { session } });
	await session.start();
	await until(() => !!button('Show answer'), 'the first card');
	return session;
}

describe('the study screen', () => {
	it('shows the front, then the answer below a divider with its source, then grades', async () => {
		await start();
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
