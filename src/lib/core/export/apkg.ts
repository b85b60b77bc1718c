/**
 * Writes a deck as an Anki package in the legacy layout every Anki version opens: a zip holding
 * `collection.anki2` (SQLite, schema 11, note types and decks as JSON in `col`), a JSON `media`
 * map and the media files named 0, 1, … Scheduling and review history go along: FSRS memory
 * state in `cards.data` (as Anki 23.10+ keeps it), the review log in `revlog`.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Database, SqlJsStatic } from 'sql.js';
import { deckAncestors } from '../decks/deck-title';
import {
	CardState,
	Queue,
	type Card,
	type Deck,
	type Note,
	type NewMix,
	type NoteModel,
	type Preset,
	type RevlogEntry
} from '../model';
import { HOUR_MS, nextStudyDayStart, studyDayNumber, studyDayStart } from '../scheduling/day';
import { DEFAULT_PRESET } from '../scheduling/preset';
import { ankiLeft } from '../scheduling/steps';
import { ankiNoteFields, stripForSort } from './anki-notes';
import { sha1Hex } from './sha1';

export interface ApkgInput {
	decks: Deck[];
	notes: Note[];
	cards: Card[];
	revlog: RevlogEntry[];
	/** Note types of the `anki` notes. */
	models: NoteModel[];
	media: { name: string; data: Uint8Array }[];
	/** The deck's preset: its steps, limits and retention become the Anki deck options. */
	preset?: Preset;
	/**
	 * Whole-collection exports: every preset, each its own Anki deck options group (the first is
	 * options group 1, Anki's Default); a deck uses its `presetId`'s group.
	 */
	presets?: Preset[];
}

export interface ApkgOptions {
	sql: SqlJsStatic;
	/** Export time, ms. */
	now: number;
	/** Study days decide which day a review is due on: Anki stores review due dates as days. */
	dayStartHour: number;
	timeZone?: string;
}

const SCHEMA_11 = `
create table col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null, dconf text not null, tags text not null);
create table notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
create table cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
create table revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
create index ix_notes_usn on notes (usn);
create index ix_cards_usn on cards (usn);
create index ix_revlog_usn on revlog (usn);
create index ix_cards_nid on cards (nid);
create index ix_cards_sched on cards (did, queue, due);
create index ix_revlog_cid on revlog (cid);
create index ix_notes_csum on notes (csum);`;

/** Anki revlog `type`. */
const RevlogType = { Learn: 0, Review: 1, Relearn: 2, Manual: 4, Rescheduled: 5 } as const;

/**
 * Anki ids are integers (creation times in ms). A Recall id that came from Anki (`anki-<n>`)
 * gets its number back so a round trip keeps it; other ids get fresh numbers counted from the
 * export time, never colliding with a kept one.
 */
class IdAllocator {
	readonly #used = new Set<number>();
	#next: number;

	constructor(start: number) {
		this.#next = start;
	}

	reserve(recallId: string): number | undefined {
		const match = /^anki-(\d+)$/.exec(recallId);
		const n = match ? Number(match[1]) : NaN;
		if (!Number.isSafeInteger(n) || n <= 0 || this.#used.has(n)) return undefined;
		this.#used.add(n);
		return n;
	}

	fresh(): number {
		while (this.#used.has(this.#next)) this.#next++;
		this.#used.add(this.#next);
		return this.#next++;
	}

	/** First every kept id, then fresh ones, so a fresh number never takes a kept one. */
	assign(recallIds: Iterable<string>): Map<string, number> {
		const ids = [...new Set(recallIds)];
		const out = new Map<string, number>();
		for (const id of ids) {
			const kept = this.reserve(id);
			if (kept !== undefined) out.set(id, kept);
		}
		for (const id of ids) if (!out.has(id)) out.set(id, this.fresh());
		return out;
	}
}

export function writeApkg(input: ApkgInput, options: ApkgOptions): Uint8Array {
	const { now } = options;
	const nowSec = Math.floor(now / 1000);
	// Review due dates are days after the collection's creation: put it mid-study-day, so an
	// hour of daylight-saving shift never moves a due date into the neighbouring day.
	const crtMs = studyDayStart(now, options.dayStartHour, options.timeZone) + 12 * HOUR_MS;
	const crt = Math.floor(crtMs / 1000);
	const dayOf = (t: number) => studyDayNumber(t, options.dayStartHour, options.timeZone);

	const modelsById = new Map(input.models.map((m) => [m.id, m]));
	const exported = input.notes.flatMap((note) => {
		const anki = ankiNoteFields(note, modelsById);
		return anki ? [{ note, ...anki }] : [];
	});
	const usedModels = new Map(exported.map(({ model }) => [model.id, model]));
	const mids = new IdAllocator(now).assign(usedModels.keys());
	const nids = new IdAllocator(now).assign(exported.map(({ note }) => note.id));
	const deckTitles = new Map(input.decks.map((d) => [d.id, d]));
	const dids = new IdAllocator(now).assign(['anki-1', ...deckTitles.keys()]);
	const noteIds = new Set(exported.map(({ note }) => note.id));
	const cards = input.cards.filter((c) => noteIds.has(c.noteId) && deckTitles.has(c.deckId));
	const cids = new IdAllocator(now).assign(cards.map((c) => c.id));

	// Anki deck options: one group per preset (the deck's own preset for a one-deck export).
	const confs: [number, Preset | undefined][] = input.presets?.length
		? input.presets.map((p, i) => [i + 1, p])
		: [[1, input.preset]];
	const confIds = new Map(confs.flatMap(([id, p]) => (p ? [[p.id, id] as const] : [])));
	const stepsOf = (card: Card): number[] => {
		const presetId = deckTitles.get(card.deckId)?.presetId;
		const p = input.presets?.find((x) => x.id === presetId) ?? input.preset ?? DEFAULT_PRESET;
		return card.state === CardState.Relearning ? p.relearningSteps : p.learningSteps;
	};

	const db = new options.sql.Database();
	try {
		db.exec(SCHEMA_11);
		db.exec('BEGIN');
		const firstDid = dids.get(input.decks[0]?.id ?? '') ?? 1;
		insertCol(db, {
			crt,
			now,
			models: [...usedModels.values()].map((m) =>
				modelJson(m, mids.get(m.id) ?? 0, firstDid, nowSec)
			),
			decks: decksJson(input.decks, dids, nowSec, (deck) => confIds.get(deck.presetId) ?? 1),
			dconf: Object.fromEntries(
				confs.map(([id, preset]) => [String(id), deckConfigJson(preset, id, nowSec)])
			),
			curModel: mids.values().next().value ?? 0
		});
		const noteStatement = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, 0, ?)');
		for (const { note, model, values } of exported) {
			const sort = stripForSort(values[0] ?? '');
			noteStatement.run([
				nids.get(note.id) ?? 0,
				note.guid,
				mids.get(model.id) ?? 0,
				Math.floor(note.mtime / 1000),
				note.tags.length > 0 ? ` ${note.tags.join(' ')} ` : '',
				values.join('\x1f'),
				sort,
				Number.parseInt(sha1Hex(sort).slice(0, 8), 16),
				''
			]);
		}
		noteStatement.free();

		// New cards are numbered in their introduction order: Anki keeps positions small.
		const newOrder = cards
			.filter((c) => c.state === CardState.New)
			.sort((a, b) => a.due - b.due || a.id.localeCompare(b.id));
		const newPosition = new Map(newOrder.map((c, i) => [c.id, i]));
		const cardStatement = db.prepare(
			'INSERT INTO cards VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)'
		);
		for (const card of cards) {
			const studied = card.state !== CardState.New;
			const learning = card.state === CardState.Learning || card.state === CardState.Relearning;
			const due =
				card.state === CardState.New
					? (newPosition.get(card.id) ?? 0)
					: learning
						? Math.round(card.due / 1000)
						: dayOf(card.due) - dayOf(crtMs);
			cardStatement.run([
				cids.get(card.id) ?? 0,
				nids.get(card.noteId) ?? 0,
				dids.get(card.deckId) ?? 1,
				card.ord,
				nowSec,
				card.state,
				ankiQueue(card),
				due,
				card.state === CardState.Review || card.state === CardState.Relearning
					? card.scheduledDays
					: 0,
				studied ? 2500 : 0,
				card.reps,
				card.lapses,
				// Anki's `left`: today × 1000 + steps to go (2002 after Again with 1m 10m).
				learning
					? ankiLeft(
							stepsOf(card),
							card.learningSteps,
							now,
							nextStudyDayStart(now, options.dayStartHour, options.timeZone)
						)
					: 0,
				memoryJson(card)
			]);
		}
		cardStatement.free();
		insertRevlog(db, cards, input.revlog, cids);
		db.exec('COMMIT');
		const files: Zippable = { 'collection.anki2': db.export() };
		const map: Record<string, string> = {};
		input.media.forEach((file, i) => {
			map[String(i)] = file.name;
			files[String(i)] = file.data;
		});
		files.media = strToU8(JSON.stringify(map));
		return zipSync(files);
	} finally {
		db.close();
	}
}

function ankiQueue(card: Card): number {
	if (card.queue === Queue.Suspended) return -1;
	if (card.queue === Queue.Buried) return -2;
	if (card.state === CardState.Relearning) return 1;
	return card.state;
}

/** Anki's `cards.data`: FSRS stability, difficulty and last review (seconds), when known. */
function memoryJson(card: Card): string {
	const { stability: s, difficulty: d } = card;
	if (card.state === CardState.New || !(s > 0) || !(d >= 1 && d <= 10)) return '';
	const lrt = card.lastReview !== undefined ? Math.floor(card.lastReview / 1000) : undefined;
	return JSON.stringify(lrt !== undefined ? { s, d, lrt } : { s, d });
}

function insertRevlog(
	db: Database,
	cards: Card[],
	revlog: RevlogEntry[],
	cids: Map<string, number>
): void {
	const cardsById = new Map(cards.map((c) => [c.id, c]));
	const byCard = new Map<string, RevlogEntry[]>();
	for (const entry of revlog) {
		if (!cardsById.has(entry.cardId)) continue;
		const list = byCard.get(entry.cardId) ?? [];
		list.push(entry);
		byCard.set(entry.cardId, list);
	}
	const statement = db.prepare('INSERT INTO revlog VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)');
	// Revlog ids are review times in ms and must be unique: a clash moves a row by a millisecond.
	const usedIds = new Set<number>();
	for (const [cardId, entries] of byCard) {
		entries.sort((a, b) => a.reviewedAt - b.reviewedAt);
		let lastIvl = 0;
		entries.forEach((entry, i) => {
			// Anki records the interval given; for a (re)learning step, minus its length in seconds.
			const dueAfter = entries[i + 1]?.due ?? cardsById.get(cardId)?.due ?? entry.reviewedAt;
			const ivl =
				entry.scheduledDays > 0
					? Math.round(entry.scheduledDays)
					: entry.rating === 0
						? 0
						: -Math.max(1, Math.round((dueAfter - entry.reviewedAt) / 1000));
			let id = Math.round(entry.reviewedAt);
			while (usedIds.has(id)) id++;
			usedIds.add(id);
			statement.run([
				id,
				cids.get(cardId) ?? 0,
				entry.rating,
				ivl,
				lastIvl,
				entry.state === CardState.Review || entry.state === CardState.Relearning ? 2500 : 0,
				Math.max(0, Math.round(entry.durationMs)),
				revlogType(entry)
			]);
			if (entry.rating > 0) lastIvl = ivl;
		});
	}
	statement.free();
}

function revlogType(entry: RevlogEntry): number {
	if (entry.rating === 0) {
		const reset = entry.stability === 0 && entry.difficulty === 0 && entry.scheduledDays === 0;
		return reset ? RevlogType.Manual : RevlogType.Rescheduled;
	}
	if (entry.state === CardState.Review) return RevlogType.Review;
	if (entry.state === CardState.Relearning) return RevlogType.Relearn;
	return RevlogType.Learn;
}

interface ColRow {
	crt: number;
	now: number;
	models: Record<string, unknown>[];
	decks: Record<string, unknown>[];
	dconf: Record<string, Record<string, unknown>>;
	curModel: number;
}

function insertCol(db: Database, col: ColRow): void {
	const byId = (items: Record<string, unknown>[]) =>
		JSON.stringify(Object.fromEntries(items.map((item) => [String(item.id), item])));
	const conf = {
		// Without it Anki treats the package as the 2.0 scheduler's and converts learning cards.
		schedVer: 2,
		activeDecks: [1],
		curDeck: 1,
		curModel: col.curModel,
		newSpread: 0,
		collapseTime: 1200,
		timeLim: 0,
		estTimes: true,
		dueCounts: true,
		sortType: 'noteFld',
		sortBackwards: false,
		addToCur: true
	};
	db.run('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)', [
		col.crt,
		col.now,
		col.now,
		JSON.stringify(conf),
		byId(col.models),
		byId(col.decks),
		JSON.stringify(col.dconf),
		'{}'
	]);
}

/** Every key Anki's schema-11 reader requires (rslib notetype/schema11.rs). */
function modelJson(
	model: NoteModel,
	id: number,
	did: number,
	mod: number
): Record<string, unknown> {
	const fieldOrd = new Map(model.fields.map((name, ord) => [name, ord]));
	return {
		id,
		name: model.name,
		type: model.kind === 'cloze' ? 1 : 0,
		mod,
		usn: 0,
		sortf: 0,
		did,
		tmpls: model.templates.map((t, ord) => ({
			name: t.name,
			ord,
			qfmt: t.front,
			afmt: t.back,
			bqfmt: '',
			bafmt: '',
			did: null,
			bfont: '',
			bsize: 0
		})),
		flds: model.fields.map((name, ord) => ({
			name,
			ord,
			sticky: false,
			rtl: false,
			font: 'Arial',
			size: 20,
			media: []
		})),
		css: model.css,
		latexPre:
			'\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
		latexPost: '\\end{document}',
		latexsvg: false,
		// Pre-2.1.28 Ankis generate cards from `req`: a template needs any field it shows.
		req:
			model.kind === 'cloze'
				? []
				: model.templates.map((t, ord) => {
						const shown = [...t.front.matchAll(/\{\{([^#/^}][^}]*)\}\}/g)]
							.map((m) => fieldOrd.get((m[1] ?? '').split(':').at(-1)?.trim() ?? ''))
							.filter((n): n is number => n !== undefined);
						return [ord, 'any', shown.length > 0 ? [...new Set(shown)] : [0]];
					}),
		tags: [],
		vers: []
	};
}

function deckJson(
	id: number,
	name: string,
	desc: string,
	mod: number,
	conf = 1
): Record<string, unknown> {
	return {
		id,
		mod,
		name,
		usn: 0,
		lrnToday: [0, 0],
		revToday: [0, 0],
		newToday: [0, 0],
		timeToday: [0, 0],
		collapsed: false,
		browserCollapsed: false,
		desc,
		dyn: 0,
		conf,
		extendNew: 0,
		extendRev: 0
	};
}

/** The decks, their missing parents ("A" for "A::B"), and Anki's Default deck. */
function decksJson(
	decks: Deck[],
	dids: Map<string, number>,
	mod: number,
	confOf: (deck: Deck) => number
) {
	const out = [deckJson(1, 'Default', '', mod)];
	const names = new Set(decks.map((d) => d.title));
	for (const deck of decks)
		out.push(deckJson(dids.get(deck.id) ?? 1, deck.title, deck.description, mod, confOf(deck)));
	let parentId = Math.max(0, ...out.map((d) => d.id as number)) + 1;
	for (const deck of decks) {
		for (const parent of deckAncestors(deck.title)) {
			if (names.has(parent)) continue;
			names.add(parent);
			out.push(deckJson(parentId++, parent, '', mod));
		}
	}
	return out;
}

const NEW_MIX: Record<NewMix, number> = { mix: 0, after: 1, before: 2 };

/** Deck options from the preset where Anki has the same setting. */
function deckConfigJson(
	preset: Preset | undefined,
	id: number,
	mod: number
): Record<string, unknown> {
	return {
		id,
		mod,
		name: preset?.name ?? 'Default',
		usn: 0,
		maxTaken: 60,
		autoplay: true,
		timer: 0,
		replayq: true,
		dyn: false,
		// Anki's "New/review order" (deck options v3): 0 mixed, 1 after the reviews, 2 before.
		newMix: NEW_MIX[preset?.newMix ?? 'mix'],
		new: {
			bury: preset?.buryNew ?? true,
			delays: preset?.learningSteps ?? [1, 10],
			initialFactor: 2500,
			ints: [1, 4, 0],
			order: 1,
			perDay: preset?.newPerDay ?? 20
		},
		rev: {
			bury: preset?.buryReviews ?? true,
			ease4: 1.3,
			ivlFct: 1,
			maxIvl: preset?.maximumInterval ?? 36500,
			perDay: preset?.reviewsPerDay ?? 200,
			hardFactor: 1.2
		},
		lapse: {
			delays: preset?.relearningSteps ?? [10],
			leechAction: 1,
			leechFails: preset?.leechThreshold || 8,
			minInt: 1,
			mult: 0
		},
		desiredRetention: preset?.desiredRetention ?? 0.9
	};
}

/**
 * A whole collection as Anki's collection package (`.colpkg`), in the legacy layout every Anki
 * version opens (Anki 2.1.50+ reads a package without a `meta` member as legacy): the same zip as
 * an `.apkg` (`collection.anki2`, the JSON `media` map, media files 0, 1, …), holding every
 * deck, note type, deck options group, card, review and media file. Anki replaces its collection
 * with it; an `.apkg` of the same input is merged into the collection instead.
 */
export function writeColpkg(input: ApkgInput, options: ApkgOptions): Uint8Array {
	return writeApkg(input, options);
}

/** "recall-all-decks-2026-12-07.apkg", "recall-collection-2026-12-07.colpkg" (the UTC date). */
export function collectionPackageName(kind: 'apkg' | 'colpkg', now: number): string {
	const day = new Date(now).toISOString().slice(0, 10);
	return kind === 'colpkg' ? `recall-collection-${day}.colpkg` : `recall-all-decks-${day}.apkg`;
}
