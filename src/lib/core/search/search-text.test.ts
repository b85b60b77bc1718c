/**
 * The stored search text (`searchText`) matches exactly as the note does: every built-in note
 * and a few awkward ones, against words, phrases, wildcards and `field:` searches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdownDeck } from '../decks/markdown-deck';
import { noteRecords } from '../decks/records';
import type { Card, Note } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import {
	compileSearch,
	decidedByText,
	noteForSearch,
	searchText,
	searchTexts,
	type SearchEnv
} from './evaluate';
import { parseSearch } from './parse';

const root = resolve(import.meta.dirname, '../../../..');
const NOW = Date.UTC(2026, 10, 23, 12);
const preset = createDefaultPreset();
const env: SearchEnv = {
	now: NOW,
	timeZone: 'UTC',
	dayStartHour: 4,
	decks: [],
	presetFor: () => preset
};

const builtin: Note[] = readdirSync(join(root, 'decks'))
	.filter((f) => f.endsWith('.md'))
	.flatMap((f) =>
		noteRecords(parseMarkdownDeck(readFileSync(join(root, 'decks', f), 'utf8'), `decks/${f}`), NOW)
	);

const odd = (id: string, fields: Record<string, string>): Note =>
	({ id, deckId: 'd', guid: id, type: 'basic', fields, tags: [], position: 0, mtime: 0 }) as Note;
const awkward: Note[] = [
	odd('html', { Front: 'Who was <b>Tro</b>tsky?', Back: 'A &amp; B&nbsp;C &#x4C;enin' }),
	odd('accents', { front: 'Cafe\u0301 crème', back: 'ﬁn' }),
	odd('case', { FRONT: 'ſtalin', front: 'later wins', Back: 'Kelvin \u212a' }),
	odd('empty', { front: '', back: '   ' }),
	odd('separator', { front: 'a\u001eb', back: 'c\u001fd' }),
	odd('none', {})
];

const searches = [
	'trotsky',
	'TROTSKY',
	'red army',
	'"red army"',
	'mex*co',
	'l_nin',
	'good-looking',
	'lenin OR stalin',
	'back:*stalin*',
	'front:',
	'front:"later wins"',
	'stalin',
	'kelvin k',
	'café',
	'fin',
	'a\u001eb',
	'c*d',
	'"a & b c"',
	'lenin',
	'trotsky (exile OR mexico)'
];

describe('search text', () => {
	it('finds exactly the notes the notes themselves match', () => {
		const card = {} as Card;
		let found = 0;
		for (const text of searches) {
			const node = parseSearch(text);
			expect(decidedByText(node), text).toBe(true);
			const matches = compileSearch(node, env);
			for (const note of [...builtin, ...awkward]) {
				const stored = searchText(note);
				const byNote = matches({ card, note: noteForSearch(note) });
				if (stored === null) {
					expect(note.id).toBe('separator');
					continue;
				}
				expect(matches({ card, texts: searchTexts(stored) }), `${text} in ${note.id}`).toBe(byNote);
				if (byNote) found++;
			}
		}
		expect(found).toBeGreaterThan(50);
		expect(builtin.length).toBeGreaterThan(50);
	});

	it('is only used for searches words alone decide', () => {
		for (const text of [
			'is:due',
			'trotsky is:new',
			'-trotsky',
			'tag:exile',
			'trotsky OR deck:x',
			''
		]) {
			expect(decidedByText(parseSearch(text)), text).toBe(false);
		}
	});
});
