import { BASIC, CLOZE, DECK, type CollectionSpec, type DeckSpec } from './anki-fixtures';

/**
 * One small collection that exercises every mapping rule: a studied card with history and
 * Anki FSRS memory, a learning card, new cards, a suspended, a buried and a borrowed card.
 */
export const NOW = Date.UTC(2025, 0, 15, 12);
export const CRT = 1_700_000_000;
export const DAY = 86_400_000;
export const FILTERED: DeckSpec = { id: 1_700_000_000_200, name: 'Cram', filtered: true };

export const NID = { haus: 1_700_000_001_000, hund: 1_700_000_002_000, katze: 1_700_000_003_000 };
export const NID2 = { baum: 1_700_000_004_000, weg: 1_700_000_005_000 };
export const CID = { haus: 11, hundC1: 21, hundC2: 22, katze: 31, baum: 41, weg: 51 };

/** Review history of the "Haus" card, oldest first. */
export const T0 = Date.UTC(2024, 11, 1, 9);
export const HISTORY = [
	{ id: T0, cid: CID.haus, ease: 3, ivl: -600, type: 0, time: 8000 },
	{ id: T0 + 10 * 60_000, cid: CID.haus, ease: 3, ivl: 1, type: 0, time: 6000 },
	{ id: T0 + DAY + 3_600_000, cid: CID.haus, ease: 1, ivl: -600, type: 1, time: 20_000 },
	{ id: T0 + DAY + 4_200_000, cid: CID.haus, ease: 3, ivl: 2, type: 2, time: 7000 },
	{ id: T0 + 4 * DAY, cid: CID.haus, ease: 4, ivl: 12, type: 1, time: 3000 },
	{ id: T0 + 5 * DAY, cid: CID.haus, ease: 0, ivl: 15, type: 4, time: 0 }
];
/** A review of a card deleted in Anki: its card is not in the package. */
export const ORPHAN = { id: T0 + 2 * DAY, cid: 999, ease: 3, ivl: 4, type: 1 };

export function scenario(schema: number): CollectionSpec {
	return {
		schema,
		crt: CRT,
		notetypes: [BASIC, CLOZE],
		decks: [DECK, FILTERED],
		notes: [
			{
				id: NID.haus,
				mid: BASIC.id,
				fields: ['Haus', 'house'],
				tags: ' noun german ',
				guid: 'g-haus'
			},
			{ id: NID.hund, mid: CLOZE.id, fields: ['Der {{c1::Hund}} bellt {{c2::laut}}.', 'dog'] },
			{ id: NID.katze, mid: BASIC.id, fields: ['Katze', 'cat'] },
			{ id: NID2.baum, mid: BASIC.id, fields: ['Baum', 'tree'] },
			{ id: NID2.weg, mid: BASIC.id, fields: ['Weg', 'way'] }
		],
		cards: [
			{
				...{ id: CID.haus, nid: NID.haus, did: DECK.id, type: 2, queue: 2, due: 400, ivl: 12 },
				...{ reps: 5, lapses: 1, data: '{"s":12.5,"d":5.25,"dr":0.9}' }
			},
			{
				id: CID.hundC1,
				nid: NID.hund,
				did: DECK.id,
				type: 1,
				queue: 1,
				due: 1_736_900_000,
				reps: 1
			},
			{ id: CID.hundC2, nid: NID.hund, did: DECK.id, ord: 1, type: 0, queue: 0, due: 7 },
			{
				id: CID.katze,
				nid: NID.katze,
				did: DECK.id,
				type: 2,
				queue: -1,
				due: 380,
				ivl: 30,
				reps: 3
			},
			{ id: CID.baum, nid: NID2.baum, did: DECK.id, type: 0, queue: -3, due: 3 },
			{
				...{ id: CID.weg, nid: NID2.weg, did: FILTERED.id, odid: DECK.id, type: 2, queue: 2 },
				...{ due: 999, odue: 410, ivl: 5, reps: 2 }
			}
		],
		revlog: [...HISTORY, ORPHAN]
	};
}
