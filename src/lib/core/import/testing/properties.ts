import { DeckFormatError } from '../../decks/errors';
import { CardState, Queue } from '../../model';
import { createDefaultPreset } from '../../scheduling/preset';
import { ImportError, type ImportBundle } from '../bundle';
import { replayImportedMemory } from '../memory';

/**
 * The properties the importer fuzz tests check (`../fuzz.test.ts`, and the worker's dispatcher
 * in `workers/import-formats.test.ts`): what a well-formed bundle is, and what a refusal in
 * words is. Each returns the problems found, empty when there are none.
 */

const PRESET = createDefaultPreset();

/** A refusal must be the importer's own error, in words, naming the file and short enough to read. */
export function errorProblem(error: unknown, file: string): string[] {
	if (!(error instanceof ImportError) && !(error instanceof DeckFormatError)) {
		const e = error as Error;
		return [`leaked ${e?.name ?? typeof error}: ${String(e?.message ?? error).slice(0, 200)}`];
	}
	const problems: string[] = [];
	if (!error.message.startsWith(file)) problems.push(`message does not name the file`);
	if (!/[a-z]{3,}/i.test(error.reason)) problems.push(`message has no words: ${error.message}`);
	if (error.message.length > file.length + 400) {
		problems.push(`message of ${error.message.length} characters: ${error.message.slice(0, 500)}`);
	}
	return problems;
}

/** Dates the app formats and does day arithmetic on: ±8.64e15 is all a Date can hold. */
const isTime = (t: unknown) => typeof t === 'number' && Number.isFinite(t) && Math.abs(t) < 8e15;
const CARD_STATES = new Set<number>(Object.values(CardState));
const QUEUES = new Set<number>(Object.values(Queue));
const NOTE_TYPES = new Set(['basic', 'reversed', 'cloze', 'anki']);

export function duplicates(values: string[]): string[] {
	const seen = new Set<string>();
	return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

export function nonFinite(rows: object[], table: string): string[] {
	for (const row of rows) {
		for (const [key, value] of Object.entries(row)) {
			if (typeof value === 'number' && !Number.isFinite(value))
				return [`${table}.${key} = ${value}`];
		}
	}
	return [];
}

export function bundleProblems(
	bundle: ImportBundle,
	expect: { everyNoteHasCard: boolean }
): string[] {
	const problems: string[] = [];
	const deckIds = new Set(bundle.decks.map((d) => d.id));
	const noteIds = new Set(bundle.notes.map((n) => n.id));
	const cardIds = new Set(bundle.cards.map((c) => c.id));
	const modelIds = new Set(bundle.models.map((m) => m.id));
	for (const [table, ids] of [
		['decks', bundle.decks.map((d) => d.id)],
		['models', bundle.models.map((m) => m.id)],
		['notes', bundle.notes.map((n) => n.id)],
		['cards', bundle.cards.map((c) => c.id)],
		['media', bundle.media.map((m) => m.name)]
	] as const) {
		const repeated = duplicates(ids);
		if (repeated.length > 0)
			problems.push(`${table} repeat ids ${repeated.slice(0, 3).join(', ')}`);
		if (ids.some((id) => typeof id !== 'string' || id === '')) problems.push(`${table}: empty id`);
	}
	problems.push(
		...nonFinite(bundle.decks, 'decks'),
		...nonFinite(bundle.notes, 'notes'),
		...nonFinite(bundle.cards, 'cards'),
		...nonFinite(bundle.revlog, 'revlog')
	);
	const withCards = new Set(bundle.cards.map((c) => c.noteId));
	for (const note of bundle.notes) {
		if (!deckIds.has(note.deckId)) problems.push(`note ${note.id}: its deck is missing`);
		if (!NOTE_TYPES.has(note.type)) problems.push(`note ${note.id}: type ${note.type}`);
		if (note.type === 'anki' && !modelIds.has(note.modelId ?? '')) {
			problems.push(`note ${note.id}: its note type is missing`);
		}
		if (Object.values(note.fields).some((v) => typeof v !== 'string')) {
			problems.push(`note ${note.id}: a field is not text`);
		}
		if (!note.tags.every((t) => typeof t === 'string')) problems.push(`note ${note.id}: tags`);
		if (!isTime(note.mtime)) problems.push(`note ${note.id}: mtime ${note.mtime}`);
		if (expect.everyNoteHasCard && !withCards.has(note.id)) {
			problems.push(`note ${note.id} has no card`);
		}
	}
	for (const card of bundle.cards) {
		if (!noteIds.has(card.noteId)) problems.push(`card ${card.id}: its note is missing`);
		if (!deckIds.has(card.deckId)) problems.push(`card ${card.id}: its deck is missing`);
		if (!CARD_STATES.has(card.state) || !QUEUES.has(card.queue)) {
			problems.push(`card ${card.id}: state ${card.state}, queue ${card.queue}`);
		}
		const times = [card.lastReview, card.buriedUntil, card.state === 0 ? 0 : card.due];
		if (!times.every((t) => t === undefined || isTime(t))) {
			problems.push(`card ${card.id}: due ${card.due}, last review ${card.lastReview}`);
		}
	}
	for (const row of bundle.revlog) {
		if (!cardIds.has(row.cardId)) problems.push(`review of ${row.cardId}: its card is missing`);
		if (!isTime(row.reviewedAt) || !isTime(row.due)) {
			problems.push(`review of ${row.cardId}: at ${row.reviewedAt}, due ${row.due}`);
		}
		if (![0, 1, 2, 3, 4].includes(row.rating) || !CARD_STATES.has(row.state)) {
			problems.push(`review of ${row.cardId}: rating ${row.rating}, state ${row.state}`);
		}
	}
	if (!bundle.cardsToReplay.every((id) => cardIds.has(id))) problems.push('cardsToReplay: unknown');
	for (const media of bundle.media) {
		if (!(media.data instanceof Uint8Array)) problems.push(`media ${media.name}: no bytes`);
	}
	return problems.slice(0, 5);
}

/** What the import worker does next with a bundle: rebuild memory state from its history. */
export function replayProblems(bundle: ImportBundle): string[] {
	try {
		const replayed = replayImportedMemory(bundle, PRESET, { timeZone: 'UTC' });
		return [
			...nonFinite(replayed.cards, 'replayed cards'),
			...nonFinite(replayed.revlog, 'replayed revlog')
		];
	} catch (error) {
		return [`memory replay threw ${(error as Error).name}: ${(error as Error).message}`];
	}
}
