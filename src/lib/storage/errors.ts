/** Recognising the browser's storage errors through Dexie's wrapping. */

/** Dexie wraps IndexedDB's QuotaExceededError (in `inner`, a BulkError's failures, or `cause`). */
export function isQuotaError(error: unknown, depth = 0): boolean {
	if (!error || typeof error !== 'object' || depth > 4) return false;
	const e = error as { name?: string; inner?: unknown; failures?: unknown[]; cause?: unknown };
	if (e.name === 'QuotaExceededError') return true;
	return (
		isQuotaError(e.inner, depth + 1) ||
		isQuotaError(e.cause, depth + 1) ||
		(Array.isArray(e.failures) && e.failures.some((f) => isQuotaError(f, depth + 1)))
	);
}
