/**
 * Errors nothing else caught: an uncaught exception or a rejected promise anywhere in the app.
 * They are never silent — the layout shows the first one as a short banner (what failed, and
 * "Reload"), and the error still reaches the console, where the journey tests fail on it.
 */

/** A short sentence for the user; the technical detail stays in the console. */
export function describeFailure(error: unknown): string {
	const name = error instanceof Error ? error.name : '';
	if (name === 'QuotaExceededError') return 'The device is out of storage space.';
	if (name === 'DatabaseClosedError' || name === 'InvalidStateError')
		return 'The collection was closed by the browser.';
	if (
		/Failed to fetch dynamically imported module|Importing a module script failed/i.test(
			String(error)
		)
	)
		return 'Part of the app could not be loaded (a new version may be out).';
	return 'Part of the app stopped working.';
}

class AppErrors {
	/** The message shown, or null while nothing has gone wrong. */
	message = $state<string | null>(null);
	#installed = false;

	report(error: unknown): void {
		// The first failure is the one worth reading; later ones are usually its consequences.
		this.message ??= describeFailure(error);
	}

	dismiss(): void {
		this.message = null;
	}

	/** Listens for uncaught errors and rejections (once per page). */
	install(target: Window = window): void {
		if (this.#installed) return;
		this.#installed = true;
		target.addEventListener('error', (event) => {
			// A failed <img>/<audio> load also fires 'error' (without `error`): not an app failure.
			if (event.error !== undefined || event.message) this.report(event.error ?? event.message);
		});
		target.addEventListener('unhandledrejection', (event) => this.report(event.reason));
	}
}

export const appErrors = new AppErrors();
