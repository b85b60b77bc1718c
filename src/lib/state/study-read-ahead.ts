/**
 * The study session's read-ahead cache: what showing a card needs besides the card (its note,
 * model, own deck's preset, siblings and pictures), read for the next few cards while the
 * current one is on screen, so an answer can show the next card at once.
 */
import type { Card, Note, NoteModel, Preset } from '$lib/core/model';
import type { SessionQueue } from '$lib/core/scheduling/session-queue';
import type { FoundQueue } from '$lib/core/scheduling/found-queue';
import type { RecallDb } from '$lib/storage/db';
import { readCardContext, readDeckPreset } from '$lib/storage/study-repo';
import type { MediaUrls } from './media-urls.svelte';

/** What the session asks of its queue in memory, whichever the source. */
export type StudyQueue = SessionQueue | FoundQueue;

/** What showing a card needs besides the card: read ahead for the next few cards. */
export interface Prepared {
	note: Note | null;
	model: NoteModel | null;
	/** The card's own deck's preset: it is graded with it. */
	preset: Preset;
	/** The note's other cards, for load balancing (null when it is off). */
	siblings: Card[] | null;
	/** The card as stored when it was read: another tab may have answered or suspended it. */
	stored: Card | undefined;
}

/** How many of the next cards are read ahead while the current one is on screen. */
const READ_AHEAD = 3;
/** Learning cards due within this long are read ahead too: they come first once they are due. */
const READ_AHEAD_SOON_MS = 10 * 60_000;

/** The card changed in the store since the queue read it (its `rev` moved, or it is gone). */
export const changed = (card: Card, { stored }: Prepared): boolean => stored?.rev !== card.rev;

interface Entry {
	noteId: string;
	read: Promise<Prepared>;
	value?: Prepared;
}

export class ReadAhead {
	/** By card id. */
	readonly #entries = new Map<string, Entry>();
	/** Presets by deck id, read with the cards' notes. */
	readonly #presets = new Map<string, Promise<Preset>>();
	readonly #db: RecallDb;
	readonly #media: MediaUrls;

	constructor(db: RecallDb, media: MediaUrls) {
		this.#db = db;
		this.#media = media;
	}

	/** What `card` needs, if it has been read already. */
	ready(cardId: string): Prepared | undefined {
		return this.#entries.get(cardId)?.value;
	}

	/** The note, model, siblings and pictures `card` needs, read once (ahead, ideally). */
	prepare(card: Card): Promise<Prepared> {
		const known = this.#entries.get(card.id);
		if (known) return known.read;
		const read = this.#read(card);
		const entry: Entry = { noteId: card.noteId, read };
		this.#entries.set(card.id, entry);
		void read.then(
			(value) => (entry.value = value),
			() => {}
		);
		// A failed read is not kept: showing the card reads it again and reports the error.
		read.catch(() => {
			if (this.#entries.get(card.id) === entry) this.#entries.delete(card.id);
		});
		return read;
	}

	/** `card` is on screen: its entry goes, and the next cards of `queue` are read. */
	shown(card: Card, queue: StudyQueue | null, now: number): void {
		this.#entries.delete(card.id);
		if (!queue) return;
		// The next cards now, and the learning cards that fall due meanwhile and go first then.
		const upcoming = [
			...queue.upcoming(now, READ_AHEAD + 1),
			...queue.upcoming(now + READ_AHEAD_SOON_MS, READ_AHEAD)
		];
		for (const next of upcoming) {
			if (next.id !== card.id) void this.prepare(next).catch(() => {});
		}
	}

	/** The note's cards changed (an answer): read its cards afresh. */
	forgetNote(noteId: string): void {
		for (const [id, entry] of this.#entries) if (entry.noteId === noteId) this.#entries.delete(id);
	}

	/** The queue was read again: so is everything, presets too (they may have been edited). */
	clear(): void {
		this.#entries.clear();
		this.#presets.clear();
	}

	async #read(card: Card): Promise<Prepared> {
		// The note's cards: the siblings for load balancing, and this card as stored now.
		const [{ note, model, cards }, preset] = await Promise.all([
			readCardContext(this.#db, card),
			this.#presetOf(card.deckId)
		]);
		const stored = cards.find((c) => c.id === card.id);
		const siblings = preset.loadBalance ? cards : null;
		// Load the card's pictures before showing it, so it never flashes broken images.
		if (note)
			await this.#media.ensureFor(
				...Object.values(note.fields),
				...(model ? model.templates.flatMap((t) => [t.front, t.back]) : [])
			);
		return { note, model, preset, siblings, stored };
	}

	/** The preset of the deck `deckId`, read once per queue read. */
	#presetOf(deckId: string): Promise<Preset> {
		let preset = this.#presets.get(deckId);
		if (!preset) {
			preset = readDeckPreset(this.#db, deckId);
			this.#presets.set(deckId, preset);
			// A failed read is not kept.
			preset.catch(() => {
				if (this.#presets.get(deckId) === preset) this.#presets.delete(deckId);
			});
		}
		return preset;
	}
}
