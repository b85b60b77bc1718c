/** Exporting: CSV, the whole-collection backup and Anki packages. */
export * from './csv';
export * from './backup';
export * from './apkg';
export { RECALL_MODELS, ankiNoteFields, fieldHtml, mediaReferences } from './anki-notes';
export { encodeBase64, decodeBase64 } from './base64';
