import { describe, expect, it } from 'vitest';
import { Queue } from '../model';
import { recallDeck, deckNote } from '../testing/factories';
import type { RecallClozeNote } from './recall-deck';
import { cardStubs, noteOrdinals, noteRecords, planDeckMerge } from './records';

const NOW = Date.UTC(2026, 10, 23, 12);

function cardsOf(notes: ReturnType<typeof noteRecords>) {
	return notes
		.flatMap(cardStubs)
		.map((s) => ({ id: s.id, noteId: s.noteId, queue: Queue.New as Queue }));
}

describe('cards of a note', () => {
	it('makes one card for basic, two for reversed, one per cloze number', () => {
		expect(noteOrdinals({ type: 'basic', fields: {} })).toEqual([0]);
		expect(noteOrdinals({ type: 'reversed', fields: {} })).toEqual([0, 1]);
		expect(
			noteOrdinals({ type: 'cloze', fields: { text: '{{c2::a}} {{c1::b}} {{c2::c}} {{c10::d}}' } })
		).toEqual([0, 1, 9]);
	});
});

describe('merging a new version of a built-in deck', () => {
	const a = deckNote({ id: 'a' });
	const b = deckNote({ id: 'b', type: 'reversed' });
	const c = deckNote({ id: 'c', type: 'cloze', text: '{{c1::x}}' });
	const v1 = noteRecords(recallDeck({ id: 'd', notes: [a, b, c] }), NOW - 1000);

	it('adds every note and card on first run', () => {
		const plan = planDeckMerge([], [], v1, NOW);
		expect(plan.counts).toEqual({ added: 3, updated: 0, retired: 0, unchanged: 0 });
		expect(plan.addCards.map((s) => s.id)).toEqual(['d/a/0', 'd/b/0', 'd/b/1', 'd/c/0']);
	});

	it('changes nothing when the deck is the same', () => {
		const plan = planDeckMerge(
			v1,
			cardsOf(v1),
			noteRecords(recallDeck({ id: 'd', notes: [a, b, c] }), NOW),
			NOW
		);
		expect(plan.counts).toEqual({ added: 0, updated: 0, retired: 0, unchanged: 3 });
		expect(plan.putNotes).toEqual([]);
		expect(plan.addCards).toEqual([]);
	});

	it('adds new notes, updates edited notes in place and retires removed ones', () => {
		const edited = { ...a, back: 'a better answer' };
		const cloze2 = { ...c, text: '{{c1::x}} {{c2::y}}' };
		const d = deckNote({ id: 'new-one' });
		const v2 = noteRecords(recallDeck({ id: 'd', notes: [edited, cloze2, d] }), NOW);
		const plan = planDeckMerge(v1, cardsOf(v1), v2, NOW);
		expect(plan.counts).toEqual({ added: 1, updated: 2, retired: 1, unchanged: 0 });
		// Edited notes keep their ids, so their cards (and history) stay.
		expect(plan.putNotes.find((n) => n.id === 'd/a')?.fields.back).toBe('a better answer');
		expect(plan.addCards.map((s) => s.id)).toEqual(['d/c/1', 'd/new-one/0']);
		expect(plan.retireCardIds.sort()).toEqual(['d/b/0', 'd/b/1']);
		expect(plan.putNotes.find((n) => n.id === 'd/b')).toMatchObject({ retired: true });
	});

	it('brings a retired note back with its cards', () => {
		const retired = v1.map((n) => (n.id === 'd/b' ? { ...n, retired: true } : n));
		const plan = planDeckMerge(
			retired,
			cardsOf(v1),
			noteRecords(recallDeck({ id: 'd', notes: [a, b, c] }), NOW),
			NOW
		);
		expect(plan.counts.updated).toBe(1);
		expect(plan.restoreCardIds.sort()).toEqual(['d/b/0', 'd/b/1']);
		expect(plan.putNotes.find((n) => n.id === 'd/b')?.retired).toBeUndefined();
	});

	it('keeps the cards of a note that gains extra, a reverse prompt, or loses a cloze number', () => {
		const withExtra = { ...a, extra: 'context' };
		const withPrompt = { ...b, reversePrompt: 'What is this?' };
		const fewer: RecallClozeNote = {
			id: 'e',
			type: 'cloze',
			text: '{{c1::x}} {{c2::y}} {{c3::z}}'
		};
		const before = noteRecords(recallDeck({ id: 'd', notes: [a, b, fewer] }), NOW - 1000);
		// Only c2 is left: it keeps its number, so card 1 keeps its progress; 0 and 2 retire.
		const after = noteRecords(
			recallDeck({
				id: 'd',
				notes: [withExtra, withPrompt, { ...fewer, text: 'x {{c2::y}} z' }]
			}),
			NOW
		);
		expect(after.find((n) => n.id === 'd/a')?.fields).toMatchObject({ extra: 'context' });
		expect(after.find((n) => n.id === 'd/b')?.fields).toMatchObject({
			reversePrompt: 'What is this?'
		});
		const plan = planDeckMerge(before, cardsOf(before), after, NOW);
		expect(plan.counts).toEqual({ added: 0, updated: 3, retired: 0, unchanged: 0 });
		expect(plan.addCards).toEqual([]);
		expect(plan.retireCardIds.sort()).toEqual(['d/e/0', 'd/e/2']);
	});

	it('leaves a note without the new fields unchanged (no needless rewrite on update)', () => {
		const plan = planDeckMerge(
			v1,
			cardsOf(v1),
			noteRecords(recallDeck({ id: 'd', notes: [a, b, c] }), NOW),
			NOW
		);
		expect(plan.counts.unchanged).toBe(3);
		expect(v1.every((n) => !('extra' in n.fields) && !('reversePrompt' in n.fields))).toBe(true);
	});
});
