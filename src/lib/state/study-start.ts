/**
 * How the study routes open a session (study/[deck] and browse/study), in one place: a session
 * over the app's store, started once the store is usable. A deck already on the device opens at
 * once while the check for a newer built-in version runs beside it; only a first visit waits for
 * the built-in decks to be loaded. A search waits for them (it may look for their cards).
 */
import { getDb } from '$lib/storage/db';
import { collection } from './collection.svelte';
import { dbHealth } from './db-health.svelte';
import { ReviewSession, type StudySource } from './review-session.svelte';

/** A study session on `source` (a deck id or `{ search }`) over the app's store. */
export function studySession(source: StudySource): ReviewSession {
	return new ReviewSession(getDb(), source);
}

/** Starts `session` as the study routes do; returns what stops it (when the page closes). */
export function startStudy(session: ReviewSession): () => void {
	void (async () => {
		// Without a database (private mode, newer version) the banner explains; nothing to study.
		if (!(await dbHealth.ready())) return session.unavailable(dbHealth.message);
		if (session.query !== null) {
			await collection.ensureBuiltins();
			await session.start();
		} else if (await session.start({ missingIsFinal: false })) {
			void collection.ensureBuiltins();
		} else {
			await collection.ensureBuiltins();
			await session.start();
		}
	})();
	return () => session.dispose();
}
