/**
 * After a deploy, an open tab may ask for a lazily loaded chunk that no longer exists. Reload
 * once to pick up the new version — guarded, so a chunk that is truly missing cannot cause a
 * reload loop.
 */
import { appErrors } from '$lib/state/app-errors.svelte';

// Uncaught errors and rejected promises reach the user as a banner from the first line of code on.
appErrors.install();

const KEY = 'recall.chunk-reload-at';
const GUARD_MS = 60_000;

function reloadOnce(): boolean {
	try {
		const last = Number(sessionStorage.getItem(KEY) ?? 0);
		if (Date.now() - last < GUARD_MS) return false;
		sessionStorage.setItem(KEY, String(Date.now()));
	} catch {
		return false;
	}
	location.reload();
	return true;
}

window.addEventListener('vite:preloadError', (event) => {
	if (reloadOnce()) event.preventDefault();
});

export function handleError({ error, status }: { error: unknown; status: number }) {
	if (status === 404) return { message: 'Page not found' };
	console.error(error);
	const message = error instanceof Error ? error.message : String(error);
	if (
		/Failed to fetch dynamically imported module|Importing a module script failed/i.test(message)
	) {
		reloadOnce();
	}
	return { message: 'Something went wrong while loading this page.' };
}
