/** Small factories for test data: each returns a valid object, overrides adjust what a test needs. */
import type { RecallDeck, RecallDeckNote } from '../decks/recall-deck';
import type { Note } from '../model';

let seq = 0;

export function deckNote(overrides: Partial<RecallDeckNote> = {}): RecallDeckNote {
	seq++;
	const base =
		overrides.type === 'cloze'
			? { id: `note-${seq}`, type: 'cloze', text: `Fact {{c1::${seq}}}`, tags: ['test'] }
			: {
					id: `note-${seq}`,
					type: 'basic',
					front: `Question ${seq}?`,
					back: `Answer ${seq}`,
					tags: ['test']
				};
	return { ...base, ...overrides } as RecallDeckNote;
}

export function recallDeck(overrides: Partial<RecallDeck> = {}): RecallDeck {
	return {
		format: 'recall-deck',
		version: 1,
		id: 'test-deck',
		title: 'Test deck',
		description: 'A deck made by a factory.',
		notes: [
			deckNote(),
			deckNote({ type: 'reversed' }),
			deckNote({ type: 'cloze', text: 'A {{c1::b}} {{c2::c::hint}}' })
		],
		...overrides
	};
}

export function note(overrides: Partial<Note> = {}): Note {
	seq++;
	return {
		id: `deck/n${seq}`,
		deckId: 'deck',
		guid: `deck/n${seq}`,
		type: 'basic',
		fields: { front: `Q${seq}`, back: `A${seq}` },
		tags: [],
		position: seq,
		mtime: 0,
		...overrides
	};
}
