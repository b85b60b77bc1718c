/**
 * A note being written (Add) or edited (Browse): its type, deck, fields and tags, a live preview
 * of every card it makes, images added from the camera or files, and saving. The preview is
 * rendered here and sanitized by the component that shows it (sanitizing is a UI duty).
 */
import { noteOrdinals } from '$lib/core/decks/records';
import type { Note, NoteModel, NoteType } from '$lib/core/model';
import { renderCard, type RenderedCard } from '$lib/core/render/card';
import { clozeOrdinals } from '$lib/core/render/cloze';
import { parseTags } from '$lib/storage/bulk-actions';
import type { ChangeSet } from '$lib/storage/changes';
import { getDb, type RecallDb } from '$lib/storage/db';
import { saveImage } from '$lib/storage/media-repo';
import { createNote, noteProblem, updateNote, type UserNoteType } from '$lib/storage/note-repo';
import { systemClock, type Clock } from './clock';
import { MediaUrls } from './media-urls.svelte';

/** The default deck's title, made with the first note (for the deck picker). */
export { DEFAULT_DECK_TITLE } from '$lib/storage/deck-repo';

export interface CardPreviewItem {
	ord: number;
	label: string;
	rendered: RenderedCard;
}

/**
 * The fields the editor offers for each of Recall's note types, in order. `extra` (every type:
 * shown on the answer side only, below the answer) and `reversePrompt` (reversed notes: the
 * question of the back → front card) are optional.
 */
export const FIELD_NAMES: Record<UserNoteType, readonly string[]> = {
	basic: ['front', 'back', 'extra'],
	reversed: ['front', 'back', 'reversePrompt', 'extra'],
	cloze: ['text', 'extra']
};

/** Fields a note may leave out: stored only when they hold something. */
export const OPTIONAL_FIELDS: readonly string[] = ['extra', 'reversePrompt'];

/**
 * The fields as stored: a note of Recall's own types keeps its type's fields (and any others it
 * already had), an empty optional field is left out rather than stored as ''. Anki notes keep
 * every field of their note type as typed.
 */
export function storedFields(
	type: NoteType,
	fields: Readonly<Record<string, string>>
): Record<string, string> {
	if (type === 'anki') return { ...fields };
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(fields)) {
		if (OPTIONAL_FIELDS.includes(name) && value.trim() === '') continue;
		out[name] = value;
	}
	return out;
}

function ordLabel(type: NoteType, ord: number, model: NoteModel | null): string {
	if (type === 'reversed') return ord === 0 ? 'Front → back' : 'Back → front';
	if (type === 'cloze' || model?.kind === 'cloze') return `Cloze ${ord + 1}`;
	return model?.templates[ord]?.name ?? `Card ${ord + 1}`;
}

function previewOrdinals(note: Note, model: NoteModel | null): number[] {
	if (note.type !== 'anki') return noteOrdinals(note);
	if (model?.kind === 'cloze') {
		return clozeOrdinals(Object.values(note.fields).join(' ')).map((n) => n - 1);
	}
	return (model?.templates ?? [{}]).map((_, i) => i);
}

export class NoteDraft {
	type = $state<NoteType>('basic');
	deckId = $state('');
	fields = $state<Record<string, string>>({ front: '', back: '' });
	tags = $state('');
	saving = $state(false);
	/** Set when a save was refused: what to fix. */
	message = $state('');
	/** The deck the last new note went to (the default deck is made on the first note). */
	savedDeck = $state.raw<{ id: string; title: string } | null>(null);
	readonly media: MediaUrls;
	readonly original: Note | null;
	readonly model: NoteModel | null;
	readonly #db: () => RecallDb;
	readonly #clock: Clock;
	/** A reverse question typed before switching a new note to basic, back if it is reversed again. */
	#parkedPrompt = '';

	constructor(
		db: () => RecallDb = getDb,
		options: { note?: Note; model?: NoteModel | null; deckId?: string; clock?: Clock } = {}
	) {
		this.#db = db;
		this.#clock = options.clock ?? systemClock;
		this.media = new MediaUrls(db);
		this.original = options.note ?? null;
		this.model = options.model ?? null;
		if (options.note) {
			this.type = options.note.type;
			this.deckId = options.note.deckId;
			this.fields = { ...options.note.fields };
			this.tags = options.note.tags.join(' ');
			void this.media.ensureFor(...Object.values(options.note.fields));
		} else {
			this.deckId = options.deckId ?? '';
		}
	}

	/** The note as it would be saved (for the preview and the checks). */
	note = $derived.by<Note>(() => ({
		id: this.original?.id ?? 'draft',
		deckId: this.deckId,
		guid: this.original?.guid ?? 'draft',
		type: this.type,
		fields: storedFields(this.type, this.fields),
		...(this.original?.modelId ? { modelId: this.original.modelId } : {}),
		tags: parseTags(this.tags),
		position: this.original?.position ?? 0,
		mtime: this.original?.mtime ?? 0
	}));

	problem = $derived(noteProblem(this.note));

	previews = $derived.by<CardPreviewItem[]>(() =>
		previewOrdinals(this.note, this.model).map((ord) => ({
			ord,
			label: ordLabel(this.type, ord, this.model),
			rendered: renderCard(this.note, { ord }, this.model)
		}))
	);

	get fieldNames(): readonly string[] {
		if (this.type === 'anki') return this.model?.fields ?? Object.keys(this.fields);
		return FIELD_NAMES[this.type];
	}

	/**
	 * Switching a new note's type carries the text over: basic ↔ reversed keep every field (a
	 * reverse question waits while the note is basic); to cloze, the front becomes the text and
	 * the back and extra the cloze's extra; from cloze, the text becomes the front and the extra
	 * the back.
	 */
	setType(type: UserNoteType): void {
		if (this.original || type === this.type) return;
		const f = this.fields;
		let next: Record<string, string>;
		if (type === 'cloze') {
			const extra = [f.back, f.extra].filter((v) => v?.trim()).join('\n\n');
			next = { text: f.front ?? '', extra };
		} else if (this.type === 'cloze') {
			next = { front: f.text ?? '', back: f.extra ?? '', extra: '' };
		} else {
			next = { front: f.front ?? '', back: f.back ?? '', extra: f.extra ?? '' };
		}
		if (this.type === 'reversed') this.#parkedPrompt = f.reversePrompt ?? '';
		if (type === 'reversed') next.reversePrompt = this.#parkedPrompt;
		this.fields = next;
		this.type = type;
	}

	setField(name: string, value: string): void {
		this.fields[name] = value;
		void this.media.ensureFor(value);
	}

	/** Stores the image and puts `<img src="name">` into the field at `at`; returns the caret after it. */
	async addImage(field: string, file: File, at: number): Promise<number> {
		const name = await saveImage(this.#db(), file);
		this.media.add(name, file);
		const text = this.fields[field] ?? '';
		const tag = `<img src="${name}" alt="">`;
		const pos = Math.max(0, Math.min(at, text.length));
		this.fields[field] = text.slice(0, pos) + tag + text.slice(pos);
		return pos + tag.length;
	}

	/** Creates or updates the note; null when refused (see `message`). */
	async save(): Promise<ChangeSet | null> {
		if (this.saving) return null;
		if (this.problem) {
			this.message = this.problem;
			return null;
		}
		this.saving = true;
		try {
			const db = this.#db();
			const now = this.#clock();
			const { fields, tags } = this.note;
			if (this.original) {
				return await updateNote(
					db,
					this.original.id,
					{ fields, tags, mtime: this.original.mtime },
					now
				);
			}
			const created = await createNote(
				db,
				{ deckId: this.deckId, type: this.type as UserNoteType, fields, tags },
				now
			);
			this.message = '';
			this.savedDeck = { id: created.deck.id, title: created.deck.title };
			this.deckId = created.deck.id;
			return created.changes;
		} catch (e) {
			this.message = e instanceof Error ? e.message : String(e);
			return null;
		} finally {
			this.saving = false;
		}
	}

	/** Ready for the next note: same deck, type and tags, empty fields (as Anki's Add). */
	clear(): void {
		this.fields = Object.fromEntries(this.fieldNames.map((n) => [n, '']));
		this.#parkedPrompt = '';
		this.message = '';
	}
}
