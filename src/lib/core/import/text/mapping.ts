import type { TextTable } from './table';

/**
 * Which column holds what, 0-based. A column the rows do not have (e.g. `back: -1` in a file of
 * one column) reads as empty.
 */
export interface TextMapping {
	front: number;
	back: number;
	/** Context on the answer side, below the answer (a cloze's is its back or this column). */
	extra?: number;
	/** A reversed note's question for the back → front card. */
	reversePrompt?: number;
	tags?: number;
	deck?: number;
	guid?: number;
	notetype?: number;
}

const NAMES: Record<string, keyof TextMapping> = {
	front: 'front',
	question: 'front',
	term: 'front',
	word: 'front',
	text: 'front',
	back: 'back',
	answer: 'back',
	definition: 'back',
	meaning: 'back',
	translation: 'back',
	extra: 'extra',
	'back extra': 'back',
	'reverse prompt': 'reversePrompt',
	reverseprompt: 'reversePrompt',
	'reverse question': 'reversePrompt',
	tags: 'tags',
	deck: 'deck',
	guid: 'guid',
	notetype: 'notetype',
	'note type': 'notetype'
};

/** The mapping Anki's headers state, then column names, then "first two free columns". */
export function detectMapping(table: TextTable): TextMapping {
	const { headers } = table;
	const found: Partial<TextMapping> = {};
	const set = (key: keyof TextMapping, column: number | undefined) => {
		if (column !== undefined && found[key] === undefined) found[key] = column;
	};
	set('tags', oneBased(headers.tagsColumn));
	set('deck', oneBased(headers.deckColumn));
	set('guid', oneBased(headers.guidColumn));
	set('notetype', oneBased(headers.notetypeColumn));
	const taken = () => new Set(Object.values(found));
	table.header?.forEach((name, column) => {
		const key = NAMES[name.trim().toLowerCase()];
		if (key && !taken().has(column)) set(key, column);
	});
	// "Text, Extra" (a cloze sheet) names no back: its extra is the back, as before.
	if (found.back === undefined && found.extra !== undefined) {
		found.back = found.extra;
		delete found.extra;
	}
	const free = Array.from({ length: table.columns }, (_, i) => i).filter((i) => !taken().has(i));
	const front = found.front ?? free.shift() ?? 0;
	const back = found.back ?? free.find((i) => i !== front) ?? -1;
	return { ...found, front, back };
}

function oneBased(column: number | undefined): number | undefined {
	return column === undefined ? undefined : column - 1;
}
