/** The cloze buttons: wrap the selected text in `{{cN::…}}`, as Anki's editor does. */
import { clozeOrdinals } from '$lib/core/render/cloze';

/** The number a new cloze gets: one past the highest, or the highest again (same card). */
export function clozeNumber(text: string, same: boolean): number {
	const highest = Math.max(0, ...clozeOrdinals(text));
	return same ? Math.max(1, highest) : highest + 1;
}

/**
 * `text` with the selection [start, end) wrapped; the caret goes after the wrapped words, or
 * inside the empty cloze when nothing was selected.
 */
export function wrapCloze(
	text: string,
	start: number,
	end: number,
	same = false
): { text: string; caret: number } {
	const [from, to] = start <= end ? [start, end] : [end, start];
	const n = clozeNumber(text, same);
	const open = `{{c${n}::`;
	const inner = text.slice(from, to);
	const wrapped = `${open}${inner}}}`;
	return {
		text: text.slice(0, from) + wrapped + text.slice(to),
		caret: inner ? from + wrapped.length : from + open.length
	};
}
