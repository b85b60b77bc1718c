import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardState } from '../../model';
import { corpusFile } from '../testing/corpus';
import { loadSqlJs } from '../testing/node-sql';
import { importAnki } from './package';

/** Files exported by real Anki versions (see /shared/corpus/README.md). */
const latest = corpusFile('anki/newly-learned-words-anki21b.apkg');
const schema11 = corpusFile('anki/ankipandas-collection-schema11.anki2');
const schema15 = corpusFile('anki/ankipandas-collection-schema15.anki2');
const NOW = Date.UTC(2025, 0, 15, 12);

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

describe('real Anki files', () => {
	it.skipIf(!latest.exists)(
		'imports a package from a current Anki (anki21b, schema 18): 19 notes, 19 cards, no reviews',
		() => {
			const bundle = importAnki(latest.read(), { fileName: 'words.apkg', now: NOW, sql });
			expect([bundle.notes.length, bundle.cards.length, bundle.revlog.length]).toEqual([19, 19, 0]);
			expect(bundle.decks.map((d) => d.title)).toEqual(['Newly learned words']);
			expect(bundle.models.map((m) => [m.name, m.kind, m.fields])).toEqual([
				['Basic', 'standard', ['Front', 'Back']]
			]);
			expect(bundle.models[0]?.templates[0]?.front).toBe('{{Front}}');
			expect(bundle.notes[0]?.fields).toEqual({ Front: 'Insipid', Back: 'Lacking flavor' });
			expect(bundle.cards.every((c) => c.state === CardState.New)).toBe(true);
			expect([bundle.media, bundle.warnings, bundle.cardsToReplay]).toEqual([[], [], []]);
		}
	);

	it.skipIf(!schema11.exists)(
		'imports a raw schema-11 collection: 7 notes, 12 cards, 6 reviews',
		() => {
			const bundle = importAnki(schema11.read(), { fileName: 'collection.anki2', now: NOW, sql });
			expect([bundle.notes.length, bundle.cards.length, bundle.revlog.length]).toEqual([7, 12, 6]);
			expect(bundle.decks.map((d) => d.title).sort()).toEqual(['EnglishGerman', 'Testing']);
			expect(bundle.models.map((m) => m.name).sort()).toEqual([
				'Basic',
				'Basic (and reversed card)'
			]);
			const car = bundle.notes.find((n) => n.fields.Front === 'Car');
			expect(car?.tags).toEqual(['adjective', 'english', 'german', 'noun']);
			expect(bundle.cards.filter((c) => c.state === CardState.Review)).toHaveLength(3);
			expect(bundle.revlog.map((r) => r.rating)).toEqual([2, 1, 3, 2, 3, 3]);
			expect(bundle.revlog.map((r) => r.durationMs)).toEqual([2766, 1461, 1539, 1731, 785, 1004]);
			expect(bundle.cardsToReplay).toHaveLength(3);
		}
	);

	it.skipIf(!schema11.exists || !schema15.exists)(
		'reads the same collection at schema 15 exactly as at schema 11',
		() => {
			const options = { fileName: 'collection.anki2', now: NOW, sql };
			const from15 = importAnki(schema15.read(), options);
			expect([from15.notes.length, from15.cards.length, from15.revlog.length]).toEqual([7, 12, 6]);
			expect(from15).toEqual(importAnki(schema11.read(), options));
		}
	);
});
