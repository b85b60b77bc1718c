/**
 * The update an existing user gets when the rewritten built-in decks ship: the decks as
 * version 1 published them (testdata/builtin-v1, copied from the release) merged with today's
 * `decks/*.md`. Every note keeps its id and the cards it still makes keep their history; the
 * notes a teacher removed are retired (cards suspended, history kept), never deleted; nothing
 * is renamed, so no progress is lost.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Queue } from '../model';
import { parseMarkdownDeck } from './markdown-deck';
import { cardStubs, noteRecords, planDeckMerge } from './records';

const root = resolve(import.meta.dirname, '../../../..');
const NOW = Date.UTC(2026, 11, 6, 12);

function load(path: string, file: string) {
	return parseMarkdownDeck(readFileSync(path, 'utf8'), file);
}

/** Notes removed in version 2, by deck: each one a card a teacher judged bad or duplicated. */
const RETIRED: Record<string, string[]> = {
	'trotsky-red-army': [
		'civil-war-outcome',
		'expulsion-sequence',
		'permanent-revolution-doom',
		'assassination',
		'manuscript',
		'fought-off',
		'less-murderous'
	],
	'trotsky-assassination': []
};

describe.each(Object.keys(RETIRED))('updating %s from version 1', (id) => {
	const v1 = load(join(import.meta.dirname, 'testdata/builtin-v1', `${id}.md`), `v1/${id}.md`);
	const v2 = load(join(root, 'decks', `${id}.md`), `decks/${id}.md`);
	const oldNotes = noteRecords(v1, NOW - 30 * 86_400_000);
	// Every card has been studied: the plan must not lose any of them.
	const oldCards = oldNotes
		.flatMap(cardStubs)
		.map((s) => ({ id: s.id, noteId: s.noteId, queue: Queue.Review as Queue }));
	const plan = planDeckMerge(oldNotes, oldCards, noteRecords(v2, NOW), NOW);

	it('raises the deck version', () => {
		expect(v2.version).toBeGreaterThan(v1.version);
	});

	it('keeps every note id but the retired ones, and retires exactly those', () => {
		const kept = new Set(v2.notes.map((n) => n.id));
		const gone = v1.notes.map((n) => n.id).filter((n) => !kept.has(n));
		expect(gone.sort()).toEqual([...RETIRED[id]!].sort());
		expect(plan.counts.retired).toBe(RETIRED[id]!.length);
		const retiredNotes = plan.putNotes.filter((n) => n.retired).map((n) => n.id);
		expect(retiredNotes.sort()).toEqual(RETIRED[id]!.map((n) => `${id}/${n}`).sort());
	});

	it('adds no card for a kept note and keeps the cards it still makes', () => {
		const v1Ids = new Set(v1.notes.map((n) => `${id}/${n.id}`));
		const forOldNotes = plan.addCards.filter((c) => v1Ids.has(c.noteId));
		expect(forOldNotes.map((c) => c.id)).toEqual([]);
		const retiredCards = new Set(plan.retireCardIds);
		const wanted = noteRecords(v2, NOW).flatMap(cardStubs);
		for (const card of wanted) {
			if (v1Ids.has(card.noteId)) expect(retiredCards.has(card.id), card.id).toBe(false);
		}
	});

	it('retires only the cards whose note or cloze number left the deck', () => {
		const wanted = new Set(
			noteRecords(v2, NOW)
				.flatMap(cardStubs)
				.map((c) => c.id)
		);
		const expected = oldCards.map((c) => c.id).filter((c) => !wanted.has(c));
		expect([...plan.retireCardIds].sort()).toEqual(expected.sort());
	});
});
