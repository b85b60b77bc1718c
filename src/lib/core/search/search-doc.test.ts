/**
 * docs/SEARCH.md's examples, run against the built-in decks (decks/*.md) after a little study:
 * every example finds at least one card, or what the doc says it finds. A doc example that finds
 * nothing (as `deck:"Red Army"` once did, the deck being "Trotsky and the Red Army") fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdownDeck } from '../decks/markdown-deck';
import { cardStubs, deckRecord, noteRecords } from '../decks/records';
import { CardState, Queue, type Card, type Grade, type Note } from '../model';
import { LEECH_TAG } from '../scheduling/leech';
import { createDefaultPreset } from '../scheduling/preset';
import { DAY, makeCard, MIN } from '../scheduling/test-factories';
import { compileSearch, type SearchEnv, type SearchRow } from './evaluate';
import { parseSearch } from './parse';

const root = resolve(import.meta.dirname, '../../../..');
const doc = readFileSync(join(root, 'docs/SEARCH.md'), 'utf8');

/** Monday 2026-11-23 12:00 UTC; study days start at 04:00. */
const NOW = Date.UTC(2026, 10, 23, 12);
const preset = createDefaultPreset();

const decks = readdirSync(join(root, 'decks'))
	.filter((f) => f.endsWith('.md'))
	.map((f) => parseMarkdownDeck(readFileSync(join(root, 'decks', f), 'utf8'), `decks/${f}`));
const notes = new Map<string, Note>();
const cards: Card[] = [];
for (const deck of decks) {
	for (const note of noteRecords(deck, NOW)) {
		notes.set(note.id, { ...note, createdAt: NOW } as Note);
		for (const stub of cardStubs(note)) {
			cards.push(
				makeCard({
					id: stub.id,
					noteId: stub.noteId,
					deckId: stub.deckId,
					ord: stub.ord,
					due: stub.position
				})
			);
		}
	}
}

/** A little study: a few cards of each deck in each state the doc's terms ask about. */
const ratedToday = new Map<string, Grade>();
function study(deckId: string, n: number, patch: Partial<Card>, rated?: Grade): void {
	const card = cards.filter((c) => c.deckId === deckId)[n]!;
	Object.assign(card, patch);
	if (rated) ratedToday.set(card.id, rated);
}
const [army, assassination] = ['trotsky-red-army', 'trotsky-assassination'];
const review = (days: number, stability: number, dueInDays: number): Partial<Card> => ({
	state: CardState.Review,
	queue: Queue.Review,
	stability,
	difficulty: 5,
	scheduledDays: days,
	lastReview: NOW + (dueInDays - days) * DAY,
	due: NOW + dueInDays * DAY,
	reps: 3
});
// Forgotten today, overdue, hard, answered often.
study(army, 0, { ...review(2, 1, -2), difficulty: 9, reps: 12, lapses: 4 }, 1);
// Well known: due tomorrow after 40 days.
study(army, 1, review(40, 40, 1));
study(assassination, 0, {
	state: CardState.Learning,
	queue: Queue.Learning,
	stability: 2,
	difficulty: 5,
	lastReview: NOW - 10 * MIN,
	due: NOW - MIN,
	reps: 1
});
study(assassination, 1, { ...review(5, 5, 3), queue: Queue.Suspended });
study(assassination, 2, { ...review(5, 5, 3), queue: Queue.Buried });
study(assassination, 3, { ...review(3, 1, 1), queue: Queue.Suspended, lapses: 8 });
notes.get(cards.filter((c) => c.deckId === assassination)[3]!.noteId)!.tags.push(LEECH_TAG);
study(assassination, 4, { flag: 1 });

const env: SearchEnv = {
	now: NOW,
	timeZone: 'UTC',
	dayStartHour: 4,
	decks: decks.map((d) => deckRecord(d, 'builtin', NOW)),
	presetFor: () => preset,
	ratedSince: (from, rating) =>
		new Set(
			[...ratedToday]
				.filter(([, r]) => from <= NOW && (rating === undefined || r === rating))
				.map(([id]) => id)
		)
};

function count(
	search: string,
	rows: SearchRow[] = cards.map((card) => ({ card, note: notes.get(card.noteId) }))
): number {
	const matches = compileSearch(parseSearch(search), env);
	return rows.filter(matches).length;
}

interface Example {
	search: string;
	/** What the doc says next to it. */
	says: string;
}

const KEYWORD = /^-?\(?(deck|tag|is|prop|added|rated):/i;
const codes = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * The examples: each search in a table's "you type", "term" or "search" column, and every
 * inline search term (`deck:…`, `is:…`) of the prose that is a whole search.
 */
function examples(): Example[] {
	const found: Example[] = [];
	let searchColumn = -1;
	for (const line of doc.split('\n')) {
		if (!line.startsWith('|')) {
			searchColumn = -1;
			const prose = codes(line).filter((c) => KEYWORD.test(c));
			for (const search of prose) {
				try {
					parseSearch(search);
				} catch {
					continue; // a key named in a sentence ("`prop:due` counts study days"), not a search
				}
				found.push({ search, says: line });
			}
			continue;
		}
		const cells = line
			.split('|')
			.slice(1, -1)
			.map((c) => c.trim());
		if (/^-+$/.test(cells[0] ?? '')) continue;
		if (searchColumn < 0) {
			searchColumn = cells.findIndex((c) => /^(you type|term|search)$/.test(c));
			continue;
		}
		const cell = cells[searchColumn] ?? '';
		const says = cells.filter((_, i) => i !== searchColumn).join(' | ');
		for (const search of cell.split(/`,\s*`/).map((c) => c.replace(/^`|`$/g, ''))) {
			found.push({ search, says });
		}
	}
	return found;
}

const all = examples();

describe('docs/SEARCH.md', () => {
	it('has examples to check (tables and prose)', () => {
		expect(all.length).toBeGreaterThan(40);
		expect(all.map((e) => e.search)).toContain('tag:red-army');
		expect(all.map((e) => e.search)).toContain('deck:"Trotsky and the Red Army"');
	});

	it.each(all.map((e) => [e.search, e] as const))('%s finds what the doc says', (search, e) => {
		const n = count(search);
		if (/none of the built-in/.test(e.says)) {
			expect(n, `${search}: the doc says no built-in card`).toBe(0);
		} else {
			expect(n, `${search} (“${e.says}”) finds no card of the built-in decks`).toBeGreaterThan(0);
		}
	});

	it('tag:none, which no built-in note has, does find a note without tags', () => {
		const card = makeCard({ id: 'x/0', noteId: 'x', deckId: army });
		const note = { ...notes.values().next().value!, id: 'x', tags: [] };
		expect(count('tag:none', [{ card, note }])).toBe(1);
	});
});
