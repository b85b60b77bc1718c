/**
 * The browser's rows: one small object per matching card, with what its columns show and sort
 * by, so 100 000 of them sort in memory and render only when scrolled into view.
 */
import { CardState, type Card, type Note, type Preset, type Queue } from '../model';
import { renderCloze } from '../render/cloze';
import { retrievability } from '../scheduling/scheduler';
import { plainText } from './pattern';

export interface BrowseRow {
	cardId: string;
	noteId: string;
	deckId: string;
	/** The question as plain text (shortened). */
	front: string;
	/**
	 * The answer as the note stores it (the field itself, not a copy): `answerPreview` makes the
	 * phone's second line of it for the rows on screen only, so 100 000 rows cost nothing more.
	 */
	answerSource: string;
	/** For a cloze card, the number of its cloze (c1 = 1); 0 for other cards. */
	cloze: number;
	deck: string;
	state: CardState;
	queue: Queue;
	/** ms; for new cards their introduction position. */
	due: number;
	/** Days (0 for new and learning cards). */
	interval: number;
	/** 0–1 now; null for a card never studied. */
	retrievability: number | null;
	tags: string[];
}

export const SORT_COLUMNS = ['front', 'deck', 'due', 'interval', 'retrievability', 'tags'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface SortOrder {
	column: SortColumn;
	descending: boolean;
}

const MAX_FRONT = 160;
const MAX_BACK = 80;

/** Markdown marks that would only clutter a one-line preview. */
function tidy(text: string): string {
	return text
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '[image]')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\*\*|__|`+|^#+\s*/gm, '');
}

/**
 * The question side as plain text, without rendering Markdown (too slow for 100 000 cards):
 * the field the card asks, its cloze hidden.
 */
export function questionText(note: Pick<Note, 'type' | 'fields'>, card: Pick<Card, 'ord'>): string {
	const f = note.fields;
	let html: string;
	switch (note.type) {
		case 'basic':
			html = f.front ?? '';
			break;
		case 'reversed':
			// The back → front card asks its reverse prompt when the note has one (as it is studied).
			html =
				(card.ord === 1 ? (f.reversePrompt?.trim() ? f.reversePrompt : f.back) : f.front) ?? '';
			break;
		case 'cloze':
			html = renderCloze(f.text ?? '', card.ord + 1, 'front');
			break;
		default:
			html = Object.values(f)[0] ?? '';
	}
	const text = plainText(tidy(html.replace(/<img\b[^>]*>/gi, ' [image] ')));
	return text.length > MAX_FRONT ? `${text.slice(0, MAX_FRONT - 1)}…` : text;
}

const CLOZE = /\{\{c(\d+)::([\s\S]*?)(?:::[\s\S]*?)?\}\}/g;

/** Where a card's answer is: the field it shows on the back, and its cloze number if any. */
function answerOf(
	note: Pick<Note, 'type' | 'fields'>,
	card: Pick<Card, 'ord'>
): { source: string; cloze: number } {
	const f = note.fields;
	switch (note.type) {
		case 'basic':
			return { source: f.back ?? '', cloze: 0 };
		case 'reversed':
			return { source: (card.ord === 1 ? f.front : f.back) ?? '', cloze: 0 };
		case 'cloze':
			return { source: f.text ?? '', cloze: card.ord + 1 };
		default:
			return { source: Object.values(f)[1] ?? '', cloze: 0 };
	}
}

/** The answer as short plain text: the field, or a cloze card's own blanks (without hints). */
export function answerPreview(source: string, cloze: number): string {
	let html = source;
	if (cloze > 0) {
		const ord = String(cloze);
		const blanks: string[] = [];
		for (const m of source.matchAll(CLOZE)) if (m[1] === ord) blanks.push(m[2] ?? '');
		html = blanks.join(', ');
	}
	if (!html) return '';
	const text = plainText(tidy(html.replace(/<img\b[^>]*>/gi, ' [image] ')));
	return text.length > MAX_BACK ? `${text.slice(0, MAX_BACK - 1)}…` : text;
}

/** The answer side as short plain text: the back, the reverse's front, a cloze's blanks. */
export function answerText(note: Pick<Note, 'type' | 'fields'>, card: Pick<Card, 'ord'>): string {
	const { source, cloze } = answerOf(note, card);
	return answerPreview(source, cloze);
}

export function browseRow(
	card: Card,
	note: Pick<Note, 'type' | 'fields' | 'tags'> | undefined,
	deckTitle: string,
	preset: Preset,
	now: number
): BrowseRow {
	const studied =
		card.state !== CardState.New && card.lastReview !== undefined && card.stability > 0;
	const answer = note ? answerOf(note, card) : { source: '', cloze: 0 };
	return {
		cardId: card.id,
		noteId: card.noteId,
		deckId: card.deckId,
		front: note ? questionText(note, card) : '',
		answerSource: answer.source,
		cloze: answer.cloze,
		deck: deckTitle,
		state: card.state,
		queue: card.queue,
		due: card.due,
		interval: card.scheduledDays,
		retrievability: studied ? retrievability(card, now, preset) : null,
		tags: note?.tags ?? card.tags ?? []
	};
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** How the browser compares text columns (any case, numbers by value): deck titles too. */
export const compareText = (a: string, b: string): number => collator.compare(a, b);

const isNew = (r: BrowseRow) => (r.state === CardState.New ? 1 : 0);

function keyed(column: SortColumn): (a: BrowseRow, b: BrowseRow) => number {
	switch (column) {
		case 'front':
			return (a, b) => collator.compare(a.front, b.front);
		case 'deck':
			return (a, b) => compareText(a.deck, b.deck);
		case 'tags':
			return (a, b) => collator.compare(a.tags.join(' '), b.tags.join(' '));
		case 'due':
			// New cards have positions, not times, in `due`: they sort after every studied card.
			// (Compared apart: adding a position to MAX_SAFE_INTEGER would round it.)
			return (a, b) => isNew(a) - isNew(b) || a.due - b.due;
		case 'interval':
			return (a, b) => a.interval - b.interval;
		case 'retrievability':
			// Never-studied cards have no retrievability: they go last either way.
			return (a, b) => (a.retrievability ?? 2) - (b.retrievability ?? 2);
	}
}

/** Ties between rows are broken by card id, ascending in both directions (IndexedDB's order). */
export const byCardId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The browser's row order as a comparator: the column, then the card id. */
export function compareRows(order: SortOrder): (a: BrowseRow, b: BrowseRow) => number {
	const compare = keyed(order.column);
	const sign = order.descending ? -1 : 1;
	const missingLast = order.column === 'retrievability';
	return (a, b) => {
		if (missingLast && (a.retrievability === null) !== (b.retrievability === null)) {
			return a.retrievability === null ? 1 : -1;
		}
		return sign * compare(a, b) || byCardId(a.cardId, b.cardId);
	};
}

/** A sorted copy; ties keep a stable order by card id. */
export function sortRows(rows: readonly BrowseRow[], order: SortOrder): BrowseRow[] {
	return [...rows].sort(compareRows(order));
}
