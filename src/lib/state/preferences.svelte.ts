/**
 * Preferences of this device (not of the collection): how grading feels in the hand. Kept in
 * localStorage so the study screen renders the right buttons on its first frame.
 */
export interface Preferences {
	/** Again / Good only. FSRS schedules well from two grades; Hard is easy to misuse as a fail. */
	twoButtons: boolean;
	/** Swipe right Good, left Again. */
	swipe: boolean;
	/** Swipe up Easy, down Hard too (off: a vertical drag scrolls the card). */
	verticalSwipe: boolean;
	/** A short vibration on grading, where the device has one. */
	haptics: boolean;
	/** Imported Anki cards play their sounds when a side is shown (as Anki, on by default). */
	autoplayAudio: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
	twoButtons: false,
	swipe: true,
	verticalSwipe: false,
	haptics: true,
	autoplayAudio: true
};

const KEY = 'recall.preferences';

function load(): Preferences {
	try {
		const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
		if (!raw) return { ...DEFAULT_PREFERENCES };
		const parsed = JSON.parse(raw) as Partial<Preferences>;
		return {
			twoButtons: parsed.twoButtons === true,
			swipe: parsed.swipe !== false,
			verticalSwipe: parsed.verticalSwipe === true,
			haptics: parsed.haptics !== false,
			autoplayAudio: parsed.autoplayAudio !== false
		};
	} catch {
		return { ...DEFAULT_PREFERENCES };
	}
}

class PreferencesState {
	#value = $state<Preferences>(load());

	get twoButtons() {
		return this.#value.twoButtons;
	}
	get swipe() {
		return this.#value.swipe;
	}
	get verticalSwipe() {
		return this.#value.verticalSwipe;
	}
	get haptics() {
		return this.#value.haptics;
	}
	get autoplayAudio() {
		return this.#value.autoplayAudio;
	}

	set(change: Partial<Preferences>): void {
		this.#value = { ...this.#value, ...change };
		try {
			localStorage.setItem(KEY, JSON.stringify(this.#value));
		} catch {
			// Private mode or a full quota: the preference lasts for this visit only.
		}
	}
}

export const preferences = new PreferencesState();
