// Attributes the bytes of a built JavaScript chunk to the packages they came from, with the
// chunk's source map (the bench build writes hidden source maps: `.map` files beside chunks that
// are otherwise those of a normal build, with no sourceMappingURL comment added). Every
// generated character belongs to the source of the mapping segment it sits in; characters
// before a line's first segment, or in a segment without a source, go to the module around
// them (see charsBySource).

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
function decodeSegment(text) {
	const fields = [];
	let value = 0;
	let shift = 0;
	for (const ch of text) {
		const digit = B64_VALUE.get(ch);
		if (digit === undefined) throw new Error(`Bad VLQ character ${ch}`);
		value += (digit & 31) << shift;
		if (digit & 32) {
			shift += 5;
		} else {
			const negative = value & 1;
			value >>>= 1;
			fields.push(negative ? -value : value);
			value = 0;
			shift = 0;
		}
	}
	return fields;
}

/**
 * Characters of `code` per source index (-1: bundler glue). A segment without a source (code the
 * compiler generated, e.g. a Svelte component's template string) counts for the source of the
 * segment before it on the line, and a line's leading characters for its first source: both
 * belong to the module being emitted. Only lines without any source are glue.
 * @param {string} code the generated file
 * @param {{ mappings: string }} map its source map
 * @returns {Map<number, number>}
 */
export function charsBySource(code, map) {
	const lines = code.split('\n');
	const counts = new Map();
	const add = (source, n) => {
		if (n > 0) counts.set(source, (counts.get(source) ?? 0) + n);
	};
	let source = 0;
	const mappingLines = map.mappings.split(';');
	lines.forEach((line, i) => {
		const segments = (mappingLines[i] ?? '').split(',').filter(Boolean);
		let column = 0;
		const starts = [];
		for (const seg of segments) {
			const f = decodeSegment(seg);
			column += f[0];
			if (f.length >= 4) source += f[1];
			starts.push([column, f.length >= 4 ? source : null]);
		}
		starts.sort((a, b) => a[0] - b[0]);
		const first = starts.find(([, src]) => src !== null)?.[1] ?? -1;
		add(first, (starts[0]?.[0] ?? line.length) + 1); // leading characters and the newline
		let current = first;
		starts.forEach(([col, src], k) => {
			if (src !== null) current = src;
			const end = k + 1 < starts.length ? starts[k + 1][0] : line.length;
			add(current, Math.max(0, Math.min(end, line.length) - col));
		});
	});
	return counts;
}

/**
 * Which package or part of the app a source path belongs to.
 * @param {string} source a `sources` entry of a source map
 */
export function packageOf(source) {
	const nm = source.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const parts = source.slice(nm + 'node_modules/'.length).split('/');
		const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
		return name;
	}
	if (source.includes('virtual:pwa-register')) return 'vite-plugin-pwa';
	if (/(^|\/)generated\//.test(source)) return '@sveltejs/kit';
	const src = source.indexOf('src/');
	if (src >= 0) return `app:${source.slice(src)}`;
	return 'other';
}

/** The budget's groups: the framework floor, the two libraries, the app, everything else. */
export function groupOf(pkg) {
	if (['svelte', '@sveltejs/kit', 'devalue', 'esm-env', 'clsx', 'set-cookie-parser'].includes(pkg))
		return 'Svelte + SvelteKit';
	if (pkg === 'dexie') return 'Dexie';
	if (pkg === 'ts-fsrs') return 'ts-fsrs';
	if (pkg.startsWith('app:')) return 'app code (src/)';
	if (pkg === '(glue)' || pkg === '(no map)') return 'bundler runtime';
	return pkg;
}
