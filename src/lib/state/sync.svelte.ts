/**
 * The sync loop. Loaded lazily (the root layout imports it after the first paint, Settings when
 * shown), never on the first-card path. It syncs after a grade (debounced), on start, when the
 * network comes back, when the app is hidden, and on "Sync now"; one tab at a time (Web Locks).
 * A sync pushes the outbox (and, the first time, the log from before sign-in), then pulls pages
 * after the cursor until there are none. No question is ever asked: everything merges.
 */
import {
	CLOCK_SKEW_WARN_MS,
	MAX_BATCH,
	PROTOCOL_VERSION,
	PULL_PAGE,
	parseServerAddress,
	type AccountReply,
	type DeviceInfo,
	type PushReply
} from '../core/sync/protocol';
import { getDb } from '../storage/db';
import { setStudyTimeZone, systemClock, type Clock } from './clock';
import { localClock, onOutboxWrite } from '../storage/sync-outbox';
import { writeInThread, writeInWorker } from '../workers/pull-client';
import {
	announceMedia,
	storePulledMedia,
	unannouncedMedia,
	wantedMedia
} from '../storage/sync-media';
import {
	ackPushBatch,
	adoptAllPending,
	ensureStudySettings,
	getStudySettings,
	clearSyncAccount,
	getSyncAccount,
	nextPushBatch,
	pendingCount,
	pendingCounts,
	restartSync,
	saveSyncAccount,
	updateSyncAccount,
	type SyncAccount
} from '../storage/sync-repo';

const DEBOUNCE_MS = 3_000;
const LOCK = 'recall-sync';
/**
 * An automatic trigger (the network back, the app hidden) within this long of a finished sync,
 * with nothing waiting to be sent, is that sync: every tab hears the same event, some late.
 */
const RECENT_MS = 1_000;
/** Tabs of this device tell each other when one has synced (only one syncs at a time). */
const CHANNEL = 'recall-sync';

const count = (n: number) => n.toLocaleString('en-US');

/** "Downloading 12,000 of 48,000 changes…" */
export function downloading(cursor: number, head: number): string {
	return `Downloading ${count(Math.min(cursor, head))} of ${count(head)} changes…`;
}

/** "Updating 500 of 100,000 cards…", while a long pull's cards are replayed. */
export function updating(done: number, total: number): string {
	return `Updating ${count(done)} of ${count(total)} cards…`;
}

/** The error of a write refused because the device's storage is full (Dexie wraps IndexedDB's). */
function isQuotaError(e: unknown, depth = 0): boolean {
	if (typeof e !== 'object' || e === null || depth > 4) return false;
	const x = e as { name?: unknown; inner?: unknown; failures?: unknown };
	if (x.name === 'QuotaExceededError') return true;
	const failures = Array.isArray(x.failures) ? x.failures : [];
	return isQuotaError(x.inner, depth + 1) || failures.some((f) => isQuotaError(f, depth + 1));
}

export const STORAGE_FULL =
	'This device’s storage is full: the download stopped and nothing of the unfinished part was kept. Free some space (delete unused decks, or other sites’ data), then sync again: it goes on where it stopped.';

class SyncError extends Error {
	constructor(
		message: string,
		readonly status = 0,
		readonly body: Record<string, unknown> = {}
	) {
		super(message);
	}
}

/** The server address as typed → its canonical form; a clear message when it is not one. */
export function normalizeServer(input: string): string {
	const result = parseServerAddress(input);
	if (!result.ok) throw new SyncError(result.error);
	return result.url;
}

async function api<T>(
	server: string,
	path: string,
	init: RequestInit & { token?: string } = {}
): Promise<T> {
	const res = await request(server, path, init);
	if (res.status === 204) return undefined as T;
	return (await res.json().catch(() => ({}))) as T;
}

/** A reply's body as text (a pull page, parsed where it is written). */
async function apiText(
	server: string,
	path: string,
	init: RequestInit & { token?: string } = {}
): Promise<string> {
	return (await request(server, path, init)).text();
}

/** Sends the request; a refusal (not 2xx) is thrown as a SyncError with the server's words. */
async function request(
	server: string,
	path: string,
	init: RequestInit & { token?: string } = {}
): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(`${server}${path}`, {
			...init,
			headers: {
				...(init.body ? { 'Content-Type': 'application/json' } : {}),
				...(init.token ? { Authorization: `Bearer ${init.token}` } : {})
			}
		});
	} catch {
		throw new SyncError(`The sync server at ${server} could not be reached.`);
	}
	if (!res.ok) {
		const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
		const message =
			typeof body.error === 'string' ? body.error : `The server answered ${res.status}.`;
		throw new SyncError(message, res.status, body);
	}
	return res;
}

function ago(ms: number): string {
	const min = Math.round(ms / 60_000);
	if (min < 1) return 'just now';
	if (min < 60) return `${min} min ago`;
	const h = Math.round(min / 60);
	if (h < 24) return `${h} h ago`;
	return `${Math.round(h / 24)} days ago`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

class SyncState {
	account = $state<SyncAccount | null>(null);
	/** Reviews waiting to be pushed. */
	pending = $state(0);
	/** Other changes waiting (edits, new notes and decks, deletions). */
	pendingChanges = $state(0);
	syncing = $state(false);
	error = $state<string | null>(null);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	/** Server time minus this device's, from the last reply. */
	skewMs = $state(0);
	devices = $state<DeviceInfo[]>([]);
	progress = $state<string | null>(null);
	now = $state(0);
	#started = false;
	/** The wall clock (state/clock.ts); a test may pass a fixed one. */
	readonly #clock: Clock;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#inFlight: Promise<void> | null = null;
	/** Whether the sync under way may skip itself (an automatic trigger). */
	#inFlightIfNeeded = false;
	/** A sync asked for by hand while an automatic one runs: it starts when that one ends. */
	#queued: Promise<void> | null = null;
	#channel: BroadcastChannel | null = null;

	constructor(clock: Clock = systemClock) {
		this.#clock = clock;
		this.now = clock();
	}

	get status(): string {
		if (!this.account) return 'Not signed in: this device keeps its collection to itself.';
		if (this.syncing) return this.progress ?? 'Syncing…';
		// Reviews are what a learner counts; edits alone show as changes.
		const waiting =
			this.pending > 0
				? `${plural(this.pending, 'review')} waiting`
				: this.pendingChanges > 0
					? `${plural(this.pendingChanges, 'change')} waiting`
					: '';
		if (!this.online) return `Offline${waiting ? ` — ${waiting}` : ''}`;
		if (this.error) return waiting ? `${this.error} — ${waiting}` : this.error;
		const last = this.account.lastSyncAt;
		const synced = last === null ? 'Not synced yet' : `Synced ${ago(this.now - last)}`;
		return waiting ? `${synced} — ${waiting}` : synced;
	}

	get clockWarning(): string | null {
		if (Math.abs(this.skewMs) <= CLOCK_SKEW_WARN_MS) return null;
		const min = Math.round(Math.abs(this.skewMs) / 60_000);
		return `This device’s clock is ${min} min ${this.skewMs > 0 ? 'behind' : 'ahead of'} the server’s: set it right, or edits made here may be ordered wrongly.`;
	}

	/** Loads the account and starts the triggers (once per page). */
	async start(): Promise<void> {
		if (this.#started) return;
		this.#started = true;
		await this.refresh();
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => {
				this.online = true;
				void this.sync({ ifNeeded: true });
			});
			window.addEventListener('offline', () => (this.online = false));
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'hidden') void this.sync({ ifNeeded: true });
			});
			if (typeof BroadcastChannel !== 'undefined') {
				// Another tab synced: show its result here too.
				this.#channel = new BroadcastChannel(CHANNEL);
				this.#channel.onmessage = () => void this.refresh();
			}
			setInterval(() => (this.now = this.#clock()), 30_000);
		}
		onOutboxWrite(() => {
			void this.refreshPending();
			clearTimeout(this.#timer);
			this.#timer = setTimeout(() => void this.sync({ ifNeeded: true }), DEBOUNCE_MS);
		});
		void this.sync({ ifNeeded: true });
	}

	async refresh(): Promise<void> {
		this.account = await getSyncAccount(getDb());
		await this.refreshPending();
	}

	async refreshPending(account = this.account): Promise<void> {
		const { reviews, changes } = await pendingCounts(getDb(), account);
		this.pending = reviews;
		this.pendingChanges = changes;
	}

	async signIn(input: {
		server: string;
		name: string;
		password: string;
		create: boolean;
	}): Promise<void> {
		this.error = null;
		try {
			const server = normalizeServer(input.server);
			const reply = await api<AccountReply>(server, input.create ? '/api/account' : '/api/login', {
				method: 'POST',
				body: JSON.stringify({
					name: input.name,
					password: input.password,
					deviceName: deviceName()
				})
			});
			this.skewMs = reply.serverTime - this.#clock();
			// The whole log from before sign-in is pushed (bootstrap from the first row): it merges in.
			await saveSyncAccount(getDb(), {
				server,
				name: reply.name,
				userId: reply.userId,
				deviceId: reply.deviceId,
				token: reply.token,
				epoch: reply.epoch,
				cursor: 0,
				lastSyncAt: null,
				bootstrap: 0
			});
			await this.refresh();
		} catch (e) {
			this.error = (e as Error).message;
			throw e;
		}
		await this.start();
		await this.sync();
	}

	/** Signs this device out (its token is revoked); the collection stays on the device. */
	async signOut(): Promise<void> {
		const account = this.account;
		if (!account) return;
		try {
			await api(account.server, '/api/logout', { method: 'POST', token: account.token });
		} catch {
			// Offline or already revoked: the token is forgotten here all the same.
		}
		await clearSyncAccount(getDb());
		this.devices = [];
		this.error = null;
		await this.refresh();
	}

	async loadDevices(): Promise<void> {
		const account = this.account;
		if (!account) return;
		try {
			const reply = await api<{ devices: DeviceInfo[] }>(account.server, '/api/devices', {
				token: account.token
			});
			this.devices = reply.devices;
		} catch (e) {
			this.error = (e as Error).message;
		}
	}

	async revoke(deviceId: string): Promise<void> {
		const account = this.account;
		if (!account) return;
		await api(account.server, `/api/devices/${encodeURIComponent(deviceId)}`, {
			method: 'DELETE',
			token: account.token
		});
		await this.loadDevices();
	}

	/**
	 * One sync at a time per device: the tabs take turns (Web Locks), and a tab whose turn comes
	 * after another tab synced since it asked (or within 1 s before) skips its own when `ifNeeded` (an automatic trigger —
	 * the network back, the app shown — fires in every tab) and nothing is waiting to be sent.
	 * Several asks in one tab while one is running or waiting are that one — except that a sync
	 * asked for by hand ("Sync now") while an automatic one is under way runs after it, so it is
	 * never skipped as not needed.
	 */
	sync(options: { ifNeeded?: boolean } = {}): Promise<void> {
		if (!this.account) return Promise.resolve();
		const ifNeeded = options.ifNeeded ?? false;
		if (this.#inFlight && this.#inFlightIfNeeded && !ifNeeded) {
			if (!this.#queued) {
				this.#queued = this.#inFlight
					.catch(() => undefined)
					.then(() => {
						this.#queued = null;
						return this.sync();
					});
			}
			return this.#queued;
		}
		if (!this.#inFlight) {
			this.#inFlightIfNeeded = ifNeeded;
			this.#inFlight = this.#turn(ifNeeded).finally(() => (this.#inFlight = null));
		}
		return this.#inFlight;
	}

	async #turn(ifNeeded: boolean): Promise<void> {
		const asked = this.#clock();
		const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
		const run = async () => {
			if (ifNeeded) {
				const db = getDb();
				const account = await getSyncAccount(db);
				if (!account) return;
				if (
					account.lastSyncAt !== null &&
					account.lastSyncAt >= asked - RECENT_MS &&
					(await pendingCount(db, account)) === 0
				) {
					return this.refresh();
				}
			}
			await this.#run();
			this.#channel?.postMessage('synced');
		};
		if (!locks) return run();
		await locks.request(LOCK, run);
	}

	/**
	 * Uploads the local media files not announced yet whose bytes the server lacks (it is asked
	 * which), then queues their records. Needs WebCrypto (a secure origin); a file the server
	 * refuses (too large) stays on this device only.
	 */
	async #uploadMedia(account: SyncAccount): Promise<void> {
		const db = getDb();
		if (typeof crypto === 'undefined' || !crypto.subtle) return;
		for (;;) {
			const files = await unannouncedMedia(db, MEDIA_PAGE);
			if (files.length === 0) return;
			const sent = await this.#uploadMediaPage(account, files);
			if (files.length < MEDIA_PAGE || sent < files.length) return;
		}
	}

	async #uploadMediaPage(
		account: SyncAccount,
		files: { name: string; type: string; data: Blob }[]
	): Promise<number> {
		const db = getDb();
		const hashed = [];
		for (const f of files) hashed.push({ ...f, hash: await sha256Hex(f.data) });
		const { missing } = await api<{ missing: string[] }>(account.server, '/api/media/missing', {
			method: 'POST',
			token: account.token,
			body: JSON.stringify({ hashes: hashed.map((f) => f.hash) })
		});
		// The same bytes under two names are uploaded once.
		const need = [...missing];
		const sent: { name: string; type: string; hash: string }[] = [];
		for (const f of hashed) {
			if (need.includes(f.hash)) {
				const res = await fetch(`${account.server}/api/media/${f.hash}`, {
					method: 'PUT',
					headers: {
						Authorization: `Bearer ${account.token}`,
						'Content-Type': f.type || 'application/octet-stream'
					},
					body: f.data
				}).catch(() => {
					throw new SyncError(`The sync server at ${account.server} could not be reached.`);
				});
				if (res.status === 413) continue;
				if (!res.ok) throw new SyncError(`The server refused a media file (${res.status}).`);
				need.splice(need.indexOf(f.hash), 1);
			}
			sent.push({ name: f.name, type: f.type, hash: f.hash });
		}
		await announceMedia(db, sent);
		return sent.length;
	}

	/** Downloads the media files pulled records name and this device lacks (by their hash). */
	async #downloadMedia(account: SyncAccount): Promise<void> {
		const db = getDb();
		for (const m of await wantedMedia(db)) {
			const res = await fetch(`${account.server}/api/media/${m.hash}`, {
				headers: { Authorization: `Bearer ${account.token}` }
			}).catch(() => {
				throw new SyncError(`The sync server at ${account.server} could not be reached.`);
			});
			// Not uploaded yet by the device that has it: tried again on the next sync.
			if (res.status === 404) continue;
			if (!res.ok) throw new SyncError(`The server refused a media file (${res.status}).`);
			const data = await res.blob();
			await storePulledMedia(db, { ...m, data: new Blob([data], { type: m.type }) });
		}
	}

	async #run(): Promise<void> {
		const db = getDb();
		this.syncing = true;
		this.progress = 'Syncing…';
		try {
			const stored = await getSyncAccount(db);
			if (!stored) return;
			let account: SyncAccount = stored;
			// Reviews pulled before their card, whose card is here now (imported since).
			await adoptAllPending(db);
			// Push: the old log first (after sign-in or a server restore), then the outbox.
			const pushAll = async () => {
				for (;;) {
					const batch = await nextPushBatch(db, account, MAX_BATCH);
					if (!batch) break;
					try {
						const reply = await api<PushReply>(account.server, '/api/push', {
							method: 'POST',
							token: account.token,
							body: JSON.stringify({
								protocol: PROTOCOL_VERSION,
								epoch: account.epoch,
								records: batch.records
							})
						});
						this.skewMs = reply.serverTime - this.#clock();
						await ackPushBatch(db, batch);
					} catch (e) {
						if (e instanceof SyncError && e.body.code === 'epoch-changed') {
							await restartSync(db, String(e.body.epoch));
						} else throw e;
					}
					account = (await getSyncAccount(db))!;
					await this.refreshPending(account);
				}
			};
			// Media files first (only those the server lacks), so their records can go in this push.
			await this.#uploadMedia(account);
			await pushAll();
			// Pull, a page at a time, each page written in chunks with their cursors (a chunk is one
			// short transaction: studying goes on meanwhile). A pull of more than one page (a new
			// device catching up) goes on in the pull worker where there is one, so the page's
			// thread never carries its writes and replays; a sync's usual one page stays here.
			let paged = false;
			const workers = typeof Worker === 'function';
			let writer = writeInThread(db, { handOff: workers });
			try {
				for (;;) {
					const text = await apiText(
						account.server,
						`/api/pull?after=${account.cursor}&limit=${PULL_PAGE}`,
						{ token: account.token }
					);
					const onChunk = (cursor: number, head: number) => {
						this.progress = downloading(cursor, head);
					};
					let outcome = await writer.page(text, account, paged, onChunk);
					if (outcome.kind === 'many') {
						writer.close();
						writer = writeInWorker(db);
						outcome = await writer.page(text, account, paged, onChunk);
					}
					if (outcome.kind === 'many') throw new Error('the pull worker did not write the page');
					this.skewMs = outcome.serverTime - this.#clock();
					if (outcome.kind === 'restart') {
						// The server was restored from a backup: send everything again, pull from the start.
						await restartSync(db, outcome.epoch);
						this.syncing = false;
						// Awaited: returned bare, this run's `finally` would clear "Syncing…" while the
						// restarted sync still runs, and its errors would skip this catch.
						return await this.#run();
					}
					// This page's edits were stamped elsewhere: this page's next ones come after them.
					if (outcome.hlc) localClock.receive(outcome.hlc);
					paged = outcome.paged;
					account = (await getSyncAccount(db))!;
					if (outcome.done) break;
				}
				// The cards that pull touched (or one interrupted before), each replayed from its whole log.
				await writer.replay((done, total) => {
					this.progress = updating(done, total);
				});
			} finally {
				writer.close();
			}
			await this.#downloadMedia(account);
			// No study time zone on the account yet: this device's becomes it (pushed next sync).
			if (await ensureStudySettings(db, new Intl.DateTimeFormat().resolvedOptions().timeZone)) {
				await pushAll();
			}
			// Study days (and replays) count in the account's zone on every device.
			setStudyTimeZone((await getStudySettings(db)).timeZone);
			account = (await updateSyncAccount(db, { lastSyncAt: this.#clock() }))!;
			this.account = account;
			this.now = this.#clock();
			this.error = null;
			this.online = true;
		} catch (e) {
			if (e instanceof SyncError && e.status === 401) {
				this.error = `${e.message}`;
			} else if (e instanceof SyncError && e.status === 0) {
				this.online = typeof navigator === 'undefined' ? true : navigator.onLine;
				this.error = e.message;
			} else if (isQuotaError(e)) {
				this.error = STORAGE_FULL;
			} else {
				this.error = `Sync failed: ${(e as Error).message}`;
			}
		} finally {
			this.syncing = false;
			this.progress = null;
			await this.refresh();
		}
	}
}

const MEDIA_PAGE = 100;

async function sha256Hex(data: Blob): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', await data.arrayBuffer());
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function deviceName(): string {
	if (typeof navigator === 'undefined') return 'Device';
	const ua = navigator.userAgent;
	const os = /Android/.test(ua)
		? 'Android'
		: /iPhone|iPad/.test(ua)
			? 'iOS'
			: /Mac OS/.test(ua)
				? 'Mac'
				: /Windows/.test(ua)
					? 'Windows'
					: /Linux/.test(ua)
						? 'Linux'
						: 'Device';
	const browser = /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : 'Safari';
	return `${browser} on ${os}`;
}

export const sync = new SyncState();
