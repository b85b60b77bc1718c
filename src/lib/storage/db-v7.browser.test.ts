/** Schema v7 (cards' HTML stored with their notes), tested on data written with the v4 schema. */
import { describe, expect, it } from 'vitest';
import type { Note } from '../core/model';
import { renderCard } from '../core/render/card';
import { storedCard } from '../core/render/stored';
import { openDb, openDbV4, SCHEMA_VERSION, setNotePreparer, upgradeToV7 } from './db';
import { openWatched } from './health';
import { seedCollection } from './testing-seed';

const name = () => `recall-v7-${Math.random().toString(36).slice(2)}`;
const NOW = Date.UTC(2026, 11, 1, 12);

const notes: Note[] = [
	{
		id: 'n-basic',
		deckId: 'seed',
		guid: 'g1',
		type: 'basic',
		fields: { front: 'Who led the **Red Army**?', back: 'Trotsky', extra: 'From 1918' },
		tags: [],
		position: 0,
		mtime: 1
	},
	{
		id: 'n-cloze',
		deckId: 'seed',
		guid: 'g2',
		type: 'cloze',
		fields: { text: '{{c1::Brest-Litovsk}} was signed in {{c2::1918}}' },
		tags: [],
		position: 1,
		mtime: 1
	},
	{
		id: 'n-raw',
		deckId: 'seed',
		guid: 'g3',
		type: 'basic',
		fields: { front: '<b onclick="x()">raw HTML</b>', back: 'kept as it was' },
		tags: [],
		position: 2,
		mtime: 1
	},
	{
		id: 'n-anki',
		deckId: 'seed',
		guid: 'g4',
		type: 'anki',
		modelId: 'm',
		fields: { Front: 'a', Back: 'b' },
		tags: [],
		position: 3,
		mtime: 1
	}
];

async function v4Data(dbName: string) {
	const v4 = openDbV4(dbName);
	await seedCollection(v4, { now: NOW, cards: 300, reviews: 2_000 });
	await v4.notes.bulkPut(notes);
	const before = {
		notes: await v4.notes.toArray(),
		cards: await v4.cards.toArray(),
		revlog: await v4.revlog.toArray(),
		tallies: await v4.reviewTallies.toArray()
	};
	v4.close();
	return before;
}

describe('schema v7: stored card HTML', () => {
	it('v4 → v7 renders every stored note once and keeps every review, card and note', async () => {
		const dbName = name();
		const before = await v4Data(dbName);
		const db = openDb(dbName);
		// The app's opener loads the renderer for the upgrade (only when a migration is pending).
		expect(await openWatched(db, () => {}, { now: () => Date.UTC(2026, 11, 7) })).toBe(true);
		expect(db.verno).toBe(SCHEMA_VERSION);
		expect(SCHEMA_VERSION).toBe(8);

		expect(await db.revlog.toArray()).toEqual(before.revlog);
		expect(await db.cards.toArray()).toEqual(before.cards);
		expect(await db.reviewTallies.toArray()).toEqual(before.tallies);
		const after = await db.notes.toArray();
		expect(after.map(({ html: _html, ...n }) => n)).toEqual(before.notes);

		const byId = new Map(after.map((n) => [n.id, n]));
		const basic = storedCard(byId.get('n-basic')!, { ord: 0 });
		expect(basic?.front).toBe(renderCard(notes[0]!, { ord: 0 }).front);
		expect(basic?.back).toContain('<div class="extra">');
		const cloze = byId.get('n-cloze')!;
		expect(cloze.html?.cards).toHaveLength(2);
		expect(storedCard(cloze, { ord: 1 })?.front).toContain('<span class="cloze">[...]</span>');
		// Outside the safe subset, and Anki notes: left to be rendered and sanitized when shown.
		expect(byId.get('n-raw')?.html).toBeUndefined();
		expect(byId.get('n-anki')?.html).toBeUndefined();
		// The seeded notes (plain words) all have theirs.
		const seeded = after.filter((n) => !n.id.startsWith('n-'));
		expect(seeded.length).toBeGreaterThan(0);
		expect(seeded.every((n) => storedCard(n, { ord: 0 }) !== null)).toBe(true);

		// Editing a note's fields by a path that does not render makes its stored HTML stale.
		await db.notes.update('n-basic', { 'fields.front': 'Changed' });
		expect(storedCard((await db.notes.get('n-basic'))!, { ord: 0 })).toBeNull();
		db.close();
		await db.delete();
	});

	it('without the renderer loaded the upgrade changes no note (cards are rendered when shown)', async () => {
		const dbName = name();
		const before = await v4Data(dbName);
		setNotePreparer(undefined);
		const db = openDb(dbName);
		await db.open();
		expect(db.verno).toBe(SCHEMA_VERSION);
		expect(await db.notes.toArray()).toEqual(before.notes);
		expect(await db.revlog.count()).toBe(before.revlog.length);
		db.close();
		await db.delete();
	});

	it('upgradeToV7 takes the renderer as an argument too', async () => {
		const rows: Note[] = [structuredClone(notes[0]!)];
		const tx = {
			table: () => ({
				toCollection: () => ({
					modify: (f: (n: Note) => void) => Promise.resolve(rows.forEach(f))
				})
			})
		} as never;
		await upgradeToV7(tx, () => ({ key: 'k', cards: [{ front: 'f', back: 'b' }] }));
		expect(rows[0]?.html).toEqual({ key: 'k', cards: [{ front: 'f', back: 'b' }] });
	});
});
