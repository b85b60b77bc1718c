/**
 * Whether this device has closed the first-run introduction: one localStorage read, so the deck
 * list decides before anything heavy loads (a returning user never downloads the panel).
 */

const KEY = 'recall.first-run-closed';

/** The query that shows the introduction again (Settings links to `/?welcome`). */
export const SHOW_AGAIN = 'welcome';

export function firstRunClosed(): boolean {
	try {
		return localStorage.getItem(KEY) === '1';
	} catch {
		// Storage off: better to skip the panel than to show it on every visit.
		return true;
	}
}

export function closeFirstRun(): void {
	try {
		localStorage.setItem(KEY, '1');
	} catch {
		// Nothing to remember it in; the panel closes for this visit.
	}
}
