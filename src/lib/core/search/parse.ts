/**
 * The search parser. Grammar (AND binds tighter than OR, as in Anki and SQL):
 *
 *   search  := or?
 *   or      := and ("OR" and)*
 *   and     := unary ("AND"? unary)*        -- words side by side must all match
 *   unary   := "-" unary | "(" or ")" | term
 *   term    := key ":" value | value        -- quotes group words: deck:"My deck", "a dog"
 *
 * `OR`/`AND` are operators in any case when unquoted. `\` escapes the next character; `\*` and
 * `\_` stay literal in patterns. Known keys: deck, tag, is, prop, added, rated; any other key
 * that looks like a name searches the field of that name.
 */
import type { Grade } from '../model';
import { containsRegex } from './pattern';
import {
	COMPARISONS,
	IS_STATES,
	PROPS,
	SearchSyntaxError,
	type Comparison,
	type IsState,
	type PropName,
	type SearchNode
} from './ast';

interface TermChar {
	ch: string;
	escaped: boolean;
}

type Token =
	| { type: '(' | ')' | 'not' | 'or' | 'and'; at: number }
	| { type: 'term'; at: number; chars: TermChar[]; quoted: boolean };

const SPACE = /\s/u;
/** Field names: a letter, then letters, digits, spaces, `_` or `-` (Anki field names). */
const FIELD_NAME = /^\p{L}[\p{L}\p{N}_ -]*$/u;
const KEYWORDS = new Set(['deck', 'tag', 'is', 'flag', 'prop', 'added', 'rated']);

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const ch = text[i] as string;
		if (SPACE.test(ch)) {
			i++;
		} else if (ch === '(' || ch === ')') {
			tokens.push({ type: ch, at: i++ });
		} else if (ch === '-') {
			const next = text[i + 1];
			if (next === undefined || SPACE.test(next) || next === ')') {
				throw new SearchSyntaxError(
					'A "-" must be followed by what to leave out, as in -tag:done.',
					i
				);
			}
			tokens.push({ type: 'not', at: i++ });
		} else {
			const at = i;
			const chars: TermChar[] = [];
			let quoteAt = -1;
			let quoted = false;
			while (i < text.length) {
				const c = text[i] as string;
				if (c === '\\') {
					chars.push({ ch: text[i + 1] ?? '\\', escaped: true });
					i += 2;
				} else if (c === '"') {
					quoteAt = quoteAt < 0 ? i : -1;
					quoted = true;
					i++;
				} else if (quoteAt < 0 && (SPACE.test(c) || c === '(' || c === ')')) {
					break;
				} else {
					chars.push({ ch: c, escaped: false });
					i++;
				}
			}
			if (quoteAt >= 0) throw new SearchSyntaxError('A quote (") is not closed.', quoteAt);
			const word = chars.every((c) => !c.escaped) ? plain(chars).toLowerCase() : '';
			if (!quoted && (word === 'or' || word === 'and')) tokens.push({ type: word, at });
			else tokens.push({ type: 'term', at, chars, quoted });
		}
	}
	return tokens;
}

function plain(chars: TermChar[]): string {
	return chars.map((c) => c.ch).join('');
}

/** Escaped wildcard characters stay escaped in a pattern; other escapes were only for parsing. */
function pattern(chars: TermChar[]): string {
	return chars.map((c) => (c.escaped && '*_\\'.includes(c.ch) ? `\\${c.ch}` : c.ch)).join('');
}

function whole(value: string, what: string, at: number): number {
	if (!/^\d{1,6}$/.test(value) || Number(value) < 1) {
		throw new SearchSyntaxError(`${what} needs a whole number of days from 1, as in ${what}7.`, at);
	}
	return Number(value);
}

function keywordTerm(key: string, chars: TermChar[], at: number): SearchNode {
	const value = plain(chars).trim();
	switch (key) {
		case 'deck':
		case 'tag':
			if (chars.length === 0) {
				const example = key === 'deck' ? 'deck:"My deck"' : 'tag:verbs';
				throw new SearchSyntaxError(`${key}: needs a name, as in ${example}.`, at);
			}
			return { kind: key, pattern: pattern(chars) };
		case 'is': {
			const state = value.toLowerCase();
			if (!(IS_STATES as readonly string[]).includes(state)) {
				throw new SearchSyntaxError(
					`"is:${value}" is not a card state: use ${IS_STATES.map((s) => `is:${s}`).join(', ')}.`,
					at
				);
			}
			return { kind: 'is', state: state as IsState };
		}
		case 'prop': {
			const ops = COMPARISONS.join('|');
			const m = new RegExp(
				`^([a-z]+)(${ops})(-?(?:\\d{1,9}(?:\\.\\d{1,6})?|\\.\\d{1,6}))$`,
				'i'
			).exec(value);
			const prop = m?.[1]?.toLowerCase();
			if (!m || !(PROPS as readonly string[]).includes(prop ?? '')) {
				throw new SearchSyntaxError(
					`"prop:${value}" is not understood: use one of ${PROPS.join(', ')}, a comparison and a number, as in prop:r<0.9.`,
					at
				);
			}
			return {
				kind: 'prop',
				prop: prop as PropName,
				op: m[2] as Comparison,
				value: Number(m[3])
			};
		}
		case 'flag':
			if (!/^[0-7]$/.test(value)) {
				throw new SearchSyntaxError(
					`"flag:${value}" is not a flag: use flag:1 (red) to flag:7 (purple), or flag:0 for none.`,
					at
				);
			}
			return { kind: 'flag', flag: Number(value) };
		case 'added':
			return { kind: 'added', days: whole(value, 'added:', at) };
		default: {
			const [days = '', rating, extra] = value.split(':');
			if (extra !== undefined || (rating !== undefined && !/^[1-4]$/.test(rating))) {
				throw new SearchSyntaxError(
					'rated: takes days and optionally a rating 1–4, as in rated:7 or rated:1:1.',
					at
				);
			}
			const node: SearchNode = { kind: 'rated', days: whole(days, 'rated:', at) };
			return rating === undefined ? node : { ...node, rating: Number(rating) as Grade };
		}
	}
}

/**
 * A pattern the search will turn into a regular expression: checked here, so a character that
 * cannot be searched for is reported where it is, not as a failure of the running search.
 */
function checked<T extends SearchNode>(node: T, at: number): T {
	if ('pattern' in node) {
		try {
			containsRegex(node.pattern);
		} catch {
			throw new SearchSyntaxError(
				`"${node.pattern}" contains a character that cannot be searched for: put a \\ before it or leave it out.`,
				at
			);
		}
	}
	return node;
}

function term(token: Extract<Token, { type: 'term' }>): SearchNode {
	return checked(termNode(token), token.at);
}

function termNode(token: Extract<Token, { type: 'term' }>): SearchNode {
	const { chars, at } = token;
	const colon = chars.findIndex((c) => c.ch === ':' && !c.escaped);
	if (colon > 0) {
		const keyChars = chars.slice(0, colon);
		const key = plain(keyChars);
		const value = chars.slice(colon + 1);
		const unescaped = keyChars.every((c) => !c.escaped);
		if (unescaped && KEYWORDS.has(key.toLowerCase())) {
			return keywordTerm(key.toLowerCase(), value, at);
		}
		if (FIELD_NAME.test(key)) return { kind: 'field', field: key, pattern: pattern(value) };
	}
	if (chars.length === 0) {
		throw new SearchSyntaxError('Empty quotes ("") search for nothing: remove them.', at);
	}
	return { kind: 'text', pattern: pattern(chars) };
}

function group(kind: 'and' | 'or', children: SearchNode[]): SearchNode {
	const flat = children.flatMap((c) => (c.kind === kind ? c.children : [c]));
	return flat.length === 1 ? (flat[0] as SearchNode) : { kind, children: flat };
}

class Parser {
	#p = 0;
	constructor(
		private readonly tokens: Token[],
		private readonly length: number
	) {}

	#peek(): Token | undefined {
		return this.tokens[this.#p];
	}

	#at(): number {
		return this.#peek()?.at ?? this.length;
	}

	parse(): SearchNode {
		if (this.tokens.length === 0) return { kind: 'all' };
		const node = this.#or();
		const rest = this.#peek();
		if (rest) throw new SearchSyntaxError('A ")" has no matching "(".', rest.at);
		return node;
	}

	#or(): SearchNode {
		const children = [this.#and()];
		while (this.#peek()?.type === 'or') {
			this.#p++;
			children.push(this.#and());
		}
		return group('or', children);
	}

	#and(): SearchNode {
		const children: SearchNode[] = [];
		for (;;) {
			const token = this.#peek();
			if (!token || token.type === ')' || token.type === 'or') break;
			if (token.type === 'and') {
				if (children.length === 0) break;
				this.#p++;
				const next = this.#peek();
				if (!next || next.type === ')' || next.type === 'or' || next.type === 'and') {
					throw new SearchSyntaxError('AND needs a search on each side.', token.at);
				}
				continue;
			}
			children.push(this.#unary());
		}
		if (children.length === 0) throw this.#nothingHere();
		return group('and', children);
	}

	/** Why a search was expected here and none came. */
	#nothingHere(): SearchSyntaxError {
		const token = this.#peek();
		const before = this.tokens[this.#p - 1];
		if (token?.type === 'or' || token?.type === 'and' || before?.type === 'or') {
			const op = token?.type === 'and' ? 'AND' : 'OR';
			return new SearchSyntaxError(`${op} needs a search on each side.`, token?.at ?? before!.at);
		}
		if (before?.type === '(') {
			return token
				? new SearchSyntaxError('Empty parentheses "()" search for nothing.', before.at)
				: new SearchSyntaxError('A "(" is not closed.', before.at);
		}
		return new SearchSyntaxError('A ")" has no matching "(".', this.#at());
	}

	#unary(): SearchNode {
		const token = this.#peek() as Token;
		if (token.type === 'not') {
			this.#p++;
			const next = this.#peek();
			if (!next || next.type === ')' || next.type === 'or' || next.type === 'and') {
				throw new SearchSyntaxError(
					'A "-" must be followed by what to leave out, as in -tag:done.',
					token.at
				);
			}
			return { kind: 'not', child: this.#unary() };
		}
		if (token.type === '(') {
			this.#p++;
			const inner = this.#or();
			if (this.#peek()?.type !== ')') {
				throw new SearchSyntaxError('A "(" is not closed.', token.at);
			}
			this.#p++;
			return inner;
		}
		if (token.type === 'term') {
			this.#p++;
			return term(token);
		}
		throw new SearchSyntaxError('A ")" has no matching "(".', token.at);
	}
}

/** Parses a search; throws SearchSyntaxError (with a position) when it cannot be understood. */
export function parseSearch(text: string): SearchNode {
	return new Parser(tokenize(text), text.length).parse();
}
