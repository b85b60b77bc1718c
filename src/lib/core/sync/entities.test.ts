import { describe, expect, it } from 'vitest';
import { Queue, type Card, type Deck, type Note, type NoteModel } from '../model';
import { seededRandom } from '../random';
import { createDefaultPreset } from '../scheduling/preset';
import { buildEntity, diffEntity, entityFields, groupFields } from './entities';
import { HybridClock } from './hlc';
import { SyncReplica } from './merge';
import { DELETED, type FieldRecord, type Json, type SyncRecord } from './protocol';

const NOW = Date.UTC(2026, 11, 7, 9);

const note = (over: Partial<Note> = {}): Note => ({
	id: 'n1',
	deckId: 'spanish',
	guid: 'n1',
	type: 'basic',
	fields: { front: 'hablar', back: 'to speak' },
	tags: ['verb'],
	position: 3,
	mtime: NOW,
	...over
});

const card = (over: Partial<Card> = {}): Card => ({
	id: 'n1/0',
	noteId: 'n1',
	deckId: 'spanish',
	ord: 0,
	queue: Queue.New,
	state: 0,
	due: 3,
	stability: 0,
	difficulty: 0,
	scheduledDays: 0,
	learningSteps: 0,
	reps: 0,
	lapses: 0,
	rev: 0,
	...over
});

const deck: Deck = {
	id: 'spanish',
	title: 'Spanish',
	description: '',
	origin: 'user',
	version: 0,
	presetId: 'default',
	createdAt: NOW
};

const model: NoteModel = {
	id: 'anki-1',
	name: 'Basic (Anki)',
	kind: 'standard',
	fields: ['Front', 'Back'],
	templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{Back}}' }],
	css: '.card {}'
};

let tick = 0;
const stamp = () => `${String(NOW + tick++).padStart(15, '0')}00000a`;
const values = (records: FieldRecord[]) =>
	Object.fromEntries(records.map((r) => [r.field, r.value])) as Record<string, Json>;

describe('objects as fields', () => {
	it('a created object travels whole and is built back the same on the other side', () => {
		const preset = createDefaultPreset({ id: 'p1', name: 'Slow', newPerDay: 5 });
		for (const [entity, value] of [
			['note', note()],
			['deck', deck],
			['model', model],
			['preset', preset],
			['card', card()]
		] as const) {
			const records = diffEntity(entity, value.id, undefined, value, stamp);
			expect(records.find((r) => r.field === DELETED)?.value).toBe(false);
			expect(buildEntity(entity, value.id, values(records), undefined)).toEqual(value);
		}
	});

	it('an edit sends only the fields it changed; a note’s text fields are one field each', () => {
		const before = note();
		const after = note({ fields: { front: 'hablar', back: 'to talk' }, mtime: NOW + 5 });
		const records = diffEntity('note', 'n1', before, after, stamp);
		expect(records.map((r) => [r.field, r.value])).toEqual([
			['f.back', 'to talk'],
			['mtime', NOW + 5]
		]);
		const removed = diffEntity('note', 'n1', before, note({ fields: { front: 'x' } }), stamp);
		expect(removed.map((r) => [r.field, r.value])).toEqual([
			['f.front', 'x'],
			['f.back', null]
		]);
		expect(buildEntity('note', 'n1', values(removed), before)).toMatchObject({
			fields: { front: 'x' }
		});
	});

	it('a card sends what a user sets (deck, suspension, burial, tags), never its memory state', () => {
		const studied = card({
			state: 2,
			queue: Queue.Review,
			due: NOW + 86_400_000,
			reps: 3,
			stability: 9
		});
		// A grade changes nothing that syncs as a field: the review itself carries it.
		expect(diffEntity('card', 'n1/0', card(), studied, stamp)).toEqual([]);
		const moved = { ...studied, deckId: 'other', queue: Queue.Suspended };
		const edit = diffEntity('card', 'n1/0', studied, moved, stamp);
		expect(values(edit)).toEqual({ deckId: 'other', held: 'suspended' });
		const there = buildEntity('card', 'n1/0', values(edit), studied) as Card;
		expect(there).toMatchObject({ deckId: 'other', queue: Queue.Suspended, reps: 3, stability: 9 });
		const back = buildEntity('card', 'n1/0', { held: null }, there) as Card;
		expect(back.queue).toBe(Queue.Review);
		const buried = diffEntity(
			'card',
			'n1/0',
			studied,
			{ ...studied, queue: Queue.Buried, buriedUntil: NOW + 5 },
			stamp
		);
		expect(values(buried)).toEqual({ held: 'buried', buriedUntil: NOW + 5 });
		expect(entityFields('card', card()).position).toBe(3);
	});

	it("a card's flag travels, and clearing it too; a flag out of Anki's seven is dropped", () => {
		const flagged = diffEntity('card', 'n1/0', card(), card({ flag: 3 }), stamp);
		expect(values(flagged)).toEqual({ flag: 3 });
		const there = buildEntity('card', 'n1/0', values(flagged), card()) as Card;
		expect(there.flag).toBe(3);
		const cleared = diffEntity('card', 'n1/0', card({ flag: 3 }), card(), stamp);
		expect(values(cleared)).toEqual({ flag: null });
		expect((buildEntity('card', 'n1/0', values(cleared), there) as Card).flag).toBeUndefined();
		expect((buildEntity('card', 'n1/0', { flag: 9 }, there) as Card).flag).toBeUndefined();
	});

	it('a deletion is a tombstone; an object with too few fields is not built (its fields wait)', () => {
		expect(
			diffEntity('note', 'n1', note(), undefined, stamp).map((r) => [r.field, r.value])
		).toEqual([[DELETED, true]]);
		expect(buildEntity('note', 'n1', { 'f.front': 'only a field' }, undefined)).toBeUndefined();
		expect(buildEntity('card', 'n1/0', { deckId: 'spanish' }, undefined)).toBeUndefined();
		expect(buildEntity('deck', 'd', { title: 'No origin yet' }, undefined)).toBeUndefined();
	});
});

function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

/** The note every record of it describes once merged (as a device builds it from a replica). */
function builtNote(replica: SyncReplica): Note | undefined {
	const view = replica.entity('note', 'n1');
	if (!view || view.deleted) return undefined;
	return buildEntity('note', 'n1', view.fields, undefined) as Note | undefined;
}

describe('field merge as a property', () => {
	it('any order, duplication and batching of the same edits builds the same note; the later edit of a field wins', () => {
		for (let seed = 1; seed <= 150; seed++) {
			const rnd = seededRandom(seed);
			const base = note();
			const devices = [0, 1, 2].map((d) => {
				let now = NOW + Math.round((rnd() - 0.5) * 20 * 60_000);
				const clock = new HybridClock(`dev${d}`, () => now);
				return { clock, note: base, advance: (ms: number) => (now += ms) };
			});
			const batches: SyncRecord[][] = [
				diffEntity('note', 'n1', undefined, base, () => devices[0]!.clock.tick())
			];
			const latest = new Map<string, { hlc: string; value: Json }>();
			for (const r of batches[0]! as FieldRecord[]) latest.set(r.field, r);
			for (let step = 0; step < 12; step++) {
				const dev = devices[Math.floor(rnd() * 3)]!;
				dev.advance(Math.round(rnd() * 60_000));
				const which = rnd();
				const next: Note =
					which < 0.4
						? { ...dev.note, fields: { ...dev.note.fields, front: `front ${seed}.${step}` } }
						: which < 0.8
							? { ...dev.note, fields: { ...dev.note.fields, back: `back ${seed}.${step}` } }
							: { ...dev.note, tags: [`t${step}`] };
				const records = diffEntity('note', 'n1', dev.note, next, () => dev.clock.tick());
				dev.note = next;
				batches.push(records);
				for (const r of records) {
					const seen = latest.get(r.field);
					if (!seen || seen.hlc < r.hlc) latest.set(r.field, r);
				}
			}
			const reference = new SyncReplica();
			reference.apply(batches.flat());
			const expected = builtNote(reference)!;
			// The later stamp of each field is what every device shows.
			expect(expected.fields.front).toBe(latest.get('f.front')!.value);
			expect(expected.fields.back).toBe(latest.get('f.back')!.value);
			expect(expected.tags).toEqual(latest.get('tags')!.value);
			for (let trial = 0; trial < 4; trial++) {
				const replica = new SyncReplica();
				const delivered = shuffle([...batches, ...batches.filter(() => rnd() < 0.3)], rnd);
				for (const batch of delivered) replica.apply(shuffle(batch, rnd));
				expect(builtNote(replica)).toEqual(expected);
				// The same through groupFields (what a pulled page does): one winner per field.
				const grouped = groupFields(shuffle(delivered.flat(), rnd) as FieldRecord[]).get(
					'note\u0000n1'
				)!;
				const fields = Object.fromEntries([...grouped].map(([k, r]) => [k, r.value]));
				expect(buildEntity('note', 'n1', fields, undefined)).toEqual(expected);
			}
		}
	});

	it('a deletion and a later restore order by their clocks, in any order of arrival', () => {
		const rnd = seededRandom(7);
		const created = diffEntity('note', 'n1', undefined, note(), stamp);
		const deleted = diffEntity('note', 'n1', note(), undefined, stamp);
		const restored = diffEntity('note', 'n1', undefined, note({ tags: ['back'] }), stamp);
		for (let i = 0; i < 20; i++) {
			const replica = new SyncReplica();
			replica.apply(shuffle([...created, ...deleted, ...restored], rnd));
			expect(replica.isDeleted('note', 'n1')).toBe(false);
			expect(builtNote(replica)?.tags).toEqual(['back']);
			const gone = new SyncReplica();
			gone.apply(shuffle([...created, ...deleted], rnd));
			expect(gone.isDeleted('note', 'n1')).toBe(true);
		}
	});
});
