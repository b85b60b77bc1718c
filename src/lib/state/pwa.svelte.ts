/**
 * Service-worker registration with `registerType: 'prompt'`: a new version waits until the user
 * chooses "Reload to update", so an update never reloads the page in the middle of a review.
 */
import { registerSW } from 'virtual:pwa-register';

class PwaState {
	needRefresh = $state(false);
	offlineReady = $state(false);
	#updateSW: ((reload?: boolean) => Promise<void>) | undefined;

	register(): void {
		if (this.#updateSW || typeof navigator === 'undefined' || !('serviceWorker' in navigator))
			return;
		this.#updateSW = registerSW({
			immediate: true,
			onNeedRefresh: () => {
				this.needRefresh = true;
			},
			onOfflineReady: () => {
				this.offlineReady = true;
			}
		});
	}

	async update(): Promise<void> {
		this.needRefresh = false;
		await this.#updateSW?.(true);
	}

	dismiss(): void {
		this.needRefresh = false;
	}
}

export const pwa = new PwaState();
