/** Shared helpers for the component tests (vitest browser mode, real Chromium). */
import { flushSync } from 'svelte';

/** Flushes Svelte's updates and polls until `check` holds (3 s), or fails naming `what`. */
export async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 300; i++) {
		flushSync();
		if (check()) return;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`timed out waiting for ${what}`);
}
