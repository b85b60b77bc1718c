/**
 * A teacher's rules for the built-in decks (`decks/*.md`), as far as a machine can check them:
 * one fact per card with a short answer, no answer given away on the question side, no yes/no
 * questions, reversed notes that ask a question in both directions, no asides about the other
 * article, and no fact taught by both decks (a learner studying both would get two cards for
 * one fact, or two answers to one question). Every note cites its article (its `source` is a
 * verbatim quotation: builtin-decks.test.ts checks it against the article).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clozeAnswers, clozeOrdinals, renderCloze } from '../render/cloze';
import { parseMarkdownDeck } from './markdown-deck';
import type { RecallDeck, RecallDeckNote } from './recall-deck';

/** The longest cloze deletion, in words: a blank is a key term, not a clause. */
export const MAX_BLANK_WORDS = 5;
/** The longest answer of a basic or reversed note, in words. */
export const MAX_ANSWER_WORDS = 8;
/** The longest front of a reversed note: it is the answer of the back → front card. */
export const MAX_REVERSE_ANSWER_WORDS = 16;

const root = resolve(import.meta.dirname, '../../../..');
const files = readdirSync(join(root, 'decks')).filter((f) => f.endsWith('.md'));
const decks: RecallDeck[] = files.map((f) =>
	parseMarkdownDeck(readFileSync(join(root, 'decks', f), 'utf8'), `decks/${f}`)
);

const STOPWORDS = new Set(
	(
		'a an the of in to and or his her him he she it its was were is by for on at with from as ' +
		'that this who what himself herself them they their be had has'
	).split(' ')
);

/** Plain words: Markdown, HTML, quotes and punctuation gone, accents folded, lower case. */
export function words(text: string): string[] {
	return text
		.replace(/<[^>]*>/g, ' ')
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.split(' ')
		.filter(Boolean);
}

const significant = (text: string) => words(text).filter((w) => !STOPWORDS.has(w));

/** Words as a reader counts them: "era's" is one word, "mountain-climbing" too. */
export function wordCount(text: string): number {
	return text
		.replace(/<[^>]*>/g, ' ')
		.split(/\s+/)
		.filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Same word, or one a plural/inflection of the other ("relative", "relatives"). */
function sameWord(a: string, b: string): boolean {
	if (a === b) return true;
	const [short, long] = a.length <= b.length ? [a, b] : [b, a];
	return short.length >= 5 && long.startsWith(short) && long.length - short.length <= 3;
}

/** Every significant word of `answer` is on the question side: the card answers itself. */
export function givesAway(question: string, answer: string): boolean {
	const shown = words(question);
	const needed = significant(answer);
	return needed.length > 0 && needed.every((w) => shown.some((s) => sameWord(s, w)));
}

/**
 * Two answers teach the same fact when they are the same significant words ("arrogant"), or
 * share two significant words in a row ("ice axe" in "a mountain-climbing ice axe" and "an ice
 * axe, a mountaineering tool"; "Mexico City"). One shared word in a longer answer ("Trotsky" in
 * "Trotsky moved his head") is not a fact.
 */
export function sameFact(a: string, b: string): boolean {
	const [x, y] = [significant(a), significant(b)];
	if (x.length === 0 || y.length === 0) return false;
	if (x.join(' ') === y.join(' ')) return true;
	const pairs = (w: string[]) => new Set(w.slice(1).map((v, i) => `${w[i]} ${v}`));
	const py = pairs(y);
	return [...pairs(x)].some((p) => py.has(p));
}

/**
 * Pairs the rule above flags that a teacher has read and kept, each with the reason: the same
 * word answers two different questions, so a learner meets no conflicting answer.
 */
const DIFFERENT_FACTS: [string, string, string][] = [
	[
		'trotsky-assassination/existential-threats',
		'trotsky-red-army/permanent-revolution-countries',
		'Germany: a threat the Kremlin feared (essay) vs a country whose revolution Trotsky wanted (article)'
	]
];

interface CardText {
	deck: string;
	note: string;
	question: string;
	answer: string;
}

/** Every card of a note: what its question shows and what it asks for. */
export function cardTexts(deck: string, note: RecallDeckNote): CardText[] {
	const at = { deck, note: note.id };
	if (note.type === 'cloze') {
		return clozeOrdinals(note.text).map((n) => ({
			...at,
			question: renderCloze(note.text, n, 'front'),
			answer: clozeAnswers(note.text, n).join(' ')
		}));
	}
	const cards = [{ ...at, question: note.front, answer: note.back }];
	if (note.type === 'reversed') {
		cards.push({ ...at, question: note.reversePrompt ?? note.back, answer: note.front });
	}
	return cards;
}

const YES_NO = /^(would|did|was|were|is|are|does|do|can|could|has|have|had|should|will)\b/i;
/** Asides about the other article belong nowhere on a card (the issue's "(the … article adds"). */
const OTHER_ARTICLE =
	/\b(article|essay) (adds|says|puts it)\b|\bred army (article|deck)\b|\bassassination (essay|deck)\b|\bother (article|deck)\b|\([^)]*\b(article|essay)\b[^)]*\)/i;

const notes = decks.flatMap((d) => d.notes.map((note) => ({ deck: d.id, note })));
const where = (deck: string, note: RecallDeckNote) => `${deck}/${note.id}`;

describe('the lint helpers', () => {
	it('count plain words and fold accents', () => {
		expect(words('*Ramón* "Mercader", the 1940s')).toEqual(['ramon', 'mercader', 'the', '1940s']);
		expect(wordCount("He was one of the era's best writers")).toBe(8);
		expect(wordCount('the "Whites" — and <b>the</b> rest')).toBe(5);
	});
	it('see an answer on its own question side', () => {
		expect(givesAway('the "Secret Treaties", leaking every dirty secret', 'Secret Treaties')).toBe(
			true
		);
		expect(givesAway('except Trotsky himself. If Trotsky is finished', 'Trotsky himself')).toBe(
			true
		);
		expect(givesAway('one of his relatives defected; she told the relative', 'relatives')).toBe(
			true
		);
		expect(
			givesAway('What did Trotsky call the Soviet Union?', 'A "degenerated workers\' state"')
		).toBe(false);
	});
	it('see the same fact in two answers, not one shared name', () => {
		expect(sameFact('A mountain-climbing ice axe', 'An ice axe, a mountaineering tool')).toBe(true);
		expect(sameFact('Mexico City', 'Mexico City (the Red Army article adds: Coyoacán)')).toBe(true);
		expect(sameFact('arrogant', 'Arrogant')).toBe(true);
		expect(sameFact('August 20, 1940', 'On August 20, 1940')).toBe(true);
		expect(sameFact('Trotsky', 'Trotsky moved his head at the last moment')).toBe(false);
		expect(sameFact('The next day', 'In the hospital')).toBe(false);
		expect(sameFact('An ice pick', 'A mountain-climbing ice axe')).toBe(false);
	});
});

describe('the built-in decks, card by card', () => {
	it('are the decks in decks/', () => {
		expect(decks.map((d) => d.id).sort()).toEqual(['trotsky-assassination', 'trotsky-red-army']);
	});

	it('cite their article in every note', () => {
		for (const d of decks) {
			expect(d.source?.file, d.id).toMatch(/^\d{3}_[0-9a-f]+\.txt$/);
			for (const n of d.notes) expect(n.source?.trim(), where(d.id, n)).toBeTruthy();
		}
	});

	it(`blank at most ${MAX_BLANK_WORDS} words in a cloze`, () => {
		const long = notes.flatMap(({ deck, note }) =>
			note.type !== 'cloze'
				? []
				: clozeOrdinals(note.text)
						.flatMap((n) => clozeAnswers(note.text, n))
						.filter((a) => wordCount(a) > MAX_BLANK_WORDS)
						.map((a) => `${where(deck, note)}: "${a}"`)
		);
		expect(long).toEqual([]);
	});

	it(`answer in at most ${MAX_ANSWER_WORDS} words (context goes in extra)`, () => {
		const long = notes.flatMap(({ deck, note }) => {
			if (note.type === 'cloze') return [];
			const out: string[] = [];
			if (wordCount(note.back) > MAX_ANSWER_WORDS) out.push(`${where(deck, note)}: ${note.back}`);
			if (note.type === 'reversed' && wordCount(note.front) > MAX_REVERSE_ANSWER_WORDS)
				out.push(`${where(deck, note)} (reverse answer): ${note.front}`);
			return out;
		});
		expect(long).toEqual([]);
	});

	it('make no aside about the other article', () => {
		const asides = notes.flatMap(({ deck, note }) => {
			return Object.entries(note)
				.filter(([k, v]) => k !== 'source' && typeof v === 'string' && OTHER_ARTICLE.test(v))
				.map(([k, v]) => `${where(deck, note)} ${k}: ${v as string}`);
		});
		expect(asides).toEqual([]);
	});

	it('ask real questions: basic fronts end with "?", none is a yes/no question', () => {
		const bad = notes.flatMap(({ deck, note }) => {
			const questions =
				note.type === 'basic'
					? [note.front]
					: note.type === 'reversed'
						? [note.reversePrompt ?? '']
						: [];
			return questions
				.filter((q) => !q.trim().endsWith('?') || YES_NO.test(q.trim()))
				.map((q) => `${where(deck, note)}: ${q}`);
		});
		expect(bad).toEqual([]);
	});

	it('give every reversed note a reverse prompt that names what it asks about', () => {
		const bad = notes
			.filter(({ note }) => note.type === 'reversed')
			.filter(({ note }) => {
				if (note.type !== 'reversed' || !note.reversePrompt) return true;
				const prompt = ` ${significant(note.reversePrompt).join(' ')} `;
				return !prompt.includes(` ${significant(note.back).join(' ')} `);
			})
			.map(({ deck, note }) => where(deck, note));
		expect(bad).toEqual([]);
	});

	it('never show a card its own answer on the question side', () => {
		const cards = notes.flatMap(({ deck, note }) => cardTexts(deck, note));
		const giveaways = cards
			.filter((c) => givesAway(c.question, c.answer))
			.map((c) => `${c.deck}/${c.note}: "${c.answer}" in "${c.question}"`);
		expect(giveaways).toEqual([]);
	});

	it('teach each fact in one deck only', () => {
		const byDeck = decks.map((d) => ({
			id: d.id,
			// The reverse card's answer is the note's description: its name (back) is the fact.
			answers: d.notes.flatMap((n) =>
				cardTexts(d.id, n)
					.filter((c, i) => !(n.type === 'reversed' && i === 1))
					.map((c) => ({ note: n.id, answer: c.answer }))
			)
		}));
		const shared: string[] = [];
		for (let i = 0; i < byDeck.length; i++) {
			for (let j = i + 1; j < byDeck.length; j++) {
				for (const a of byDeck[i]!.answers) {
					for (const b of byDeck[j]!.answers) {
						const kept = DIFFERENT_FACTS.some(
							([x, y]) => x === `${byDeck[i]!.id}/${a.note}` && y === `${byDeck[j]!.id}/${b.note}`
						);
						if (!kept && sameFact(a.answer, b.answer)) {
							shared.push(
								`${byDeck[i]!.id}/${a.note} "${a.answer}" ~ ${byDeck[j]!.id}/${b.note} "${b.answer}"`
							);
						}
					}
				}
			}
		}
		expect(shared).toEqual([]);
	});
});
