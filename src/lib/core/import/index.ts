/** The importer's public surface: what the import worker and the storage layer need. */
export {
	ImportError,
	causeText,
	emptyBundle,
	type ImportBundle,
	type ImportedMedia
} from './bundle';
export { DEFAULT_LIMITS, checkFileSize, resolveLimits, type ImportLimits } from './limits';
export { importAnki, type AnkiImportOptions } from './anki/package';
export { historyByCard } from './anki/history';
export { openSqlite, type SqliteReader } from './anki/sqlite';
export { previewText, PREVIEW_ROWS, type TextPreview } from './text/preview';
export { parseText, type TextImportOptions } from './text/parse';
export type { TextMapping } from './text/mapping';
