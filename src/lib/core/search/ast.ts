/**
 * The search tree. Patterns keep Anki's wildcard syntax: `*` any run of characters, `_` one
 * character, `\*` `\_` `\\` the literal characters (see pattern.ts).
 */
import type { Grade } from '../model';

export const IS_STATES = ['new', 'learn', 'review', 'due', 'suspended', 'buried', 'leech'] as const;
export type IsState = (typeof IS_STATES)[number];

/**
 * r retrievability 0–1, s stability in days, d difficulty 0–1 (Anki's scale: FSRS's 1–10 mapped
 * to 0–1), ivl interval in days, due days from today, reps, lapses.
 */
export const PROPS = ['r', 's', 'd', 'ivl', 'due', 'reps', 'lapses'] as const;
export type PropName = (typeof PROPS)[number];

export const COMPARISONS = ['<=', '>=', '!=', '<', '>', '='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type SearchNode =
	/** The empty search: every card. */
	| { kind: 'all' }
	| { kind: 'and'; children: SearchNode[] }
	| { kind: 'or'; children: SearchNode[] }
	| { kind: 'not'; child: SearchNode }
	/** Plain words: a substring of any field, HTML tags ignored. */
	| { kind: 'text'; pattern: string }
	/** `front:value`: the whole field matches the pattern. */
	| { kind: 'field'; field: string; pattern: string }
	/** The deck's title matches, or it is a subdeck (`Parent::Child`) of a deck that does. */
	| { kind: 'deck'; pattern: string }
	/** A tag matches, or is a child tag (`parent::child`); `tag:none` is a note without tags. */
	| { kind: 'tag'; pattern: string }
	| { kind: 'is'; state: IsState }
	/** Anki's card flag: 1–7 a colour, 0 no flag. */
	| { kind: 'flag'; flag: number }
	| { kind: 'prop'; prop: PropName; op: Comparison; value: number }
	/** Added in the last `days` study days (1 = today). */
	| { kind: 'added'; days: number }
	/** Answered in the last `days` study days, optionally with one rating. */
	| { kind: 'rated'; days: number; rating?: Grade };

export type TermNode = Exclude<SearchNode, { kind: 'all' | 'and' | 'or' | 'not' }>;

/** A search the user can fix: what is wrong, in words, and where (0-based offset). */
export class SearchSyntaxError extends Error {
	readonly position: number;
	constructor(message: string, position: number) {
		super(message);
		this.name = 'SearchSyntaxError';
		this.position = position;
	}
}

/** Every term of a tree, depth first (for the storage layer's look-ups, e.g. `rated:`). */
export function searchTerms(node: SearchNode): TermNode[] {
	switch (node.kind) {
		case 'all':
			return [];
		case 'and':
		case 'or':
			return node.children.flatMap(searchTerms);
		case 'not':
			return searchTerms(node.child);
		default:
			return [node];
	}
}
