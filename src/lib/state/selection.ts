/**
 * The browser's selection as immutable snapshots: each change makes a new set, kept in a
 * `$state.raw` field. A reactive SvelteSet would track 100 000 ids one by one on "select all";
 * a snapshot is one signal, and rows read it with `has`.
 */
export type Selection = ReadonlySet<string>;

export const NOTHING: Selection = new Set();

export function selectionOf(ids: Iterable<string>): Selection {
	return new Set(ids);
}

/** `selected` with `ids` added (`on`) or removed. */
export function withIds(selected: Selection, ids: readonly string[], on: boolean): Selection {
	const next = new Set(selected);
	for (const id of ids) {
		if (on) next.add(id);
		else next.delete(id);
	}
	return next;
}

/** Only the selected ids that are still among `present` (after a new search). */
export function within(selected: Selection, present: readonly string[]): Selection {
	const keep = new Set(present);
	return new Set([...selected].filter((id) => keep.has(id)));
}
