import { describe, expect, it } from 'vitest';
import { recallDeck, deckNote } from '../testing/factories';
import { DeckFormatError } from './errors';
import { parseMarkdownDeck, serializeMarkdownDeck } from './markdown-deck';
import { parseRecallDeckJson } from './recall-deck';

const EXAMPLE = `---
id: example
title: "Example: a deck"
description: Two notes.
version: 3
source-title: An article
source-file: 000.txt
---

Prose before the first note is a comment.

## first-note
tags: ideas, red-army
front: What is **bold**?
back: A way to write
  on two lines
source: He said so.

## a-cloze
type: cloze
text: On {{c1::October 24}} they seized {{c2::the bridges::what?}}.
extra: Petrograd
`;

function errorOf(fn: () => unknown): DeckFormatError {
	try {
		fn();
	} catch (e) {
		if (e instanceof DeckFormatError) return e;
		throw e;
	}
	throw new Error('expected a DeckFormatError');
}

describe('Markdown deck parser', () => {
	it('reads front matter, notes, continuation lines and tags', () => {
		const deck = parseMarkdownDeck(EXAMPLE, 'example.md');
		expect(deck).toMatchObject({
			id: 'example',
			title: 'Example: a deck',
			version: 3,
			source: { title: 'An article', file: '000.txt' }
		});
		expect(deck.notes).toEqual([
			{
				id: 'first-note',
				type: 'basic',
				front: 'What is **bold**?',
				back: 'A way to write\non two lines',
				tags: ['ideas', 'red-army'],
				source: 'He said so.'
			},
			{
				id: 'a-cloze',
				type: 'cloze',
				text: 'On {{c1::October 24}} they seized {{c2::the bridges::what?}}.',
				extra: 'Petrograd'
			}
		]);
	});

	it('round-trips: parse(serialize(deck)) equals deck', () => {
		const deck = recallDeck({
			title: 'Quotes: "tricky" titles',
			source: { title: 'A: B', file: 'x.txt' },
			notes: [
				deckNote({ back: 'multi\nline' }),
				deckNote({ type: 'reversed', source: 'A quote: with a colon.' }),
				deckNote({ type: 'cloze', text: '{{c1::a}} and {{c2::b::hint}}', extra: 'more' })
			]
		});
		const again = parseMarkdownDeck(serializeMarkdownDeck(deck), 'x.md');
		expect(again).toEqual(deck);
		expect(serializeMarkdownDeck(again)).toBe(serializeMarkdownDeck(deck));
	});

	it('round-trips the example: serialize(parse(text)) parses to the same deck', () => {
		const deck = parseMarkdownDeck(EXAMPLE, 'e.md');
		expect(parseMarkdownDeck(serializeMarkdownDeck(deck), 'e.md')).toEqual(deck);
	});

	it('accepts a byte-order mark and Windows line endings', () => {
		const deck = parseMarkdownDeck('\uFEFF' + EXAMPLE.replace(/\n/g, '\r\n'), 'e.md');
		expect(deck.notes).toHaveLength(2);
	});

	it.each([
		['', 'e.md, line 1: the deck must start with front matter'],
		['---\nid: x\n', 'front matter is not closed'],
		['---\nid: x\ncolour: red\n---\n', 'e.md, line 3: unknown front matter key "colour"'],
		['---\ntitle: T\n---\n', 'the front matter has no "id"'],
		[
			'---\nid: x\ntitle: T\n---\n## a\nfront: q\n',
			'e.md, line 5: note 1 ("a"): "back" must be a non-empty string'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\nfront: q\nback: a\nfront: again\n',
			'e.md, line 8: "front" is given twice'
		],
		['---\nid: x\ntitle: T\n---\n## a\nfrnt: q\n', 'e.md, line 6: unknown key "frnt" in note "a"'],
		['---\nid: x\ntitle: T\n---\n## a\nthis is prose\n', 'e.md, line 6: expected "key: value"'],
		[
			'---\nid: x\ntitle: T\n---\n## a\ntype: cloze\ntext: no deletion\n',
			'line 5: note 1 ("a"): cloze text has no {{c1::…}} deletion'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\nfront: q\nback: a\n\n## a\nfront: q\nback: a\n',
			'line 9: note 2 ("a"): duplicate id'
		],
		[
			'---\nid: x\ntitle: T\n---\n## Bad Id\nfront: q\nback: a\n',
			'line 5: note 1 ("Bad Id"): id may only hold'
		],
		['---\nid: x\ntitle: T\n---\n## a\ntype: essay\nfront: q\nback: a\n', 'unknown type "essay"'],
		['---\nid: x\ntitle: T\nversion: two\n---\n', '"version" must be a positive integer'],
		// Both passed a `{{cN::` pattern test but make no card: an opener never closed, and c0.
		[
			'---\nid: x\ntitle: T\n---\n## a\ntype: cloze\ntext: {{c1::never closed\n',
			'line 5: note 1 ("a"): cloze text has no {{c1::…}} deletion'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\ntype: cloze\ntext: {{c0::zero}}\n',
			'line 5: note 1 ("a"): cloze text has no {{c1::…}} deletion'
		],
		// A field the note's type does not take is refused at its own line, never dropped.
		[
			'---\nid: x\ntitle: T\n---\n## a\nfront: q\nback: a\nreverse-prompt: Who?\n',
			'e.md, line 8: "reverse-prompt" is not a field of a basic note ("a" takes tags, source, front, back, extra)'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\ntype: cloze\ntext: {{c1::x}}\nback: y\n',
			'e.md, line 8: "back" is not a field of a cloze note ("a" takes tags, source, text, extra)'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\nfront: q\ntext: t\nback: a\n',
			'e.md, line 7: "text" is not a field of a basic note'
		],
		[
			'---\nid: x\ntitle: T\n---\n## a\ntype: reversed\nfront: q\nback: a\nreverse-prompt:\n',
			'line 5: note 1 ("a"): "reversePrompt" must be a non-empty string'
		],
		[
			`---\nid: x\ntitle: T\n---\n## a\ntype: cloze\ntext: ${'{{c1::'.repeat(1001)}\n`,
			'line 5: note 1 ("a"): cloze text has more than 1000 "{{c" markers; is the file damaged?'
		]
	])('rejects junk with file, line and reason: %j', (text, message) => {
		const e = errorOf(() => parseMarkdownDeck(text, 'e.md'));
		expect(e.message).toContain(message);
		expect(e.file).toBe('e.md');
		expect(e.line).toBeGreaterThan(0);
	});
});

describe('extra and the reverse prompt', () => {
	const DECK = `---
id: x
title: T
---
## basic-with-extra
front: Who?
back: Trotsky
extra: Born Lev Bronstein.

## reversed-with-cue
type: reversed
front: Assassin of Trotsky
back: Ramón Mercader
reverse-prompt: Who was Ramón Mercader?
extra: He used the name
  Frank Jacson.

## cloze-with-extra
type: cloze
text: {{c1::1940}}
extra: Mexico
`;

	it('reads extra on every note type and the reverse prompt of a reversed note', () => {
		const deck = parseMarkdownDeck(DECK, 'x.md');
		expect(deck.notes).toEqual([
			{
				id: 'basic-with-extra',
				type: 'basic',
				front: 'Who?',
				back: 'Trotsky',
				extra: 'Born Lev Bronstein.'
			},
			{
				id: 'reversed-with-cue',
				type: 'reversed',
				front: 'Assassin of Trotsky',
				back: 'Ramón Mercader',
				reversePrompt: 'Who was Ramón Mercader?',
				extra: 'He used the name\nFrank Jacson.'
			},
			{ id: 'cloze-with-extra', type: 'cloze', text: '{{c1::1940}}', extra: 'Mexico' }
		]);
	});

	it('writes them back: parse(serialize(deck)) equals deck, JSON too', () => {
		const deck = parseMarkdownDeck(DECK, 'x.md');
		const text = serializeMarkdownDeck(deck);
		expect(text).toContain('reverse-prompt: Who was Ramón Mercader?');
		expect(parseMarkdownDeck(text, 'x.md')).toEqual(deck);
		expect(parseRecallDeckJson(JSON.stringify(deck), 'x.json')).toEqual(deck);
	});
});

describe('hostile lines', () => {
	it('reads a 200,000-space line ending in a letter at once, and quotes only its start', () => {
		// The old trailing-space regex took minutes on this line (quadratic backtracking).
		const line = `front${' '.repeat(200_000)}x`;
		const e = errorOf(() =>
			parseMarkdownDeck(`---\nid: x\ntitle: T\n---\n## a\n${line}\n`, 'e.md')
		);
		expect(e.message).toBe(
			`e.md, line 6: expected "key: value" in note "a", found "front${' '.repeat(54)}…"`
		);
	});

	it('shows control characters in a quoted heading as "?" and cuts a long one short', () => {
		const e = errorOf(() =>
			parseMarkdownDeck(`---\nid: x\ntitle: T\n---\n## a\u0007${'b'.repeat(500)}\nbad\n`, 'e.md')
		);
		expect(e.message).toBe(
			`e.md, line 6: expected "key: value" in note "a?${'b'.repeat(57)}…", found "bad"`
		);
	});
});

describe('Recall JSON deck', () => {
	it('accepts what the Markdown parser produces', () => {
		const deck = parseMarkdownDeck(EXAMPLE, 'e.md');
		expect(parseRecallDeckJson(JSON.stringify(deck), 'e.json')).toEqual(deck);
	});

	it.each([
		['not json', 'e.json: not valid JSON'],
		['[]', 'e.json: the file is not a JSON object'],
		['{"format":"anki"}', '"format" must be "recall-deck"'],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":[{"id":"n","front":"q"}]}',
			'note 1 ("n"): "back" must be a non-empty string'
		],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":[{"id":"n","type":"basic","front":"q","back":"a","tags":["has space"]}]}',
			'"tags" must be a list of tag names'
		],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":{}}',
			'"notes" must be a list'
		],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":[{"id":"n","front":"q","back":"a","hint":"h"}]}',
			'note 1 ("n"): "hint" is not a field of a basic note (it takes tags, source, front, back, extra)'
		],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":[{"id":"n","type":"cloze","text":"{{c1::x}}","reversePrompt":"Who?"}]}',
			'note 1 ("n"): "reversePrompt" is not a field of a cloze note'
		],
		[
			'{"format":"recall-deck","version":1,"id":"a","title":"T","notes":[{"id":"n","front":"q","back":"a","extra":3}]}',
			'note 1 ("n"): "extra" must be a string'
		]
	])('rejects %j', (text, message) => {
		expect(errorOf(() => parseRecallDeckJson(text, 'e.json')).message).toContain(message);
	});
});
