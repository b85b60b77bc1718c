/**
 * The one place the app reads the wall clock. Core functions take `now` as an argument; state
 * classes ask this clock, so tests can pass a fixed one.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** The device's time zone, for study-day boundaries. */
export function deviceTimeZone(): string | undefined {
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone;
	} catch {
		return undefined;
	}
}
