/**
 * sql.js for the browser, loaded once per context: the wasm file is bundled by Vite and fetched
 * from the app's own origin (precached by the service worker), never from a CDN.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
	loading ??= initSqlJs({ locateFile: () => wasmUrl });
	return loading;
}
