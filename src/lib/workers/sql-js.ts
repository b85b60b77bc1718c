/**
 * sql.js, loaded once per context (page or worker) from a wasm file of the app's own origin
 * (precached by the service worker), never from a CDN. The file's URL comes from the page
 * (sql-wasm.ts): had the worker imported it too, the build would emit and precache the same
 * 688 kB twice.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/** sql.js with its wasm read from `wasmUrl` (absolute: a worker resolves it as the page does). */
export function loadSqlJsFrom(wasmUrl: string): Promise<SqlJsStatic> {
	loading ??= initSqlJs({ locateFile: () => wasmUrl });
	return loading;
}
