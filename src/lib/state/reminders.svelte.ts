/**
 * A daily study reminder at a time the learner picks, by whatever this device offers without a
 * server, said honestly in Settings:
 *
 * 1. **Notification Triggers** (`showTrigger`, a Chromium origin trial): a notification scheduled
 *    for the time, with the due count, rescheduled whenever the count changes.
 * 2. **Periodic Background Sync** (installed Chromium apps): the service worker wakes now and then
 *    (the browser decides how often, about daily at best) and, once past the time on a day with
 *    nothing studied, shows "23 cards due" from the count the app last left it (`static/reminder-sw.js`).
 * 3. Otherwise **a reminder when you open the app late**: a banner on the deck list after the
 *    chosen time when nothing has been studied today.
 *
 * The permission to notify is asked only when the learner turns the reminder on (a click).
 * Web Push from the sync server is the reliable path later: see docs/ARCHITECTURE.md.
 */
import { studyDayStart } from '$lib/core/scheduling/day';
import { getDb, type RecallDb } from '$lib/storage/db';
import { answersSince, countDue, watchDue } from '$lib/storage/due-watch';
import { deviceTimeZone, systemClock, type Clock } from './clock';
import { dayLabel, nextAt, parseTime, REMINDER_KEY, reminderTime, todayAt } from './reminder-time';

export type ReminderPath = 'trigger' | 'periodic' | 'in-app';

export const REMINDER_TAG = 'recall-reminder';
/** Where the service worker finds the time and the last due count (Cache Storage). */
export const REMINDER_CACHE = 'recall-reminder';
export const REMINDER_URL = '/__reminder.json';
const DAY_START_HOUR = 4;

export const PATH_TEXT: Record<ReminderPath, string> = {
	trigger:
		'On this device: a notification scheduled for that time (Notification Triggers), with the cards due.',
	periodic:
		'On this device: the installed app checks in the background about once a day (Periodic Background Sync) and notifies you after that time if nothing was studied; the browser decides exactly when.',
	'in-app':
		'On this device: a reminder when you open the app late. This browser cannot notify at a set time without a server, so the deck list reminds you when you open Recall after that time and nothing was studied today.'
};

interface TriggerWindow {
	TimestampTrigger?: new (t: number) => unknown;
}

/** Which path this device offers, best first. */
export function reminderPath(w: Window & typeof globalThis = window): ReminderPath {
	const hasSw = 'serviceWorker' in navigator && 'Notification' in w;
	if (hasSw && 'showTrigger' in Notification.prototype && (w as TriggerWindow).TimestampTrigger) {
		return 'trigger';
	}
	const installed = w.matchMedia?.('(display-mode: standalone)').matches ?? false;
	if (hasSw && installed && 'periodicSync' in (w.ServiceWorkerRegistration?.prototype ?? {})) {
		return 'periodic';
	}
	return 'in-app';
}

const todayStart = (now: number, tz?: string) => studyDayStart(now, DAY_START_HOUR, tz);

export class RemindersState {
	/** "HH:MM", or '' when off. */
	time = $state('');
	path = $state<ReminderPath>('in-app');
	message = $state('');
	error = $state('');
	/** The deck list's banner: due count when it is time and nothing was studied today. */
	nudge = $state<number | null>(null);
	readonly #db: () => RecallDb;
	readonly #clock: Clock;

	constructor(db: () => RecallDb = getDb, clock: Clock = systemClock) {
		this.#db = db;
		this.#clock = clock;
	}

	load(): void {
		this.time = reminderTime();
		this.path = reminderPath();
	}

	/** Saves the time (from a click): asks to notify first where a notification is the path. */
	async save(text: string): Promise<void> {
		this.error = '';
		if (parseTime(text) === null) {
			this.error = `“${text}” is not a time: pick the hour and minutes, for example 19:30.`;
			return;
		}
		if (this.path !== 'in-app') {
			const permission = await Notification.requestPermission();
			if (permission !== 'granted') {
				this.path = 'in-app';
				this.message = 'Notifications are not allowed for Recall: you will be reminded in the app.';
			}
		}
		localStorage.setItem(REMINDER_KEY, text);
		this.time = text;
		await this.schedule();
		if (!this.message) this.message = `Reminder saved: every day at ${text}.`;
	}

	async turnOff(): Promise<void> {
		localStorage.removeItem(REMINDER_KEY);
		this.time = '';
		this.error = '';
		await this.schedule();
		this.message = 'Reminder off.';
	}

	/** Brings the service worker's copy and any scheduled notification up to date. */
	async schedule(due?: number): Promise<void> {
		try {
			const minutes = parseTime(this.time);
			const now = this.#clock();
			const tz = deviceTimeZone();
			const count = due ?? (await countDue(this.#db(), now, tz));
			if ('caches' in window) {
				const answered = await answersSince(this.#db(), todayStart(now, tz));
				const studied = answered > 0 ? dayLabel(now) : null;
				const cache = await caches.open(REMINDER_CACHE);
				await cache.put(
					REMINDER_URL,
					new Response(JSON.stringify({ minutes, due: count, studied, at: now }), {
						headers: { 'content-type': 'application/json' }
					})
				);
			}
			if (this.path === 'in-app' || !('serviceWorker' in navigator)) return;
			const reg = await navigator.serviceWorker.ready;
			for (const n of await reg.getNotifications({ tag: REMINDER_TAG })) n.close();
			if (this.path === 'periodic') {
				const sync = (reg as unknown as { periodicSync: PeriodicSync }).periodicSync;
				if (minutes === null) await sync.unregister(REMINDER_TAG);
				else await sync.register(REMINDER_TAG, { minInterval: 12 * 3_600_000 });
			} else if (this.path === 'trigger' && minutes !== null && count > 0) {
				const Trigger = (window as TriggerWindow).TimestampTrigger!;
				await reg.showNotification(`${count} ${count === 1 ? 'card' : 'cards'} due`, {
					body: 'Time for your Recall reviews.',
					tag: REMINDER_TAG,
					icon: '/icons/icon-192.png',
					showTrigger: new Trigger(nextAt(this.#clock(), minutes))
				} as NotificationOptions);
			}
		} catch (e) {
			this.error = `The reminder could not be scheduled: ${e instanceof Error ? e.message : String(e)}`;
		}
	}

	/** The in-app reminder: after the time, nothing answered today, cards due. */
	async checkNudge(): Promise<void> {
		const minutes = parseTime(this.time);
		const now = this.#clock();
		if (minutes === null || now < todayAt(now, minutes)) {
			this.nudge = null;
			return;
		}
		const db = this.#db();
		const tz = deviceTimeZone();
		const studied = await answersSince(db, todayStart(now, tz));
		const due = await countDue(db, now, tz);
		this.nudge = studied === 0 && due > 0 ? due : null;
	}
}

interface PeriodicSync {
	register(tag: string, options: { minInterval: number }): Promise<void>;
	unregister(tag: string): Promise<void>;
}

export const reminders = new RemindersState();

let watching: (() => void) | undefined;

/** Keeps the service worker's count and a scheduled notification current while a reminder is set. */
export function startReminderUpdates(db: () => RecallDb = getDb): void {
	reminders.load();
	if (!reminders.time || reminders.path === 'in-app' || watching) return;
	watching = watchDue(
		db(),
		systemClock,
		deviceTimeZone(),
		(count) => void reminders.schedule(count),
		(e) => console.warn('The reminder’s due count is no longer kept up to date:', e)
	);
}
