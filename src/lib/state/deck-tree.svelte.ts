/**
 * Which parent decks the deck list shows collapsed (their subdecks hidden), remembered on this
 * device in localStorage; and the "Done for today · next in 3 h" wording.
 */

import { isWithinDeck } from '$lib/core/decks/deck-title';

const KEY = 'recall.collapsed-decks';

function read(): string[] {
	try {
		const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

export class DeckTree {
	/** Ids of the collapsed decks. */
	collapsed = $state<string[]>(read());

	isCollapsed(id: string): boolean {
		return this.collapsed.includes(id);
	}

	toggle(id: string): void {
		this.collapsed = this.isCollapsed(id)
			? this.collapsed.filter((c) => c !== id)
			: [...this.collapsed, id];
		try {
			localStorage.setItem(KEY, JSON.stringify(this.collapsed));
		} catch {
			// Private mode with storage off: collapsing still works for this visit.
		}
	}

	/** Whether a deck is hidden because one of its ancestors is collapsed. */
	hidden(title: string, decks: readonly { id: string; title: string }[]): boolean {
		return decks.some(
			(d) => this.isCollapsed(d.id) && title !== d.title && isWithinDeck(title, d.title)
		);
	}
}

export const deckTree = new DeckTree();

/** "in 5 min", "in 3 h", "in 2 days": how long until `next`, rounded up, as the list says it. */
export function timeUntil(next: number, now: number): string {
	const minutes = Math.max(1, Math.ceil((next - now) / 60_000));
	if (minutes < 60) return `in ${minutes} min`;
	const hours = Math.round(minutes / 60);
	if (hours < 48) return `in ${hours} h`;
	return `in ${Math.round(hours / 24)} days`;
}
