/**
 * Sync under faults, against `npm start`'s setup (the production build and the real sync server
 * on one origin, PGlite in a folder of its own). Each journey ends with "nothing lost, nothing
 * doubled", read from the server (every row pulled by a fresh token) and from each device's
 * IndexedDB:
 *
 * - a new device's big pull shows its progress, the decks can be studied between its pages, and
 *   the server killed in the middle of it (then restarted) makes the pull go on from the saved
 *   cursor, not from zero;
 * - the tab closed during a push (reply lost) and during a pull, reopened: the same state;
 * - storage full during a pull (IndexedDB's QuotaExceededError, injected): the error in words,
 *   nothing partial kept, the next sync resumes;
 * - the two devices' clocks 10 min ahead and 10 min behind: the warning shows, the merge agrees;
 * - two tabs of one device sync once, not twice (requests counted);
 * - the server restored with a new epoch: the device sends everything again, nothing doubles.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, buildServer } from '../../../scripts/build-server.mjs';
import {
	PROTOCOL_VERSION,
	reviewRecordId,
	type AccountReply,
	type PullReply,
	type ReviewRecord
} from '../../../src/lib/core/sync';
import { axeViolations } from '../axe';
import { launch } from '../browser';
import {
	OFFLINE_NOISE,
	expectNoHorizontalOverflow,
	startJourney,
	waitForDeckCounts,
	type Journey
} from '../journey';

const SYNC_PORT = 4382;
const SERVER = `http://localhost:${SYNC_PORT}`;
const PASSWORD = 'correct horse battery';
/** The app fetching the sync server while offline, killed or before it answers. */
const ALLOW = [
	...OFFLINE_NOISE,
	/Failed to fetch/,
	/ERR_CONNECTION_REFUSED/,
	/ERR_CONNECTION_RESET/,
	/ERR_EMPTY_RESPONSE/,
	/ERR_FAILED/
];
const DAY = 86_400_000;

let server: ChildProcess | undefined;
let dataDir: string;
let browser: Browser;

async function startServer(): Promise<void> {
	server = spawn(process.execPath, [SERVER_BUNDLE], {
		env: {
			...process.env,
			DATABASE_URL: '',
			RECALL_DATA: dataDir,
			PORT: String(SYNC_PORT),
			BUILD_DIR: 'build'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const proc = server;
	const until = Date.now() + 240_000;
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`the sync server exited (${proc.exitCode})`);
		if (Date.now() > until) throw new Error('the sync server did not start');
		try {
			const health = await fetch(`${SERVER}/api/health`);
			// Another process on the port would answer with something else.
			if (health.ok && ((await health.json()) as { ok?: boolean }).ok) return;
		} catch {
			// not up yet
		}
		await sleep(300);
	}
}

function stopServer(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	const proc = server;
	server = undefined;
	return new Promise((resolve) => {
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
		proc.once('exit', () => resolve());
		proc.kill(signal);
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	await buildServer();
	dataDir = mkdtempSync(join(tmpdir(), 'recall-sync-faults-'));
	await startServer();
	browser = await launch();
}, 300_000);
afterAll(async () => {
	await browser?.close();
	await stopServer('SIGKILL');
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ── the server, as another device would talk to it ─────────────────────────────────────────

async function api<T>(path: string, token: string | null, body?: unknown): Promise<T> {
	const res = await fetch(`${SERVER}${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: {
			'Content-Type': 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {})
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const json = (await res.json()) as T & { error?: string };
	if (!res.ok) throw new Error(`${path}: ${json.error ?? res.status}`);
	return json;
}

const createAccount = (name: string) =>
	api<AccountReply>('/api/account', null, { name, password: PASSWORD, deviceName: 'Seeder' });

/** Every review id on the server for the account (a fresh device token pulls it all). */
async function serverReviews(name: string): Promise<string[]> {
	const { token } = await api<AccountReply>('/api/login', null, {
		name,
		password: PASSWORD,
		deviceName: 'Checker'
	});
	const ids: string[] = [];
	let cursor = 0;
	for (;;) {
		const page = await api<PullReply>(`/api/pull?after=${cursor}&limit=2000`, token);
		for (const r of page.records) if (r.kind === 'review') ids.push(r.id);
		cursor = page.cursor;
		if (page.done) return ids.sort();
	}
}

/** `perCard` reviews of each card, a week apart, ending two days ago: the cards are due today. */
function history(cards: { id: string; deckId: string }[], perCard: number): ReviewRecord[] {
	const end = Date.now() - 2 * DAY;
	const out: ReviewRecord[] = [];
	for (let k = 0; k < perCard; k++) {
		for (const card of cards) {
			const r = { cardId: card.id, reviewedAt: end - (perCard - k) * 7 * DAY, rating: 3 as const };
			out.push({
				kind: 'review',
				id: reviewRecordId(r),
				...r,
				deckId: card.deckId,
				state: k === 0 ? 0 : 2,
				due: r.reviewedAt + 7 * DAY,
				stability: 7,
				difficulty: 5,
				elapsedDays: k === 0 ? 0 : 7,
				scheduledDays: 7,
				durationMs: 5000
			});
		}
	}
	return out;
}

async function pushAll(account: AccountReply, records: ReviewRecord[]): Promise<void> {
	for (let i = 0; i < records.length; i += 2000) {
		await api('/api/push', account.token, {
			protocol: PROTOCOL_VERSION,
			epoch: account.epoch,
			records: records.slice(i, i + 2000)
		});
	}
}

// ── the device ─────────────────────────────────────────────────────────────────────────────

const go = (page: Page, path: string) => page.goto(`${SERVER}${path}`);
const syncSection = (page: Page) => page.getByRole('region', { name: 'Sync' });
const status = (page: Page) => syncSection(page).getByTestId('sync-status').textContent();

async function signIn(page: Page, name: string, create = false) {
	await go(page, '/settings');
	const section = syncSection(page);
	await expect
		.poll(() => section.getByLabel('Server').inputValue(), { timeout: 30_000 })
		.toBe(SERVER);
	await section.getByLabel('Name').fill(name);
	await section.getByLabel('Password').fill(PASSWORD);
	await section.getByRole('button', { name: create ? 'Create account' : 'Sign in' }).click();
}

const waitSynced = (page: Page, timeout = 60_000) =>
	expect.poll(() => status(page), { timeout }).toBe('Synced just now');

async function syncNow(page: Page) {
	if (!page.url().endsWith('/settings')) await go(page, '/settings');
	// "Synced just now" may still be showing from the sync before (or an automatic one may be
	// under way, which this one then follows): wait for this sync's own pull.
	const pulled = page.waitForResponse((r) => r.url().includes('/api/pull'), { timeout: 60_000 });
	await syncSection(page).getByRole('button', { name: 'Sync now' }).click();
	await pulled;
	await waitSynced(page);
}

interface Snapshot {
	reviews: string[];
	cards: Record<string, unknown>;
	cursor: number | null;
	outbox: number;
	allCards: { id: string; deckId: string }[];
}

/** The review log (stable ids), the studied cards' states, the saved cursor, from IndexedDB. */
function snapshot(page: Page): Promise<Snapshot> {
	return page.evaluate(
		() =>
			new Promise<Snapshot>((resolve, reject) => {
				const open = indexedDB.open('recall');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['revlog', 'cards', 'meta', 'syncOutbox'], 'readonly');
					const logReq = tx.objectStore('revlog').getAll();
					const cardReq = tx.objectStore('cards').getAll();
					const accountReq = tx.objectStore('meta').get('sync:account');
					const outboxReq = tx.objectStore('syncOutbox').count();
					tx.oncomplete = () => {
						const reviews = (
							logReq.result as { cardId: string; reviewedAt: number; rating: number }[]
						)
							.map((r) => `${r.cardId}@${r.reviewedAt.toString(36)}.${r.rating}`)
							.sort();
						const cards: Record<string, unknown> = {};
						const all = cardReq.result as Record<string, unknown>[];
						for (const c of all) {
							if ((c.reps as number) > 0) {
								const state = { ...c };
								delete state.rev;
								cards[c.id as string] = state;
							}
						}
						db.close();
						resolve({
							reviews,
							cards,
							cursor: (accountReq.result?.value?.cursor as number | undefined) ?? null,
							outbox: outboxReq.result,
							allCards: all.map((c) => ({ id: c.id as string, deckId: c.deckId as string }))
						});
					};
				};
			})
	);
}

/** Opens the app on a new device and waits for its decks. */
async function newDevice(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Journey> {
	const j = await startJourney({ browser, allow: ALLOW, ...options });
	await go(j.page, '/');
	await waitForDeckCounts(j.page);
	return j;
}

/** Pull requests seen: their `after`. Each is held `delay.ms` once answered (a slow network). */
function watchPulls(
	context: BrowserContext,
	delay: { ms: number },
	onPull?: (after: number) => Promise<void> | void
) {
	const asked: number[] = [];
	void context.route('**/api/pull**', async (route: Route) => {
		const after = Number(new URL(route.request().url()).searchParams.get('after'));
		asked.push(after);
		await onPull?.(after);
		try {
			const res = await route.fetch();
			await sleep(delay.ms);
			await route.fulfill({ response: res });
		} catch {
			await route.abort('connectionrefused').catch(() => {});
		}
	});
	return asked;
}

/** The longest main-thread task seen by the page since it loaded (PerformanceObserver). */
const LONG_TASKS = () => {
	const w = window as unknown as { __longTasks: number[] };
	w.__longTasks = [];
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) w.__longTasks.push(e.duration);
	}).observe({ type: 'longtask', buffered: true });
};
const longTasks = (page: Page) =>
	page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());

async function gradeOne(page: Page, grade: string) {
	await page.getByRole('button', { name: 'Show answer' }).click();
	await page.getByRole('button', { name: new RegExp(`^${grade}`) }).click();
	await page.getByRole('button', { name: 'Undo' }).waitFor();
}

async function openSettings(page: Page) {
	await page.getByRole('button', { name: 'More' }).click();
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.waitForURL(/\/settings$/);
}

describe('sync faults', () => {
	it(
		'a new device pulls 12,000 changes with progress, is studied between pages, and resumes from its cursor after the server is killed',
		{ timeout: 600_000 },
		async () => {
			const seeder = await newDevice();
			const cards = (await snapshot(seeder.page)).allCards;
			await seeder.finish();
			const account = await createAccount('Big pull');
			// Reviews of the built-in decks' cards (one id on every device), 12,000 in all.
			const records = history(cards, Math.ceil(12_000 / cards.length)).slice(0, 12_000);
			expect(records).toHaveLength(12_000);
			await pushAll(account, records);

			const j = await startJourney({ browser, allow: ALLOW });
			await j.context.addInitScript(LONG_TASKS);
			// The third page is held until the study below is done; then the server dies under it.
			let studied: () => void = () => {};
			const studyDone = new Promise<void>((resolve) => (studied = resolve));
			let killedAfter = -1;
			const slow = { ms: 1500 };
			const asked = watchPulls(j.context, slow, async (after) => {
				if (after < 4_000 || killedAfter >= 0) return;
				killedAfter = after;
				await studyDone;
				await stopServer('SIGKILL');
			});
			await go(j.page, '/');
			await waitForDeckCounts(j.page);
			await signIn(j.page, 'Big pull');
			// The status says how far the download is, in words.
			await expect
				.poll(() => status(j.page), { timeout: 60_000 })
				.toMatch(/^Downloading [\d,]+ of [\d,]+ changes…$/);
			expect(await axeViolations(j.page)).toEqual([]);
			await expectNoHorizontalOverflow(j.page);

			// While it comes in: the deck list and a study session work.
			await j.page.getByRole('link', { name: 'Decks' }).click();
			await waitForDeckCounts(j.page);
			await j.page
				.getByRole('link', { name: /^Study / })
				.first()
				.click();
			await j.page.waitForURL(/\/study\//);
			await gradeOne(j.page, 'Good');
			await gradeOne(j.page, 'Good');
			const pagesWhileStudying = asked.length;
			studied();
			await j.page.getByRole('link', { name: '‹ Decks' }).click();
			await openSettings(j.page);
			await expect
				.poll(() => status(j.page), { timeout: 120_000 })
				.toMatch(/could not be reached|Offline/);
			const mid = await snapshot(j.page);
			expect(pagesWhileStudying).toBeGreaterThanOrEqual(2);
			expect(killedAfter).toBeGreaterThanOrEqual(4_000);
			expect(mid.cursor).toBe(killedAfter);
			// Every chunk written came with its cursor: the reviews up to it (a record among them may be a
			// collection field rather than a review) and the two made here; the end state below is exact.
			expect(mid.reviews.length).toBeGreaterThanOrEqual(mid.cursor!);
			expect(mid.reviews.length).toBeLessThanOrEqual(mid.cursor! + 2);

			// Counted before the restart: the app's own retry may get through while the server starts,
			// before "Sync now" is pressed.
			const resumedAt = asked.length;
			await startServer();
			slow.ms = 0;
			await syncSection(j.page).getByRole('button', { name: 'Sync now' }).click();
			await waitSynced(j.page, 180_000);
			// The first page asked after the kill starts at the saved cursor, and none at zero.
			expect(asked[resumedAt]).toBe(mid.cursor);
			expect(asked.slice(resumedAt)).not.toContain(0);

			const done = await snapshot(j.page);
			const onServer = await serverReviews('Big pull');
			expect(onServer).toHaveLength(12_002);
			expect(new Set(onServer).size).toBe(12_002);
			// The device holds every review once: the 12,000 pulled and its own two.
			expect(done.reviews).toEqual(onServer);
			expect(done.outbox).toBe(0);
			const blocked = Math.max(0, ...(await longTasks(j.page)));
			console.log(
				`sync-faults: longest main-thread task during the pull ${Math.round(blocked)} ms`
			);
			await j.finish();
		}
	);

	it(
		'the tab closed during a push (its reply lost) and during a pull, reopened: the same state, nothing doubled',
		{ timeout: 600_000 },
		async () => {
			const account = await createAccount('Tab closed');
			const a = await newDevice();
			await signIn(a.page, 'Tab closed');
			await waitSynced(a.page);
			// Offline, three grades; back online the push reaches the server and commits, and the tab
			// is closed before its reply arrives.
			await a.page.getByRole('link', { name: 'Decks' }).click();
			await waitForDeckCounts(a.page);
			await a.page
				.getByRole('link', { name: /^Study / })
				.first()
				.click();
			await a.page.getByRole('button', { name: 'Show answer' }).waitFor();
			await a.context.setOffline(true);
			await gradeOne(a.page, 'Good');
			await gradeOne(a.page, 'Easy');
			await gradeOne(a.page, 'Again');
			let closedOnPush: Promise<void> | undefined;
			await a.context.route('**/api/push', async (route) => {
				await route.fetch();
				closedOnPush = a.page.close();
			});
			await a.context.setOffline(false);
			await expect.poll(() => closedOnPush !== undefined, { timeout: 30_000 }).toBe(true);
			await closedOnPush;
			await a.context.unroute('**/api/push');
			expect(await serverReviews('Tab closed')).toHaveLength(3);

			// Reopened: the outbox is pushed again (idempotent), nothing doubles on the server.
			let page = await a.newPage();
			await go(page, '/settings');
			// The reopened tab syncs on start (after the first paint): the outbox goes out again.
			await expect.poll(async () => (await snapshot(page)).outbox, { timeout: 60_000 }).toBe(0);
			await waitSynced(page);
			const afterPush = await snapshot(page);
			expect(afterPush.outbox).toBe(0);
			expect(await serverReviews('Tab closed')).toEqual(afterPush.reviews);

			// Another device adds 4,000 reviews; the tab is closed while their second page is in flight.
			const more = history(afterPush.allCards, 30);
			await pushAll(account, more);
			let closing: Promise<void> | undefined;
			const asked = watchPulls(a.context, { ms: 500 }, (after) => {
				if (after > 0 && !closing) closing = page.close();
			});
			await syncSection(page).getByRole('button', { name: 'Sync now' }).click();
			await expect.poll(() => closing !== undefined, { timeout: 60_000 }).toBe(true);
			await closing;
			page = await a.newPage();
			await go(page, '/');
			const mid = await snapshot(page);
			// Whatever was written came with its cursor: no more reviews than records up to it (the
			// device's own collection fields, pulled back, come first).
			expect(mid.cursor).toBeLessThan(more.length + 3 + 2_000);
			expect(mid.reviews.length).toBeLessThanOrEqual(mid.cursor!);
			await go(page, '/settings');
			// The reopened tab syncs on start (after the first paint): the rest comes in.
			const onServer = await serverReviews('Tab closed');
			await expect
				.poll(async () => (await snapshot(page)).reviews.length, { timeout: 120_000 })
				.toBe(onServer.length);
			await waitSynced(page);
			expect(asked.filter((x) => x === 0)).toHaveLength(0);
			const after = await snapshot(page);
			expect(onServer).toHaveLength(more.length + 3);
			expect(after.reviews).toEqual(onServer);

			// The same state as a device that synced without interruption.
			const b = await newDevice();
			await signIn(b.page, 'Tab closed');
			await waitSynced(b.page);
			const ref = await snapshot(b.page);
			expect(ref.reviews).toEqual(after.reviews);
			expect(ref.cards).toEqual(after.cards);
			await b.finish();
			await a.finish();
		}
	);

	it(
		'storage full during a pull: the error in words, nothing partial kept, the next sync resumes',
		{ timeout: 600_000 },
		async () => {
			const account = await createAccount('Storage full');
			const seeder = await newDevice();
			const cards = (await snapshot(seeder.page)).allCards;
			await seeder.finish();
			const records = history(cards, 20);
			expect(records.length).toBeGreaterThan(2_000);
			await pushAll(account, records);

			const j = await startJourney({ browser, allow: ALLOW });
			// IndexedDB refuses review-log writes past a budget, as a full disk does (QuotaExceededError):
			// on the page, and in the workers it starts (a long pull is written by the pull worker),
			// each worker given the budget left when it starts.
			await j.context.addInitScript(() => {
				const KEY = 'test:revlog-writes-left';
				const limit = (count: { left: () => string | null; set: (n: number) => void }) => {
					for (const method of ['add', 'put'] as const) {
						const original = IDBObjectStore.prototype[method];
						IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: never[]) {
							const left = count.left();
							if (this.name === 'revlog' && left !== null) {
								if (Number(left) <= 0)
									throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
								count.set(Number(left) - 1);
							}
							return (original as (...a: unknown[]) => IDBRequest).apply(this, args);
						} as never;
					}
				};
				limit({
					left: () => localStorage.getItem(KEY),
					set: (n) => localStorage.setItem(KEY, String(n))
				});
				const RealWorker = window.Worker;
				window.Worker = function (url: string | URL, options?: WorkerOptions) {
					const left = localStorage.getItem(KEY);
					// A static import: the worker's own message listener is there before any message.
					const source = `import ${JSON.stringify(new URL(url, location.href).href)};
						let left = ${JSON.stringify(left)};
						(${limit.toString()})({ left: () => left, set: (n) => { left = String(n); } });`;
					const blob = new Blob([source], { type: 'text/javascript' });
					return new RealWorker(URL.createObjectURL(blob), options);
				} as unknown as typeof Worker;
			});
			await go(j.page, '/');
			await waitForDeckCounts(j.page);
			await j.page.evaluate(() => localStorage.setItem('test:revlog-writes-left', '1050'));
			await signIn(j.page, 'Storage full');
			await expect
				.poll(() => status(j.page), { timeout: 60_000 })
				.toMatch(
					/^This device’s storage is full: the download stopped and nothing of the unfinished part was kept\./
				);
			const full = await snapshot(j.page);
			// The chunks before the full one are in, each whole; the one that failed left nothing.
			expect(full.reviews.length % 100).toBe(0);
			expect(full.reviews.length).toBe(1000);
			expect(full.cursor).toBe(1000);
			await expectNoHorizontalOverflow(j.page);
			expect(await axeViolations(j.page)).toEqual([]);

			// Space freed: the next sync goes on from where it stopped.
			await j.page.evaluate(() => localStorage.removeItem('test:revlog-writes-left'));
			const asked = watchPulls(j.context, { ms: 0 });
			await syncNow(j.page);
			expect(asked[0]).toBe(1000);
			const done = await snapshot(j.page);
			const onServer = await serverReviews('Storage full');
			expect(onServer).toHaveLength(records.length);
			expect(done.reviews).toEqual(onServer);
			await j.finish();
		}
	);

	it(
		'clocks 10 min ahead and 10 min behind: each device warns, and the merge still agrees on one order',
		{ timeout: 600_000 },
		async () => {
			const skew = (offset: number) => {
				const Real = Date;
				class Skewed extends Real {
					constructor(...args: unknown[]) {
						if (args.length === 0) super(Real.now() + offset);
						else super(...(args as [number]));
					}
					static now() {
						return Real.now() + offset;
					}
				}
				globalThis.Date = Skewed as DateConstructor;
			};
			await createAccount('Skewed clocks');
			const ahead = await startJourney({ browser, allow: ALLOW });
			await ahead.context.addInitScript(skew, 10 * 60_000);
			const behind = await startJourney({ browser, allow: ALLOW, colorScheme: 'dark' });
			await behind.context.addInitScript(skew, -10 * 60_000);
			for (const [j, word] of [
				[ahead, 'ahead of'],
				[behind, 'behind']
			] as const) {
				await go(j.page, '/');
				await waitForDeckCounts(j.page);
				await signIn(j.page, 'Skewed clocks');
				await waitSynced(j.page);
				const warning = syncSection(j.page).getByRole('alert');
				await expect
					.poll(() => warning.textContent(), { timeout: 30_000 })
					.toBe(
						`This device’s clock is 10 min ${word} the server’s: set it right, or edits made here may be ordered wrongly.`
					);
				await expectNoHorizontalOverflow(j.page);
				expect(await axeViolations(j.page)).toEqual([]);
			}
			// Offline, the device that is ahead grades the first card, then the one behind does.
			for (const j of [ahead, behind]) await j.context.setOffline(true);
			for (const [j, grade] of [
				[ahead, 'Good'],
				[behind, 'Again']
			] as const) {
				await go(j.page, '/');
				await waitForDeckCounts(j.page);
				await j.page
					.getByRole('link', { name: /^Study / })
					.first()
					.click();
				await gradeOne(j.page, grade);
			}
			for (const j of [ahead, behind]) await j.context.setOffline(false);
			await syncNow(ahead.page);
			await syncNow(behind.page);
			await syncNow(ahead.page);
			const [sa, sb] = [await snapshot(ahead.page), await snapshot(behind.page)];
			expect(sa.reviews).toHaveLength(2);
			expect(sb.reviews).toEqual(sa.reviews);
			expect(sb.cards).toEqual(sa.cards);
			// One card, both reviews, ordered by their recorded times on both devices: the behind
			// device's Again (recorded ~20 min earlier) first, the ahead device's Good last.
			const [card] = Object.values(sa.cards) as {
				reps: number;
				lapses: number;
				lastReview: number;
			}[];
			expect(Object.keys(sa.cards)).toHaveLength(1);
			expect(card!.reps).toBe(2);
			const times = sa.reviews.map((id) => parseInt(id.split('@')[1]!.split('.')[0]!, 36));
			expect(card!.lastReview).toBe(Math.max(...times));
			expect(sa.reviews.find((id) => id.endsWith('.3'))).toBeDefined();
			await ahead.finish();
			await behind.finish();
		}
	);

	it('two tabs of one device sync once, not twice', { timeout: 600_000 }, async () => {
		await createAccount('Two tabs');
		const j = await newDevice();
		await signIn(j.page, 'Two tabs');
		await waitSynced(j.page);
		const second = await j.newPage();
		await go(second, '/settings');
		await waitSynced(second);
		await sleep(1500);

		const requests: string[] = [];
		await j.context.route('**/api/**', async (route) => {
			requests.push(new URL(route.request().url()).pathname);

			await route.continue();
		});
		// The network comes back: both tabs hear it; one syncs, the other shows its result.
		await j.context.setOffline(true);
		await sleep(500);
		await j.context.setOffline(false);
		await waitSynced(j.page);
		await waitSynced(second);
		await sleep(4000);
		expect(requests.filter((p) => p === '/api/pull')).toHaveLength(1);
		expect(requests.filter((p) => p === '/api/push')).toHaveLength(0);

		// A grade in one tab: one push and one pull, and the other tab says it is synced.
		requests.length = 0;
		await j.page.getByRole('link', { name: 'Decks' }).click();
		await waitForDeckCounts(j.page);
		await j.page
			.getByRole('link', { name: /^Study / })
			.first()
			.click();
		await gradeOne(j.page, 'Good');
		await expect
			.poll(() => requests.filter((p) => p === '/api/push').length, { timeout: 20_000 })
			.toBe(1);
		await expect.poll(() => status(second), { timeout: 20_000 }).toBe('Synced just now');
		await sleep(4000);
		expect(requests.filter((p) => p === '/api/push')).toHaveLength(1);
		expect(requests.filter((p) => p === '/api/pull')).toHaveLength(1);
		expect(await serverReviews('Two tabs')).toEqual((await snapshot(second)).reviews);
		await j.finish();
	});

	it(
		'the server restored with a new epoch: the device sends everything again, nothing lost or doubled',
		{ timeout: 600_000 },
		async () => {
			await createAccount('New epoch');
			const j = await newDevice();
			await signIn(j.page, 'New epoch');
			await waitSynced(j.page);
			await go(j.page, '/');
			await waitForDeckCounts(j.page);
			await j.page
				.getByRole('link', { name: /^Study / })
				.first()
				.click();
			await gradeOne(j.page, 'Good');
			await gradeOne(j.page, 'Hard');
			await syncNow(j.page);
			const before = await snapshot(j.page);
			expect(await serverReviews('New epoch')).toEqual(before.reviews);

			// The operator restores a backup and runs `npm run server:new-epoch` (the same bundle).
			await stopServer();
			const run = spawnSync(process.execPath, [SERVER_BUNDLE, '--new-epoch'], {
				env: { ...process.env, DATABASE_URL: '', RECALL_DATA: dataDir },
				encoding: 'utf8'
			});
			expect(run.status, run.stderr).toBe(0);
			await startServer();
			// A review made meanwhile goes too.
			await go(j.page, '/');
			await waitForDeckCounts(j.page);
			await j.page
				.getByRole('link', { name: /^Study / })
				.first()
				.click();
			await gradeOne(j.page, 'Easy');
			// The answer's transaction commits while the next card shows: leave once it is stored.
			await expect
				.poll(async () => (await snapshot(j.page)).reviews.length)
				.toBe(before.reviews.length + 1);
			await syncNow(j.page);
			const after = await snapshot(j.page);
			expect(after.reviews).toHaveLength(before.reviews.length + 1);
			expect(new Set(after.reviews).size).toBe(after.reviews.length);
			expect(await serverReviews('New epoch')).toEqual(after.reviews);
			expect(after.outbox).toBe(0);
			await j.finish();
		}
	);
});
