/** How the browser's columns and the card info panel write due dates, intervals and recall. */
import { CardState, Queue } from '$lib/core/model';
import { formatDays, formatInterval } from '$lib/core/scheduling/format';
import type { BrowseRow } from '$lib/core/search';

import { formatDate } from '$lib/core/format/dates';
export { formatDate, formatDateTime } from '$lib/core/format/dates';

/** "New", "in 10m" for (re)learning cards, the date for reviews. */
export function dueText(row: Pick<BrowseRow, 'state' | 'due'>, now: number): string {
	if (row.state === CardState.New) return 'New';
	if (row.state === CardState.Review) return formatDate(row.due);
	return row.due <= now ? 'Now' : `in ${formatInterval(row.due - now)}`;
}

/** Why a card is out of the queue, or ''. */
export function heldText(queue: Queue): string {
	if (queue === Queue.Suspended) return 'Suspended';
	if (queue === Queue.Buried) return 'Buried';
	return '';
}

export function intervalText(row: Pick<BrowseRow, 'state' | 'interval'>): string {
	return row.state === CardState.New || row.interval <= 0 ? '—' : formatDays(row.interval);
}

export function percent(r: number | null): string {
	return r === null ? '—' : `${Math.round(r * 100)}%`;
}

export const RATING_NAMES = ['Manual', 'Again', 'Hard', 'Good', 'Easy'] as const;
export const STATE_NAMES = ['New', 'Learning', 'Review', 'Relearning'] as const;
