/**
 * The built-in decks in `decks/`: they parse, every note cites its article verbatim, and they
 * cover the articles (enough notes, themed tags).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdownDeck } from './markdown-deck';
import { validateRecallDeck } from './recall-deck';

const root = resolve(import.meta.dirname, '../../../..');
const seeds = resolve(root, '../shared/seeds');
const haveSeeds = existsSync(seeds);
if (!haveSeeds) console.warn(`SKIPPED quotation checks: ${seeds} is absent (CI always has it).`);

const THEMES = new Set([
	'revolution',
	'red-army',
	'ideas',
	'rivalry',
	'exile',
	'assassination',
	'aftermath',
	'legacy',
	'early-life'
]);

const files = readdirSync(join(root, 'decks')).filter((f) => f.endsWith('.md'));
const decks = files.map((f) => ({
	file: f,
	deck: parseMarkdownDeck(readFileSync(join(root, 'decks', f), 'utf8'), `decks/${f}`)
}));

/** Whitespace runs become one space; typographic quotes and dashes match their plain forms. */
function normalise(text: string): string {
	return text
		.replace(/[\u2018\u2019\u201B\u2032]/g, "'")
		.replace(/[\u201C\u201D\u201F\u2033]/g, '"')
		.replace(/\u00A0/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

describe('built-in decks', () => {
	it('are the two article decks, named after their files', () => {
		expect(files.sort()).toEqual(['trotsky-assassination.md', 'trotsky-red-army.md']);
		for (const { file, deck } of decks) expect(`${deck.id}.md`).toBe(file);
	});

	it('teach at least 60 notes together, each with a source and a theme tag', () => {
		const notes = decks.flatMap((d) => d.deck.notes);
		expect(notes.length).toBeGreaterThanOrEqual(60);
		for (const n of notes) {
			expect(n.source, `${n.id} has no source`).toBeTruthy();
			expect(
				n.tags?.some((t) => THEMES.has(t)),
				`${n.id} has no theme tag`
			).toBe(true);
		}
		const types = new Set(notes.map((n) => n.type));
		expect([...types].sort()).toEqual(['basic', 'cloze', 'reversed']);
	});

	it('validate as Recall JSON decks (what the build serves)', () => {
		for (const { deck } of decks) {
			expect(validateRecallDeck(JSON.parse(JSON.stringify(deck)), deck.id)).toEqual(deck);
			expect(deck.source?.file).toMatch(/^\d{3}_[0-9a-f]+\.txt$/);
		}
	});

	it.skipIf(!haveSeeds)('quote their article verbatim in every source', () => {
		for (const { deck } of decks) {
			const article = normalise(readFileSync(join(seeds, deck.source!.file), 'utf8'));
			const missing = deck.notes.filter((n) => !article.includes(normalise(n.source ?? '')));
			expect(missing.map((n) => `${deck.id}/${n.id}: ${n.source}`)).toEqual([]);
		}
	});

	it.skipIf(!haveSeeds)('make no card from the web-page noise', () => {
		const noise = [/you might also like/i, /read more/i, /send this to a friend/i, /MSNBC/];
		for (const { deck } of decks) {
			const text = JSON.stringify(deck.notes);
			for (const pattern of noise) expect(text).not.toMatch(pattern);
		}
	});
});
