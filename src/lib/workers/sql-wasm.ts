/**
 * The sql.js wasm as the page's build bundles it: the one copy the app ships. Page code only;
 * the import worker gets the URL in its request (OpenRequest.sqlWasmUrl).
 */
import type { SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { loadSqlJsFrom } from './sql-js';

/** The wasm's absolute URL. */
export function sqlWasmUrl(): string {
	return new URL(wasmUrl, location.href).href;
}

/** sql.js in the page. */
export function loadSqlJs(): Promise<SqlJsStatic> {
	return loadSqlJsFrom(sqlWasmUrl());
}
