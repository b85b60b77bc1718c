/**
 * Test fixtures for the import and export tests in the browser and in Node: small Anki packages
 * built with sql.js (core/import/testing), the bundles the worker would produce from them, and
 * text files. Nothing in the app imports this module.
 */
import type { SqlJsStatic } from 'sql.js';
import { importAnki, type ImportBundle } from '$lib/core/import';
import { replayImportedMemory } from '$lib/core/import/memory';
import {
	BASIC,
	DECK,
	buildCollection,
	legacyPackage,
	type CollectionSpec,
	type NoteSpec
} from '$lib/core/import/testing/anki-fixtures';
import { NOW, scenario } from '$lib/core/import/testing/anki-scenario';
import { createDefaultPreset } from '$lib/core/scheduling/preset';

export { NOW };
export const PRESET = createDefaultPreset();
/** A 1×1 PNG. */
export const PNG = new Uint8Array([
	137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0,
	0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 156, 99, 248, 255, 255, 63, 0, 5, 254, 2,
	254, 167, 53, 129, 132, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130
]);

/** The scenario collection (5 notes, 6 cards, 6 reviews of known cards) with one image. */
export function scenarioPackage(sql: SqlJsStatic, edit: (spec: CollectionSpec) => void = () => {}) {
	const spec = scenario(11);
	edit(spec);
	return legacyPackage(buildCollection(sql, spec), { 'haus.png': PNG });
}

/** What the worker hands the page for a package: parsed, with memory state rebuilt. */
export function bundleOf(
	sql: SqlJsStatic,
	bytes: Uint8Array,
	fileName = 'German.apkg'
): ImportBundle {
	return replayImportedMemory(importAnki(bytes, { fileName, now: NOW, sql }), PRESET, {
		timeZone: 'UTC'
	});
}

/** A deck of `count` Basic notes with ids and GUIDs derived from `first`. */
export function basicNotes(
	count: number,
	first = 1_700_000_100_000,
	mod = 1_700_000_500
): NoteSpec[] {
	return Array.from({ length: count }, (_, i) => ({
		id: first + i,
		mid: BASIC.id,
		fields: [`Front ${i}`, `Back ${i}`],
		guid: `g${first + i}`,
		mod
	}));
}

export function basicPackage(sql: SqlJsStatic, notes: NoteSpec[]): Uint8Array {
	return legacyPackage(
		buildCollection(sql, {
			notes,
			cards: notes.map((n, i) => ({ id: n.id + 1, nid: n.id, did: DECK.id, due: i }))
		})
	);
}

export function csvFile(rows: string[][], name = 'words.csv'): File {
	const text = rows
		.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
		.join('\n');
	return new File([text], name, { type: 'text/csv' });
}

export function fileOf(bytes: Uint8Array, name: string): File {
	return new File([bytes as Uint8Array<ArrayBuffer>], name);
}
