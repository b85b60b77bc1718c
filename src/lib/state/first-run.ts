/**
 * Whether this device has closed the first-run introduction: one localStorage read. The deck
 * list is prerendered with the introduction in it; `static/first-run.js` reads the same key
 * before the first paint and hides it (the `first-run-closed` class on <html>), so the page
 * never moves when it goes or stays.
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

/** Hides the introduction from the first paint on (see static/first-run.js), or shows it. */
export function markFirstRunHidden(hidden: boolean): void {
	document.documentElement.classList.toggle(HIDDEN_CLASS, hidden);
}

const HIDDEN_CLASS = 'first-run-closed';

export function closeFirstRun(): void {
	markFirstRunHidden(true);
	try {
		localStorage.setItem(KEY, '1');
	} catch {
		// Nothing to remember it in; the panel closes for this visit.
	}
}
