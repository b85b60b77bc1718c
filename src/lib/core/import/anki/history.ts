import type { RevlogEntry } from '../../model';

/**
 * Each card's reviews, oldest first: the input for replaying history through ts-fsrs to rebuild
 * memory state (for the cards listed in `ImportBundle.cardsToReplay`, and for the revlog's own
 * stability/difficulty columns, which the importer leaves at 0).
 */
export function historyByCard(revlog: readonly RevlogEntry[]): Map<string, RevlogEntry[]> {
	const byCard = new Map<string, RevlogEntry[]>();
	for (const entry of revlog) {
		const list = byCard.get(entry.cardId);
		if (list) list.push(entry);
		else byCard.set(entry.cardId, [entry]);
	}
	for (const list of byCard.values()) list.sort((a, b) => a.reviewedAt - b.reviewedAt);
	return byCard;
}
