import type { Deck, Preset } from '../core/model';
import { DEFAULT_PRESET, createDefaultPreset, validatePreset } from '../core/scheduling/preset';
import type { RecallDb } from './db';

/** The default preset exists in every store; decks point to it until the user picks another. */
export async function ensureDefaultPreset(db: RecallDb): Promise<void> {
	if (!(await db.presets.get(DEFAULT_PRESET.id))) await db.presets.add(createDefaultPreset());
}

export async function getPreset(db: RecallDb, id: string): Promise<Preset> {
	return (
		(await db.presets.get(id)) ?? (await db.presets.get(DEFAULT_PRESET.id)) ?? createDefaultPreset()
	);
}

export async function listPresets(db: RecallDb): Promise<Preset[]> {
	await ensureDefaultPreset(db);
	const presets = await db.presets.toArray();
	// The default first, then by name.
	return presets.sort((a, b) =>
		a.id === DEFAULT_PRESET.id ? -1 : b.id === DEFAULT_PRESET.id ? 1 : a.name.localeCompare(b.name)
	);
}

const titleOrder = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * What the Settings page's presets section shows, read in one transaction: the presets (the
 * default first) and every deck with the preset it uses, by title. `decks` has no title index,
 * so the decks are sorted here, in memory.
 */
export async function readPresetSettings(
	db: RecallDb
): Promise<{ presets: Preset[]; decks: Deck[] }> {
	return db.transaction('rw', [db.presets, db.decks], async () => {
		const presets = await listPresets(db);
		const decks = await db.decks.toArray();
		decks.sort((a, b) => titleOrder.compare(a.title, b.title));
		return { presets, decks };
	});
}

export class PresetError extends Error {}

/** Saves a preset after validating it; throws PresetError with every problem in words. */
export async function savePreset(db: RecallDb, preset: Preset): Promise<void> {
	const errors = validatePreset(preset);
	if (errors.length) throw new PresetError(errors.join('. ') + '.');
	await db.presets.put(preset);
}

/** Deletes a preset; its decks go back to the default preset. The default cannot be deleted. */
export async function deletePreset(db: RecallDb, id: string): Promise<void> {
	if (id === DEFAULT_PRESET.id) throw new PresetError('The default preset cannot be deleted.');
	await db.transaction('rw', [db.presets, db.decks], async () => {
		await db.decks.filter((d) => d.presetId === id).modify({ presetId: DEFAULT_PRESET.id });
		await db.presets.delete(id);
	});
}
