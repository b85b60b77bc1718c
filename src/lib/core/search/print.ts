/**
 * A search tree back as text, in canonical form: `parseSearch(printSearch(node))` gives `node`
 * back. Used to build searches from the UI (a deck, a tag, "Study these") and in the tests.
 */
import type { SearchNode } from './ast';

const NEEDS_QUOTES = /[\s()"]/u;

/** Quotes a value when it holds spaces, parentheses or quotes (or would read as something else). */
function quoteIfNeeded(value: string, extraTest = false): string {
	const escaped = value.replace(/"/g, '\\"');
	return value === '' || extraTest || NEEDS_QUOTES.test(value) ? `"${escaped}"` : escaped;
}

function printText(pattern: string): string {
	// The first unescaped ":" would start a key, so plain words escape theirs.
	const value = pattern.replace(/:/g, '\\:');
	const word = value.toLowerCase();
	return quoteIfNeeded(value, word === 'or' || word === 'and' || value.startsWith('-'));
}

function printField(field: string, pattern: string): string {
	// A field named like a keyword (a field "deck") escapes its first letter to stay a field.
	const key = /^(deck|tag|is|prop|added|rated)$/i.test(field) ? `\\${field}` : field;
	if (NEEDS_QUOTES.test(field)) {
		return `"${key}:${pattern.replace(/"/g, '\\"')}"`;
	}
	return `${key}:${quoteIfNeeded(pattern)}`;
}

export function printSearch(node: SearchNode): string {
	switch (node.kind) {
		case 'all':
			return '';
		case 'and':
			return node.children
				.map((c) => (c.kind === 'or' ? `(${printSearch(c)})` : printSearch(c)))
				.join(' ');
		case 'or':
			return node.children.map(printSearch).join(' OR ');
		case 'not': {
			const inner = printSearch(node.child);
			return node.child.kind === 'and' || node.child.kind === 'or' ? `-(${inner})` : `-${inner}`;
		}
		case 'text':
			return printText(node.pattern);
		case 'field':
			return printField(node.field, node.pattern);
		case 'deck':
		case 'tag':
			return `${node.kind}:${quoteIfNeeded(node.pattern)}`;
		case 'is':
			return `is:${node.state}`;
		case 'flag':
			return `flag:${node.flag}`;
		case 'prop':
			return `prop:${node.prop}${node.op}${node.value}`;
		case 'added':
			return `added:${node.days}`;
		case 'rated':
			return `rated:${node.days}${node.rating ? `:${node.rating}` : ''}`;
	}
}

/** Literal text as a pattern: wildcard characters and backslashes escaped. */
export function literalPattern(text: string): string {
	return text.replace(/[\\*_]/g, '\\$&');
}
