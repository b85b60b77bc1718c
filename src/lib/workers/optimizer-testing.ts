/**
 * Node-side support for the optimizer tests and benchmark: the same WASM training engine the
 * worker uses, loaded from node_modules. fsrs-browser's thread-pool helper module listens on
 * `self` when it is imported; Node has no `self`, and the helper is never used threadless, so a
 * stand-in that ignores listeners is enough. Nothing in the app imports this module.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadFsrsEngine } from './fsrs-engine';
import type { TrainEngine } from './optimizer-run';

export async function loadFsrsEngineInNode(): Promise<TrainEngine> {
	const scope = globalThis as { self?: unknown };
	scope.self ??= { addEventListener() {}, removeEventListener() {} };
	const require = createRequire(import.meta.url);
	const wasm = await readFile(require.resolve('fsrs-browser/fsrs_browser_bg.wasm'));
	return loadFsrsEngine(wasm);
}
