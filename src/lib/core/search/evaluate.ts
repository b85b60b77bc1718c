/**
 * A search tree as a predicate over a card and its note. Everything that depends on the
 * collection or the time (deck titles, presets, the study day, who was rated when) comes in
 * `SearchEnv`, so the same tree gives the same answer in Node tests and in the browser.
 */
import { CardState, Queue, type Card, type Grade, type Note, type Preset } from '../model';
import { LEECH_TAG } from '../scheduling/leech';
import { nextStudyDayStart, startOfStudyDay, studyDayNumber } from '../scheduling/day';
import { retrievability } from '../scheduling/scheduler';
import { searchTerms, type Comparison, type IsState, type PropName, type SearchNode } from './ast';
import { containsRegex, hierarchyRegex, plainText, wholeRegex } from './pattern';
import { searchText, searchTexts } from './search-text';

export { searchText, searchTexts };

export interface DeckName {
	id: string;
	title: string;
}

export interface SearchEnv {
	now: number;
	/** IANA zone for study days. */
	timeZone: string;
	/** When a study day starts (the default preset's): for `added:`, `rated:`, `is:due`, `prop:due`. */
	dayStartHour: number;
	decks: readonly DeckName[];
	/** The preset scheduling a deck's cards (for retrievability's decay). */
	presetFor: (deckId: string) => Preset;
	/** Ids of the cards answered since `from` (ms), with `rating` if given. Filled by storage. */
	ratedSince?: (from: number, rating?: Grade) => ReadonlySet<string>;
}

/**
 * The note's creation time is not in the model yet: notes Recall creates carry `createdAt`;
 * for others the last edit stands in.
 */
export type SearchNote = Note & { createdAt?: number };

/** What searching and the browser's rows read of a note (the browser keeps only this in memory). */
export type NoteForSearch = Pick<
	SearchNote,
	'id' | 'type' | 'fields' | 'tags' | 'mtime' | 'createdAt'
>;

/** The parts of a note a search reads, as a small object of their own. */
export function noteForSearch(note: SearchNote): NoteForSearch {
	const { id, type, fields, tags, mtime, createdAt } = note;
	return createdAt === undefined
		? { id, type, fields, tags, mtime }
		: { id, type, fields, tags, mtime, createdAt };
}

export interface SearchRow {
	card: Card;
	/** Needed when `needsNote(node)`; without it, note terms do not match. */
	note?: NoteForSearch;
	/**
	 * The note's fields as searched (lowercase name → plain text), when known already: from the
	 * search text stored with the note (`searchText`). Words and `field:` read these first.
	 */
	texts?: ReadonlyMap<string, string>;
}

/**
 * Whether a search is decided by the notes' words alone (words and `field:` joined by AND/OR),
 * so it can run over the stored search texts and read only the matching notes' cards. Not with
 * a `-`: that would also find cards whose note is missing.
 */
export function decidedByText(node: SearchNode): boolean {
	switch (node.kind) {
		case 'and':
		case 'or':
			return node.children.length > 0 && node.children.every(decidedByText);
		case 'text':
		case 'field':
			return true;
		default:
			return false;
	}
}

export type CardPredicate = (row: SearchRow) => boolean;

/** Whether evaluating the tree reads the note (fields, tags, creation time). */
export function needsNote(node: SearchNode): boolean {
	return searchTerms(node).some(
		(t) =>
			t.kind === 'text' ||
			t.kind === 'field' ||
			t.kind === 'tag' ||
			t.kind === 'added' ||
			(t.kind === 'is' && t.state === 'leech')
	);
}

/** The first instant of the study day `days - 1` days before today (`days` = 1: today). */
export function daysBackStart(days: number, env: SearchEnv): number {
	const today = studyDayNumber(env.now, env.dayStartHour, env.timeZone);
	return startOfStudyDay(today - (days - 1), env.dayStartHour, env.timeZone);
}

function compare(a: number, op: Comparison, b: number): boolean {
	switch (op) {
		case '<':
			return a < b;
		case '<=':
			return a <= b;
		case '>':
			return a > b;
		case '>=':
			return a >= b;
		case '=':
			return a === b;
		case '!=':
			return a !== b;
	}
}

const hasMemory = (card: Card): boolean =>
	card.state !== CardState.New && card.lastReview !== undefined && card.stability > 0;

/** The value `prop:<name>` compares, or null when the card has none (a new card has no r, s, d). */
function propValue(prop: PropName, card: Card, env: SearchEnv): number | null {
	switch (prop) {
		case 'r':
			return hasMemory(card) ? retrievability(card, env.now, env.presetFor(card.deckId)) : null;
		case 's':
			return hasMemory(card) ? card.stability : null;
		case 'd':
			// Anki shows and searches difficulty on 0–1; FSRS keeps it on 1–10.
			return hasMemory(card) ? (card.difficulty - 1) / 9 : null;
		case 'ivl':
			return card.state === CardState.New ? null : card.scheduledDays;
		case 'due':
			if (card.state === CardState.New) return null;
			return (
				studyDayNumber(card.due, env.dayStartHour, env.timeZone) -
				studyDayNumber(env.now, env.dayStartHour, env.timeZone)
			);
		case 'reps':
			return card.reps;
		case 'lapses':
			return card.lapses;
	}
}

const lower = (s: string) => s.toLowerCase();

function hasTag(row: SearchRow, tag: string): boolean {
	const t = lower(tag);
	return (
		(row.note?.tags.some((x) => lower(x) === t) ?? false) ||
		(row.card.tags?.some((x) => lower(x) === t) ?? false)
	);
}

/** Whether the card sits in today's queue now (Anki's is:due). */
export function isDue(card: Card, env: SearchEnv): boolean {
	if (card.queue === Queue.Learning || card.queue === Queue.Relearning) return card.due <= env.now;
	if (card.queue !== Queue.Review) return false;
	return card.due < nextStudyDayStart(env.now, env.dayStartHour, env.timeZone);
}

/**
 * A note's fields as plain text. The last note's are kept: the cards of a note (reversed, cloze)
 * are read one after the other. (A WeakMap holding every note's texts made the garbage
 * collector's work grow with the collection: a search over 100 000 notes took seconds.)
 */
let lastNote: NoteForSearch | undefined;
let lastTexts = new Map<string, string>();

function fieldTexts(note: NoteForSearch): Map<string, string> {
	if (note !== lastNote) {
		lastTexts = new Map(
			Object.entries(note.fields).map(([k, v]) => [k.toLowerCase(), plainText(v)])
		);
		lastNote = note;
	}
	return lastTexts;
}

export function compileSearch(node: SearchNode, env: SearchEnv): CardPredicate {
	switch (node.kind) {
		case 'all':
			return () => true;
		case 'and': {
			const parts = node.children.map((c) => compileSearch(c, env));
			return (row) => parts.every((p) => p(row));
		}
		case 'or': {
			const parts = node.children.map((c) => compileSearch(c, env));
			return (row) => parts.some((p) => p(row));
		}
		case 'not': {
			const inner = compileSearch(node.child, env);
			return (row) => !inner(row);
		}
		case 'text': {
			const re = containsRegex(node.pattern);
			return ({ note, texts }) => {
				const all = texts ?? (note && fieldTexts(note));
				if (!all) return false;
				for (const t of all.values()) if (re.test(t)) return true;
				return false;
			};
		}
		case 'field': {
			const re = wholeRegex(node.pattern);
			const name = lower(node.field);
			return ({ note, texts }) => {
				const text = (texts ?? (note && fieldTexts(note)))?.get(name);
				return text !== undefined && re.test(text);
			};
		}
		case 'deck': {
			const ids = matchingDeckIds(node.pattern, env.decks);
			return ({ card }) => ids.has(card.deckId);
		}
		case 'tag': {
			if (lower(node.pattern) === 'none') {
				return ({ note }) => !!note && note.tags.length === 0;
			}
			const re = hierarchyRegex(node.pattern);
			return ({ note, card }) =>
				(note?.tags.some((t) => re.test(t)) ?? false) ||
				(card.tags?.some((t) => re.test(t)) ?? false);
		}
		case 'is':
			return isPredicate(node.state, env);
		case 'flag': {
			const { flag } = node;
			return ({ card }) => (card.flag ?? 0) === flag;
		}
		case 'prop': {
			const { prop, op, value } = node;
			return ({ card }) => {
				const v = propValue(prop, card, env);
				return v !== null && compare(v, op, value);
			};
		}
		case 'added': {
			const from = daysBackStart(node.days, env);
			return ({ note }) => !!note && (note.createdAt ?? note.mtime) >= from;
		}
		case 'rated': {
			const ids = env.ratedSince?.(daysBackStart(node.days, env), node.rating) ?? new Set();
			return ({ card }) => ids.has(card.id);
		}
	}
}

function isPredicate(state: IsState, env: SearchEnv): CardPredicate {
	switch (state) {
		case 'new':
			return ({ card }) => card.state === CardState.New;
		case 'learn':
			return ({ card }) => card.state === CardState.Learning || card.state === CardState.Relearning;
		case 'review':
			// As in Anki: review cards, including those relearning after a lapse.
			return ({ card }) => card.state === CardState.Review || card.state === CardState.Relearning;
		case 'due':
			return ({ card }) => isDue(card, env);
		case 'suspended':
			return ({ card }) => card.queue === Queue.Suspended;
		case 'buried':
			return ({ card }) => card.queue === Queue.Buried;
		case 'leech':
			return (row) => hasTag(row, LEECH_TAG);
	}
}

/** Decks whose title matches (with their subdecks): what `deck:` resolves to. */
export function matchingDeckIds(pattern: string, decks: readonly DeckName[]): Set<string> {
	const re = hierarchyRegex(pattern);
	return new Set(decks.filter((d) => re.test(d.title.normalize('NFC'))).map((d) => d.id));
}
