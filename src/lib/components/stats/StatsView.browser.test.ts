import axe from 'axe-core';
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../../app.css';
import { CardState, Queue } from '$lib/core/model';
import { makeCard } from '$lib/core/scheduling/test-factories';
import { NOW, TZ, knownLog } from '$lib/core/stats/test-factories';
import { StatsState } from '$lib/state/stats.svelte';
import type { RecallDb } from '$lib/storage/db';
import { ensureDefaultPreset } from '$lib/storage/presets';
import { dropDb, freshDb } from '$lib/storage/testing';
import BarChart from './BarChart.svelte';
import StatsView from './StatsView.svelte';
import { until } from '$lib/components/testing';

const DAY = 86_400_000;

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(async () => {
	await page.viewport(360, 800);
	db = freshDb();
	await ensureDefaultPreset(db);
	const deck = { description: '', origin: 'user' as const, version: 0, presetId: 'default' };
	await db.decks.bulkAdd([
		{ ...deck, id: 'deck', title: 'Zoology', createdAt: 0 },
		{ ...deck, id: 'other', title: 'Art', createdAt: 0 }
	]);
	await db.revlog.bulkAdd(knownLog());
	const review = { queue: Queue.Review, state: CardState.Review, difficulty: 5, stability: 20 };
	await db.cards.bulkAdd([
		makeCard({ deckId: 'deck' }),
		makeCard({
			deckId: 'deck',
			...review,
			scheduledDays: 30,
			due: NOW - DAY,
			lastReview: NOW - 20 * DAY
		}),
		makeCard({
			deckId: 'other',
			...review,
			scheduledDays: 4,
			due: NOW + DAY,
			lastReview: NOW - 3 * DAY
		})
	]);
	target = document.createElement('div');
	document.body.append(target);
});

afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	await dropDb(db);
});

const text = (selector: string) =>
	target.querySelector(selector)?.textContent?.replace(/\s+/g, ' ');
const section = (heading: string) =>
	[...target.querySelectorAll('section')].find(
		(s) => s.querySelector('h2')?.textContent === heading
	)!;
const button = (name: string) =>
	[...target.querySelectorAll('button')].find(
		(b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name
	)!;

async function show(): Promise<StatsState> {
	const stats = new StatsState(
		() => db,
		() => NOW,
		TZ
	);
	component = mount(StatsView, { target, props: { stats } });
	await stats.load();
	await until(() => text('[role=status]') === 'Statistics for All decks.', 'the statistics');
	return stats;
}

describe('the statistics page', () => {
	it("shows today's numbers, the streak and the true-retention table of a known log", async () => {
		await show();
		const today = section('Today').textContent!.replace(/\s+/g, ' ');
		expect(today).toContain('Studied 4 cards 5 answers');
		expect(today).toContain('Again 40%');
		expect(today).toContain('Streak 2 days');
		const year = [...section('True retention').querySelectorAll('tbody tr')].at(-1)!;
		const cells = [...year.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim());
		expect(cells).toEqual(['Last 365 days', '75% 3 of 4', '50% 2 of 4', '62.5% 5 of 8']);
	});

	it('says the count of a day tapped or chosen with the keys on the calendar', async () => {
		await show();
		const readout = () => text('[aria-live=polite]') ?? '';
		expect(readout()).toMatch(/: 5 reviews$/);
		const calendar = target.querySelector<HTMLButtonElement>('button.calendar')!;
		calendar.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
		await until(() => readout().endsWith(': 3 reviews'), 'yesterday');
		button('Previous day').click();
		await until(() => readout().endsWith(': 0 reviews'), 'the day before');
		// A tap lands on the cell of day −3 (two reviews, one after midnight).
		const rects = calendar.querySelectorAll('rect');
		const cell = rects[rects.length - 4]!.getBoundingClientRect();
		const tap = { bubbles: true, detail: 1, clientX: cell.x + 2, clientY: cell.y + 2 };
		calendar.dispatchEvent(new MouseEvent('click', tap));
		await until(() => readout().endsWith(': 2 reviews'), 'the tapped day');
		expect(section('Reviews, past year').textContent).toContain(
			'13 reviews on 5 days of the last 365'
		);
	});

	it('draws the forecast with uPlot and gives its numbers as a table, for 30 days or a year', async () => {
		await show();
		const due = section('Future due');
		expect(due.querySelector('canvas')).not.toBeNull();
		expect(due.textContent).toContain('Due today: 1 (backlog: 1 overdue card)');
		expect(due.querySelectorAll('table tbody tr')).toHaveLength(30);
		button('1 year').click();
		await until(() => due.querySelectorAll('table tbody tr').length === 53, 'the weekly table');
		expect(button('1 year').getAttribute('aria-pressed')).toBe('true');
		const counts = section('Card counts').textContent!.replace(/\s+/g, ' ');
		expect(counts).toContain('New 1');
		expect(counts).toContain('Total 3');
	});

	it('narrows everything to one deck', async () => {
		const stats = await show();
		const select = target.querySelector('select')!;
		select.value = 'other';
		select.dispatchEvent(new Event('change', { bubbles: true }));
		await until(() => text('[role=status]') === 'Statistics for Art.', 'the deck');
		expect(stats.deckId).toBe('other');
		expect(section('Today').textContent).toContain('0 cards');
		expect(section('Card counts').textContent!.replace(/\s+/g, ' ')).toContain('Total 1');
	});

	it('has no axe violations and no horizontal scroll at 360 px', async () => {
		await show();
		const results = await axe.run(target, { resultTypes: ['violations'] });
		expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target)}`)).toEqual([]);
		expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(360);
		expect(target.scrollWidth).toBeLessThanOrEqual(target.clientWidth);
	});
});

describe('a bar chart', () => {
	it('paints its bars in the theme colour it is given', async () => {
		target.style.setProperty('--test-bar', 'rgb(255, 0, 0)');
		component = mount(BarChart, {
			target,
			props: { labels: ['a', 'b'], values: [5, 5], color: '--test-bar' }
		});
		await until(() => !!target.querySelector('canvas'), 'the canvas');
		const canvas = target.querySelector('canvas')!;
		const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		let red = 0;
		for (let i = 0; i < pixels.length; i += 4) {
			if (pixels[i] === 255 && pixels[i + 1] === 0 && pixels[i + 2] === 0) red++;
		}
		expect(red).toBeGreaterThan(100);
	});
});
