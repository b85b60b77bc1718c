import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Real files made by other people live beside the repository, at `<repo>/../shared/corpus`
 * (this file is `<repo>/src/lib/core/import/testing/corpus.ts`). CI always has them; where they
 * are absent the tests that need them skip and say why.
 */
export const CORPUS_DIR = fileURLToPath(
	new URL('../../../../../../shared/corpus/', import.meta.url)
);

export function corpusFile(relative: string): {
	path: string;
	exists: boolean;
	read(): Uint8Array;
} {
	const path = `${CORPUS_DIR}${relative}`;
	const exists = existsSync(path);
	if (!exists)
		console.warn(`Skipping tests on ${relative}: the shared corpus is absent (${path}).`);
	return { path, exists, read: () => new Uint8Array(readFileSync(path)) };
}
