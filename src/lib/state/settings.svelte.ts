/**
 * The settings page: presets (scheduling options shared by decks), which deck uses which preset,
 * and rescheduling cards after a change that moves due dates.
 */
import type { Deck, Preset } from '$lib/core/model';
import { createDefaultPreset } from '$lib/core/scheduling/preset';
import { getDb, type RecallDb } from '$lib/storage/db';
import { deletePreset, PresetError, readPresetSettings, savePreset } from '$lib/storage/presets';
import { setDeckPreset } from '$lib/storage/deck-repo';

export class SettingsState {
	presets = $state.raw<Preset[]>([]);
	decks = $state.raw<Deck[]>([]);
	selectedId = $state('default');
	loaded = $state(false);
	/** Why the presets could not be read, in words; '' when they were. */
	loadError = $state('');
	/** Outcome of the last action, for the status region. */
	message = $state('');
	error = $state('');
	readonly #db: () => RecallDb;

	constructor(db: () => RecallDb = getDb) {
		this.#db = db;
	}

	get selected(): Preset | undefined {
		return this.presets.find((p) => p.id === this.selectedId);
	}

	/** Reads the presets and decks; a failure becomes `loadError`, never a missing section. */
	async load(): Promise<boolean> {
		try {
			const { presets, decks } = await readPresetSettings(this.#db());
			this.presets = presets;
			this.decks = decks;
			if (!this.selected) this.selectedId = this.presets[0]?.id ?? 'default';
			this.loaded = true;
			this.loadError = '';
			return true;
		} catch (e) {
			const reason = e instanceof Error && e.message ? ` (${e.message})` : '';
			this.loadError = `The presets could not be read from this device's storage${reason}. Reload the page to try again; if it keeps failing, run Check database below.`;
			return false;
		}
	}

	async #run(action: () => Promise<void>, done: string): Promise<boolean> {
		this.error = '';
		try {
			await action();
			await this.load();
			this.message = done;
			return true;
		} catch (e) {
			this.message = '';
			this.error = e instanceof PresetError || e instanceof Error ? e.message : String(e);
			return false;
		}
	}

	/** Saves a preset. Returns whether due dates may have moved (retention or parameters changed). */
	async save(preset: Preset): Promise<{ saved: boolean; affectsDueDates: boolean }> {
		const before = this.presets.find((p) => p.id === preset.id);
		const saved = await this.#run(() => savePreset(this.#db(), preset), `Saved “${preset.name}”.`);
		const affectsDueDates =
			!!before &&
			(before.desiredRetention !== preset.desiredRetention ||
				before.maximumInterval !== preset.maximumInterval ||
				before.weights.join() !== preset.weights.join());
		return { saved, affectsDueDates: saved && affectsDueDates };
	}

	async create(name: string): Promise<void> {
		const id = `preset-${crypto.randomUUID()}`;
		const base = this.selected ?? createDefaultPreset();
		const ok = await this.#run(
			() => savePreset(this.#db(), { ...structuredClone($state.snapshot(base)), id, name }),
			`Created “${name}”.`
		);
		if (ok) this.selectedId = id;
	}

	async remove(id: string): Promise<void> {
		const name = this.presets.find((p) => p.id === id)?.name ?? id;
		await this.#run(
			() => deletePreset(this.#db(), id),
			`Deleted “${name}”; its decks use Default.`
		);
		this.selectedId = 'default';
	}

	async assign(deckId: string, presetId: string): Promise<void> {
		const deck = this.decks.find((d) => d.id === deckId);
		await this.#run(
			async () => {
				await setDeckPreset(this.#db(), deckId, presetId);
			},
			`“${deck?.title ?? deckId}” now uses ${this.presets.find((p) => p.id === presetId)?.name}.`
		);
	}
}
