import type { Preset } from '../core/model';
import { DEFAULT_PRESET } from '../core/scheduling/preset';
import type { RecallDb } from './db';

/** The default preset exists in every store; decks point to it until the user picks another. */
export async function ensureDefaultPreset(db: RecallDb): Promise<void> {
	if (!(await db.presets.get(DEFAULT_PRESET.id))) await db.presets.add({ ...DEFAULT_PRESET });
}

export async function getPreset(db: RecallDb, id: string): Promise<Preset> {
	return (await db.presets.get(id)) ?? (await db.presets.get(DEFAULT_PRESET.id)) ?? DEFAULT_PRESET;
}
