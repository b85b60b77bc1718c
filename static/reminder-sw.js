/* Recall's daily reminder in the service worker (imported by the generated Workbox worker).
 * Periodic Background Sync wakes the installed app about once a day at best; past the chosen
 * time, once a day, it shows the due count the app last left in Cache Storage
 * (state/reminders.svelte.ts). A tap on the notification opens the deck list. */
const REMINDER_TAG = 'recall-reminder';
const REMINDER_CACHE = 'recall-reminder';
const REMINDER_URL = '/__reminder.json';

async function remind() {
	const cache = await caches.open(REMINDER_CACHE);
	const res = await cache.match(REMINDER_URL);
	if (!res) return;
	const state = await res.json();
	if (typeof state.minutes !== 'number' || !(state.due > 0)) return;
	const now = new Date();
	if (now.getHours() * 60 + now.getMinutes() < state.minutes) return;
	const today = now.toDateString();
	if (state.shown === today) return;
	// Studied since the count was left today: nothing to remind of.
	if (state.studied === today) return;
	await self.registration.showNotification(
		`${state.due} ${state.due === 1 ? 'card' : 'cards'} due`,
		{ body: 'Time for your Recall reviews.', tag: REMINDER_TAG, icon: '/icons/icon-192.png' }
	);
	await cache.put(
		REMINDER_URL,
		new Response(JSON.stringify({ ...state, shown: today }), {
			headers: { 'content-type': 'application/json' }
		})
	);
}

self.addEventListener('periodicsync', (event) => {
	if (event.tag === REMINDER_TAG) event.waitUntil(remind());
});

self.addEventListener('notificationclick', (event) => {
	if (event.notification.tag !== REMINDER_TAG) return;
	event.notification.close();
	event.waitUntil(
		self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
			const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
			return open ? open.focus() : self.clients.openWindow('/');
		})
	);
});
