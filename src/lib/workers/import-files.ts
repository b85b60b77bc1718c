/**
 * What the import page needs to know about files before any parser is loaded: the extensions it
 * offers and the deck name a text file gets. Kept apart from import-formats.ts so the page's own
 * bundle stays small (the parsers live in the worker's).
 */
export const ACCEPTED_EXTENSIONS = [
	'.apkg',
	'.colpkg',
	'.anki2',
	'.anki21',
	'.csv',
	'.tsv',
	'.txt',
	'.md',
	'.json'
] as const;

export function extensionOf(fileName: string): string {
	return /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
}

/** The deck title a text file's rows go to unless they name one: the file name, bare. */
export function titleFromFileName(fileName: string): string {
	const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
	return base.replace(/\.[^.]+$/, '').trim() || 'Imported';
}
