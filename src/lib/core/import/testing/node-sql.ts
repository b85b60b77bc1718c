import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const require = createRequire(import.meta.url);
let loading: Promise<SqlJsStatic> | undefined;

/** sql.js for Node tests: the wasm is read from node_modules instead of fetched. */
export function loadSqlJs(): Promise<SqlJsStatic> {
	loading ??= initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
	return loading;
}
