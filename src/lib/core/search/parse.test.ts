import { describe, expect, it } from 'vitest';
import { SearchSyntaxError, type SearchNode } from './ast';
import { parseSearch } from './parse';
import { literalPattern, printSearch } from './print';

const text = (pattern: string): SearchNode => ({ kind: 'text', pattern });

function syntaxError(input: string): SearchSyntaxError {
	try {
		parseSearch(input);
	} catch (e) {
		if (e instanceof SearchSyntaxError) return e;
		throw e;
	}
	throw new Error(`"${input}" parsed without an error`);
}

describe('parseSearch: each term', () => {
	it('reads nothing (or only spaces) as every card', () => {
		expect(parseSearch('')).toEqual({ kind: 'all' });
		expect(parseSearch('  \t ')).toEqual({ kind: 'all' });
	});

	it('reads plain words and quoted phrases as text', () => {
		expect(parseSearch('trotsky')).toEqual(text('trotsky'));
		expect(parseSearch('"red army"')).toEqual(text('red army'));
		expect(parseSearch('d*g')).toEqual(text('d*g'));
		expect(parseSearch('10:30')).toEqual(text('10:30'));
	});

	it('keeps escaped wildcards literal and drops other escapes', () => {
		expect(parseSearch('a\\*b')).toEqual(text('a\\*b'));
		expect(parseSearch('snake\\_case')).toEqual(text('snake\\_case'));
		expect(parseSearch('\\"quoted\\"')).toEqual(text('"quoted"'));
		expect(parseSearch('\\-5')).toEqual(text('-5'));
		expect(parseSearch('a\\:b')).toEqual(text('a:b'));
	});

	it('reads deck: with and without quotes, also around the whole term', () => {
		expect(parseSearch('deck:History')).toEqual({ kind: 'deck', pattern: 'History' });
		expect(parseSearch('deck:"Red Army"')).toEqual({ kind: 'deck', pattern: 'Red Army' });
		expect(parseSearch('"deck:Red Army"')).toEqual({ kind: 'deck', pattern: 'Red Army' });
		expect(parseSearch('DECK:Lang::French')).toEqual({ kind: 'deck', pattern: 'Lang::French' });
		expect(parseSearch('deck:Hist*')).toEqual({ kind: 'deck', pattern: 'Hist*' });
	});

	it('reads tag:', () => {
		expect(parseSearch('tag:early-life')).toEqual({ kind: 'tag', pattern: 'early-life' });
		expect(parseSearch('tag:none')).toEqual({ kind: 'tag', pattern: 'none' });
		expect(parseSearch('tag:lang::*')).toEqual({ kind: 'tag', pattern: 'lang::*' });
	});

	it('reads every is: state, in any case', () => {
		for (const state of ['new', 'learn', 'review', 'due', 'suspended', 'buried', 'leech']) {
			expect(parseSearch(`is:${state}`)).toEqual({ kind: 'is', state });
		}
		expect(parseSearch('IS:Due')).toEqual({ kind: 'is', state: 'due' });
	});

	it('reads prop: with every property and comparison', () => {
		expect(parseSearch('prop:r<0.9')).toEqual({ kind: 'prop', prop: 'r', op: '<', value: 0.9 });
		expect(parseSearch('prop:s>21')).toEqual({ kind: 'prop', prop: 's', op: '>', value: 21 });
		expect(parseSearch('prop:d>0.7')).toEqual({ kind: 'prop', prop: 'd', op: '>', value: 0.7 });
		expect(parseSearch('prop:ivl>=10')).toEqual({ kind: 'prop', prop: 'ivl', op: '>=', value: 10 });
		expect(parseSearch('prop:due<=-1')).toEqual({ kind: 'prop', prop: 'due', op: '<=', value: -1 });
		expect(parseSearch('prop:reps=3')).toEqual({ kind: 'prop', prop: 'reps', op: '=', value: 3 });
		expect(parseSearch('prop:lapses!=0')).toEqual({
			kind: 'prop',
			prop: 'lapses',
			op: '!=',
			value: 0
		});
		expect(parseSearch('prop:R<.5')).toEqual({ kind: 'prop', prop: 'r', op: '<', value: 0.5 });
	});

	it('reads added: and rated: with an optional rating', () => {
		expect(parseSearch('added:7')).toEqual({ kind: 'added', days: 7 });
		expect(parseSearch('rated:1')).toEqual({ kind: 'rated', days: 1 });
		expect(parseSearch('rated:3:1')).toEqual({ kind: 'rated', days: 3, rating: 1 });
	});

	it('reads an unknown key that looks like a name as a field search', () => {
		expect(parseSearch('front:dog')).toEqual({ kind: 'field', field: 'front', pattern: 'dog' });
		expect(parseSearch('"back side:a b"')).toEqual({
			kind: 'field',
			field: 'back side',
			pattern: 'a b'
		});
		expect(parseSearch('front:')).toEqual({ kind: 'field', field: 'front', pattern: '' });
		expect(parseSearch('\\deck:x')).toEqual({ kind: 'field', field: 'deck', pattern: 'x' });
	});
});

describe('parseSearch: combinations', () => {
	it('ANDs words side by side, with or without AND', () => {
		const both = { kind: 'and', children: [text('a'), text('b')] };
		expect(parseSearch('a b')).toEqual(both);
		expect(parseSearch('a AND b')).toEqual(both);
		expect(parseSearch('a and b')).toEqual(both);
	});

	it('binds AND tighter than OR, as Anki and SQL do', () => {
		expect(parseSearch('a b OR c')).toEqual({
			kind: 'or',
			children: [{ kind: 'and', children: [text('a'), text('b')] }, text('c')]
		});
		expect(parseSearch('a (b or c)')).toEqual({
			kind: 'and',
			children: [text('a'), { kind: 'or', children: [text('b'), text('c')] }]
		});
	});

	it('negates a term, a phrase or a group with a leading -', () => {
		expect(parseSearch('-is:suspended')).toEqual({
			kind: 'not',
			child: { kind: 'is', state: 'suspended' }
		});
		expect(parseSearch('-"a b"')).toEqual({ kind: 'not', child: text('a b') });
		expect(parseSearch('-(a OR b)')).toEqual({
			kind: 'not',
			child: { kind: 'or', children: [text('a'), text('b')] }
		});
		expect(parseSearch('well-known')).toEqual(text('well-known'));
	});

	it('flattens nested groups of the same kind', () => {
		expect(parseSearch('(a b) (c d)')).toEqual({
			kind: 'and',
			children: [text('a'), text('b'), text('c'), text('d')]
		});
		expect(parseSearch('((a))')).toEqual(text('a'));
	});

	it('combines the terms of the issue', () => {
		expect(parseSearch('deck:"Red Army" tag:x -is:new (prop:r<0.9 OR rated:1) added:7')).toEqual({
			kind: 'and',
			children: [
				{ kind: 'deck', pattern: 'Red Army' },
				{ kind: 'tag', pattern: 'x' },
				{ kind: 'not', child: { kind: 'is', state: 'new' } },
				{
					kind: 'or',
					children: [
						{ kind: 'prop', prop: 'r', op: '<', value: 0.9 },
						{ kind: 'rated', days: 1 }
					]
				},
				{ kind: 'added', days: 7 }
			]
		});
	});

	it('treats quoted OR and AND as words', () => {
		expect(parseSearch('"or"')).toEqual(text('or'));
		expect(parseSearch('a "AND" b')).toEqual({
			kind: 'and',
			children: [text('a'), text('AND'), text('b')]
		});
	});
});

describe('parseSearch: junk is refused with a reason and a position', () => {
	const cases: [string, RegExp, number][] = [
		['"open', /quote .* not closed/, 0],
		['a (b', /"\(" is not closed/, 2],
		['a)', /"\)" has no matching "\("/, 1],
		[')', /"\)" has no matching "\("/, 0],
		['()', /Empty parentheses/, 0],
		['OR a', /OR needs a search on each side/, 0],
		['a OR', /OR needs a search on each side/, 2],
		['a OR OR b', /OR needs a search on each side/, 5],
		['AND a', /AND needs a search on each side/, 0],
		['a AND', /AND needs a search on each side/, 2],
		['a - b', /"-" must be followed/, 2],
		['-', /"-" must be followed/, 0],
		['-OR a', /"-" must be followed/, 0],
		['(-)', /"-" must be followed/, 1],
		['is:tired', /"is:tired" is not a card state/, 0],
		['x prop:q>1', /"prop:q>1" is not understood/, 2],
		['prop:r~1', /not understood/, 0],
		['prop:r<', /not understood/, 0],
		['added:0', /added: needs a whole number/, 0],
		['added:x', /added: needs a whole number/, 0],
		['rated:1:5', /rated: takes days/, 0],
		['rated:1:2:3', /rated: takes days/, 0],
		['rated:', /rated: needs a whole number/, 0],
		['deck:', /deck: needs a name/, 0],
		['tag:', /tag: needs a name/, 0],
		['""', /Empty quotes/, 0]
	];
	it.each(cases)('%s', (input, message, position) => {
		const e = syntaxError(input);
		expect(e.message).toMatch(message);
		expect(e.position).toBe(position);
	});

	it('never throws anything but SearchSyntaxError on random input', () => {
		const alphabet = ['a', ' ', '"', '(', ')', '-', ':', '\\', '*', 'OR', 'deck', 'is', '<', '1'];
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		let parsed = 0;
		for (let n = 0; n < 2000; n++) {
			const input = Array.from(
				{ length: 1 + Math.floor(next() * 12) },
				() => alphabet[Math.floor(next() * alphabet.length)]
			).join('');
			try {
				const node = parseSearch(input);
				expect(parseSearch(printSearch(node))).toEqual(node);
				parsed++;
			} catch (e) {
				expect(e).toBeInstanceOf(SearchSyntaxError);
			}
		}
		expect(parsed).toBeGreaterThan(100);
	});
});

describe('printSearch', () => {
	const samples = [
		'trotsky',
		'"red army"',
		'a\\*b snake\\_case',
		'\\"x\\"',
		'10:30',
		'\\-5',
		'"or" "and"',
		'deck:"Red Army"',
		'deck:Lang::French -deck:Lang::French::*',
		'tag:none tag:a::b',
		'is:due -is:suspended',
		'prop:r<0.9 prop:s>21 prop:d>0.7 prop:due<=-1',
		'added:7 rated:1 rated:3:1',
		'front:dog "back side:a b" front:""',
		'\\deck:x',
		'a b OR c (d OR e) -(f g) --h',
		'deck:"a\\"b" "x\\\\"'
	];
	it.each(samples)('prints %s back to the same tree', (input) => {
		const node = parseSearch(input);
		expect(parseSearch(printSearch(node))).toEqual(node);
	});

	it('writes a canonical form', () => {
		expect(printSearch(parseSearch('a   and   ( b or c )'))).toBe('a (b OR c)');
		expect(printSearch(parseSearch('"deck:Red Army"'))).toBe('deck:"Red Army"');
		expect(printSearch(parseSearch('-(a b)'))).toBe('-(a b)');
		expect(printSearch({ kind: 'all' })).toBe('');
	});

	it('escapes literal text for a pattern', () => {
		expect(literalPattern('a*b_c\\')).toBe('a\\*b\\_c\\\\');
		const node: SearchNode = { kind: 'deck', pattern: literalPattern('Maths (2*)') };
		expect(printSearch(node)).toBe('deck:"Maths (2\\*)"');
		expect(parseSearch(printSearch(node))).toEqual(node);
	});
});

describe('flag:', () => {
	it("reads Anki's flags 0–7, prints them back, and says what is wrong with others", () => {
		expect(parseSearch('flag:3')).toEqual({ kind: 'flag', flag: 3 });
		expect(parseSearch('flag:0')).toEqual({ kind: 'flag', flag: 0 });
		expect(printSearch(parseSearch('-flag:1'))).toBe('-flag:1');
		const e = syntaxError('dog flag:9');
		expect(e.message).toBe(
			'"flag:9" is not a flag: use flag:1 (red) to flag:7 (purple), or flag:0 for none.'
		);
		expect(e.position).toBe(4);
	});
});
