/**
 * Whether this device is signed in to a sync server, read on start without the sync code: a
 * device that never syncs never loads it. Signed out, the review-log middleware is told so at
 * once (as the sync loop's first read would), so it queues nothing.
 */
import type { RecallDb } from './db';
import { setSignedIn } from './sync-outbox';

/** The `meta` key of the sync account (sync-repo's ACCOUNT_KEY; a test keeps them equal). */
export const SYNC_ACCOUNT_KEY = 'sync:account';

export async function signedInToSync(db: RecallDb): Promise<boolean> {
	const signedIn = (await db.meta.get(SYNC_ACCOUNT_KEY))?.value != null;
	if (!signedIn) setSignedIn(false);
	return signedIn;
}
