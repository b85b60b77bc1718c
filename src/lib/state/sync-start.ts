/**
 * Starting sync on app start: only a device signed in to a sync server loads the sync code
 * (its own chunk, after the first paint). Signing in on Settings starts it there.
 */
import { getDb } from '$lib/storage/db';
import { signedInToSync } from '$lib/storage/sync-signed-in';

export async function startSyncIfSignedIn(delayMs = 1000): Promise<boolean> {
	if (!(await signedInToSync(getDb()))) return false;
	setTimeout(() => void import('./sync.svelte').then((m) => m.sync.start()), delayMs);
	return true;
}
