/**
 * Persistent storage: browsers may evict a site's IndexedDB under storage pressure (and Safari on
 * iOS after days without use, unless the app is installed). Asking for persistence at the moments
 * browsers grant it — after real use: the first study session, an import, an install — keeps the
 * user's reviews from being deleted silently.
 */
export interface StorageStatus {
	supported: boolean;
	persisted: boolean;
	usage: number | null;
	quota: number | null;
}

class Persistence {
	status = $state<StorageStatus>({ supported: false, persisted: false, usage: null, quota: null });
	#asked = false;

	async refresh(): Promise<StorageStatus> {
		const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
		if (!storage?.persisted) {
			this.status = { supported: false, persisted: false, usage: null, quota: null };
			return this.status;
		}
		const [persisted, estimate] = await Promise.all([
			storage.persisted(),
			storage.estimate ? storage.estimate() : Promise.resolve({} as StorageEstimate)
		]);
		this.status = {
			supported: true,
			persisted,
			usage: estimate.usage ?? null,
			quota: estimate.quota ?? null
		};
		return this.status;
	}

	/** Asks once per page load; the browser decides silently (Chromium) or with a prompt (Firefox). */
	async request(): Promise<boolean> {
		if (this.#asked || typeof navigator === 'undefined' || !navigator.storage?.persist) {
			return this.status.persisted;
		}
		this.#asked = true;
		try {
			if (!(await navigator.storage.persisted())) await navigator.storage.persist();
		} catch {
			// Refused or unsupported: the Settings page explains what that means.
		}
		return (await this.refresh()).persisted;
	}
}

export const persistence = new Persistence();
