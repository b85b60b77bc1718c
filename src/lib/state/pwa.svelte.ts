/**
 * Service-worker registration with `registerType: 'prompt'`: a new version waits until the user
 * chooses "Reload to update", so an update never reloads the page in the middle of a review.
 *
 * Registered with the browser's own API (no workbox-window, ≈ 2 kB less on every first load),
 * after the page's `load` event so it does not compete with the start-up. The worker Workbox
 * generates takes `{ type: 'SKIP_WAITING' }` and then calls `skipWaiting()`; the page reloads on
 * the `controllerchange` that follows, and only then (the first install's `clientsClaim` also
 * changes the controller, and must not reload anything).
 */

/** Where vite-plugin-pwa writes the worker (vite.config.ts: base and scope `/`). */
export const SW_URL = '/sw.js';

class PwaState {
	needRefresh = $state(false);
	offlineReady = $state(false);
	#registration: ServiceWorkerRegistration | undefined;
	#started = false;
	#reloading = false;

	register(): void {
		if (this.#started || typeof navigator === 'undefined' || !('serviceWorker' in navigator))
			return;
		this.#started = true;
		const go = () => void this.#register();
		if (document.readyState === 'complete') go();
		else window.addEventListener('load', go, { once: true });
	}

	async #register(): Promise<void> {
		const container = navigator.serviceWorker;
		let registration: ServiceWorkerRegistration;
		try {
			registration = await container.register(SW_URL, { scope: '/' });
		} catch {
			// No worker in dev, a private window that refuses it: the app works without one.
			return;
		}
		this.#registration = registration;
		container.addEventListener('controllerchange', () => {
			if (this.#reloading) window.location.reload();
		});
		// A version that was already waiting when this page opened (installed by another tab).
		if (registration.waiting && container.controller) this.needRefresh = true;
		const track = (worker: ServiceWorker | null) => {
			if (!worker) return;
			worker.addEventListener('statechange', () => {
				if (worker.state !== 'installed') return;
				// Installed while another version controls the page: an update, waiting.
				if (container.controller) this.needRefresh = true;
				else this.offlineReady = true;
			});
		};
		track(registration.installing);
		registration.addEventListener('updatefound', () => track(registration.installing));
	}

	update(): void {
		this.needRefresh = false;
		const waiting = this.#registration?.waiting;
		if (!waiting) return;
		this.#reloading = true;
		waiting.postMessage({ type: 'SKIP_WAITING' });
	}

	dismiss(): void {
		this.needRefresh = false;
	}
}

export const pwa = new PwaState();
