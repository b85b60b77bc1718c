import { describe, expect, it } from 'vitest';
import { CardState, Queue } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import { DAY, makeCard, makeReviewCard } from '../scheduling/test-factories';
import { note } from '../testing/factories';
import {
	answerText,
	browseRow,
	questionText,
	sortRows,
	type BrowseRow,
	type SortColumn
} from './results';

const NOW = Date.UTC(2026, 10, 23, 12);
const preset = createDefaultPreset();

describe('questionText', () => {
	it('shows the side a card asks, as plain text', () => {
		const basic = note({
			type: 'basic',
			fields: { front: 'Who built the **Red Army**?', back: 'x' }
		});
		expect(questionText(basic, { ord: 0 })).toBe('Who built the Red Army?');
		const reversed = note({ type: 'reversed', fields: { front: 'dog', back: '<i>chien</i>' } });
		expect(questionText(reversed, { ord: 1 })).toBe('chien');
		const cued = note({
			type: 'reversed',
			fields: {
				front: 'Assassin of Trotsky',
				back: 'Ramón Mercader',
				reversePrompt: 'Who was **Ramón Mercader**?'
			}
		});
		expect(questionText(cued, { ord: 1 })).toBe('Who was Ramón Mercader?');
		expect(questionText(cued, { ord: 0 })).toBe('Assassin of Trotsky');
	});

	it('hides the cloze the card asks and shows the others', () => {
		const cloze = note({ type: 'cloze', fields: { text: '{{c1::Lev}} {{c2::Bronstein}}' } });
		expect(questionText(cloze, { ord: 0 })).toBe('[...] Bronstein');
		expect(questionText(cloze, { ord: 1 })).toBe('Lev [...]');
	});

	it('names images and shortens long text', () => {
		const image = note({ fields: { front: '<img src="img-1.png"> What is this?', back: '' } });
		expect(questionText(image, { ord: 0 })).toBe('[image] What is this?');
		const long = note({ fields: { front: 'word '.repeat(100), back: '' } });
		expect(questionText(long, { ord: 0 })).toHaveLength(160);
		expect(questionText(long, { ord: 0 }).endsWith('…')).toBe(true);
	});
});

describe('answerText', () => {
	it('shows the side a card answers, as plain text, shortened', () => {
		const basic = note({ type: 'basic', fields: { front: 'Who?', back: '**Leon** Trotsky' } });
		expect(answerText(basic, { ord: 0 })).toBe('Leon Trotsky');
		const reversed = note({ type: 'reversed', fields: { front: 'dog', back: '<i>chien</i>' } });
		expect(answerText(reversed, { ord: 0 })).toBe('chien');
		expect(answerText(reversed, { ord: 1 })).toBe('dog');
		const long = note({ fields: { front: 'q', back: 'word '.repeat(100) } });
		expect(answerText(long, { ord: 0 })).toHaveLength(80);
	});

	it("gives a cloze card's own blanks, without their hints", () => {
		const cloze = note({
			type: 'cloze',
			fields: { text: '{{c1::Lev}} {{c2::Bronstein::surname}} {{c1::Davidovich}}' }
		});
		expect(answerText(cloze, { ord: 0 })).toBe('Lev, Davidovich');
		expect(answerText(cloze, { ord: 1 })).toBe('Bronstein');
	});
});

describe('browseRow', () => {
	it('has what the columns show', () => {
		const card = makeReviewCard(
			{ id: 'n/0', noteId: 'n', deckId: 'd', stability: 10, scheduledDays: 9 },
			10
		);
		const r = browseRow(
			card,
			note({ tags: ['a', 'b'] }),
			'Deck',
			preset,
			card.lastReview! + 10 * DAY
		);
		expect(r).toMatchObject({ cardId: 'n/0', deck: 'Deck', interval: 9, tags: ['a', 'b'] });
		expect(r.retrievability).toBeCloseTo(0.9, 3);
		expect(browseRow(makeCard(), undefined, 'Deck', preset, NOW).retrievability).toBeNull();
	});
});

function fake(id: string, overrides: Partial<BrowseRow>): BrowseRow {
	return {
		cardId: id,
		noteId: id,
		deckId: 'd',
		front: id,
		answerSource: '',
		cloze: 0,
		deck: 'Deck',
		state: CardState.Review,
		queue: Queue.Review,
		due: NOW,
		interval: 1,
		retrievability: 0.5,
		tags: [],
		...overrides
	};
}

describe('sortRows', () => {
	const rows = [
		fake('a', { front: 'banana', due: NOW + DAY, interval: 3, retrievability: 0.8, tags: ['z'] }),
		fake('b', { front: 'Apple', due: NOW, interval: 10, retrievability: null, tags: ['a'] }),
		fake('c', {
			front: 'cherry 10',
			state: CardState.New,
			queue: Queue.New,
			due: 5,
			retrievability: null
		}),
		fake('d', { front: 'cherry 9', due: NOW - DAY, interval: 3, retrievability: 0.7 })
	];
	const ids = (column: SortColumn, descending = false) =>
		sortRows(rows, { column, descending }).map((r) => r.cardId);

	it('sorts text ignoring case, numbers by value', () => {
		expect(ids('front')).toEqual(['b', 'a', 'd', 'c']);
		expect(ids('front', true)).toEqual(['c', 'd', 'a', 'b']);
	});

	it('sorts new cards after every studied card by due', () => {
		expect(ids('due')).toEqual(['d', 'b', 'a', 'c']);
	});

	it('orders new cards by position exactly, however large the ids make the tie-break', () => {
		const fresh = (id: string, due: number) =>
			fake(id, { state: CardState.New, queue: Queue.New, due, retrievability: null });
		// Positions 4 and 5: "MAX_SAFE_INTEGER + position" would round both to the same number.
		const order = sortRows([fresh('a', 5), fresh('b', 4), fake('c', {})], {
			column: 'due',
			descending: false
		}).map((r) => r.cardId);
		expect(order).toEqual(['c', 'b', 'a']);
		const reversed = sortRows([fresh('a', 5), fresh('b', 4), fresh('c', 4), fake('d', {})], {
			column: 'due',
			descending: true
		}).map((r) => r.cardId);
		// Descending flips the column, not the tie-break by id.
		expect(reversed).toEqual(['a', 'b', 'c', 'd']);
	});

	it('keeps cards without retrievability last in both directions', () => {
		expect(ids('retrievability')).toEqual(['d', 'a', 'b', 'c']);
		expect(ids('retrievability', true)).toEqual(['a', 'd', 'b', 'c']);
	});

	it('breaks ties by card id', () => {
		expect(ids('interval')).toEqual(['c', 'a', 'd', 'b']);
		expect(ids('tags')).toEqual(['c', 'd', 'b', 'a']);
	});

	it('does not change its input', () => {
		sortRows(rows, { column: 'front', descending: false });
		expect(rows.map((r) => r.cardId)).toEqual(['a', 'b', 'c', 'd']);
	});
});
