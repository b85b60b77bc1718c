/**
 * The one place the app reads the wall clock. Core functions take `now` as an argument; state
 * classes ask this clock, so tests can pass a fixed one.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

const STUDY_ZONE_KEY = 'recall.study-time-zone';

function storedStudyZone(): string | undefined {
	try {
		return (
			(typeof localStorage !== 'undefined' && localStorage.getItem(STUDY_ZONE_KEY)) || undefined
		);
	} catch {
		return undefined;
	}
}

let studyZone = storedStudyZone();

/**
 * A synced collection's study time zone (a setting of the account, state/sync.svelte.ts): every
 * device then counts study days, and replays cards, in the same zone. Kept in localStorage so the
 * first frame already uses it.
 */
export function setStudyTimeZone(zone: string | undefined): void {
	if (zone !== undefined) {
		try {
			new Intl.DateTimeFormat('en-US', { timeZone: zone });
		} catch {
			return;
		}
	}
	studyZone = zone;
	try {
		if (zone === undefined) localStorage.removeItem(STUDY_ZONE_KEY);
		else localStorage.setItem(STUDY_ZONE_KEY, zone);
	} catch {
		// Private mode: this page keeps it in memory.
	}
}

/** The time zone for study-day boundaries: the synced study zone, else the device's. */
export function deviceTimeZone(): string | undefined {
	if (studyZone) return studyZone;
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone;
	} catch {
		return undefined;
	}
}
