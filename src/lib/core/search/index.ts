/** Search: parse, print, evaluate and plan. See README.md; the user's syntax is docs/SEARCH.md. */
export * from './ast';
export { parseSearch } from './parse';
export { printSearch, literalPattern } from './print';
export {
	compileSearch,
	needsNote,
	isDue,
	daysBackStart,
	matchingDeckIds,
	type SearchEnv,
	type SearchRow,
	type SearchNote,
	type NoteForSearch,
	noteForSearch,
	searchText,
	searchTexts,
	decidedByText,
	type DeckName,
	type CardPredicate
} from './evaluate';
export { planSearch, type IndexPlan, type IndexSource, type QueueRange } from './plan';
export { plainText } from './pattern';
export * from './results';
export { sortInSteps, finishSort } from './sort';
