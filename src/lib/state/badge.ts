/**
 * The installed app's icon shows the due count (Badging API), kept up to date by watching the
 * store (storage/due-watch.ts): after each answer, undo, sync or another tab's change. Cleared at
 * 0; nothing happens where the API does not exist.
 */
import { watchDue } from '$lib/storage/due-watch';
import { getDb, type RecallDb } from '$lib/storage/db';
import { deviceTimeZone, systemClock, type Clock } from './clock';

interface BadgeNavigator {
	setAppBadge?: (count?: number) => Promise<void>;
	clearAppBadge?: () => Promise<void>;
}

/** Whether this browser can badge the app icon. */
export function badgeSupported(nav: BadgeNavigator = navigator as BadgeNavigator): boolean {
	return typeof nav.setAppBadge === 'function';
}

/** Shows `count` on the icon, or clears it at 0. */
export async function showBadge(
	count: number,
	nav: BadgeNavigator = navigator as BadgeNavigator
): Promise<void> {
	if (!badgeSupported(nav)) return;
	try {
		if (count > 0) await nav.setAppBadge!(count);
		else if (typeof nav.clearAppBadge === 'function') await nav.clearAppBadge();
		else await nav.setAppBadge!(0);
	} catch {
		// Not allowed here (not installed, a permission policy): the badge is a nicety.
	}
}

let stop: (() => void) | undefined;

/** Starts badging (once per page); returns the stop. */
export function startBadge(db: () => RecallDb = getDb, clock: Clock = systemClock): () => void {
	if (!badgeSupported()) return () => {};
	stop ??= watchDue(
		db(),
		clock,
		deviceTimeZone(),
		(count) => void showBadge(count),
		(e) => console.warn('The app badge is no longer kept up to date:', e)
	);
	return () => {
		stop?.();
		stop = undefined;
	};
}
