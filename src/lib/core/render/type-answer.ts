/**
 * Anki's type-in-the-answer comparison: what was typed against the expected answer, character
 * by character, as Anki marks it — the typed text with its right characters `typeGood` and its
 * wrong ones `typeBad`, an arrow, then the expected answer with what was missed `typeMissed`.
 * Output is HTML (escaped text in spans) for the UI's sanitised card.
 */

const escape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Anki compares NFC text with runs of whitespace as one space; `nc:` also drops accents. */
export function normalizeTyped(text: string, ignoreCombining = false): string {
	let t = text.normalize('NFC').replace(/\s+/g, ' ').trim();
	if (ignoreCombining) t = t.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
	return t;
}

/** For each character of `a` and of `b`, whether it is part of a longest common subsequence. */
function commonMarks(a: string[], b: string[]): { inA: boolean[]; inB: boolean[] } {
	const n = a.length;
	const m = b.length;
	const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			table[i]![j] =
				a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
	const inA = new Array<boolean>(n).fill(false);
	const inB = new Array<boolean>(m).fill(false);
	for (let i = 0, j = 0; i < n && j < m;) {
		if (a[i] === b[j]) {
			inA[i++] = true;
			inB[j++] = true;
		} else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
		else j++;
	}
	return { inA, inB };
}

function runs(chars: string[], marks: boolean[], good: string, bad: string): string {
	let out = '';
	for (let i = 0; i < chars.length;) {
		const ok = marks[i];
		let j = i;
		while (j < chars.length && marks[j] === ok) j++;
		out += `<span class="${ok ? good : bad}">${escape(chars.slice(i, j).join(''))}</span>`;
		i = j;
	}
	return out;
}

/** The comparison as Anki shows it on the answer side. */
export function compareTypedAnswer(
	typed: string,
	expected: string,
	ignoreCombining = false
): string {
	const want = normalizeTyped(expected, ignoreCombining);
	const got = normalizeTyped(typed, ignoreCombining);
	if (got === '') return `<code id="typeans">${escape(want)}</code>`;
	if (got === want)
		return `<code id="typeans"><span class="typeGood">${escape(want)}</span></code>`;
	// Long answers are compared on their first 2,000 characters (the table is quadratic).
	const a = [...got].slice(0, 2000);
	const b = [...want].slice(0, 2000);
	const { inA, inB } = commonMarks(a, b);
	return (
		`<code id="typeans">${runs(a, inA, 'typeGood', 'typeBad')}` +
		`<br><span id="typearrow">&darr;</span><br>${runs(b, inB, 'typeGood', 'typeMissed')}</code>`
	);
}
