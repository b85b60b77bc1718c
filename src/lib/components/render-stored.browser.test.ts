/**
 * Card HTML stored at write time (core/render/prepare.ts → note.html) must show exactly what
 * rendering and sanitizing the card when shown gives: for every built-in note and every note of
 * the shared corpus, both ways, compared as parsed DOM (the browser's own HTML parser).
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { parseMarkdownDeck } from '$lib/core/decks/markdown-deck';
import { noteOrdinals, noteRecords } from '$lib/core/decks/records';
import { importAnki } from '$lib/core/import/anki/package';
import type { Note } from '$lib/core/model';
import { renderCard } from '$lib/core/render/card';
import { prepareNoteHtml, withNoteHtml } from '$lib/core/render/prepare';
import { safeCardHtml } from '$lib/core/render/safe-html';
import { cardWithoutRenderer, resolveMediaSrc, storedCard } from '$lib/core/render/stored';
import { loadSqlJs } from '$lib/workers/sql-wasm';
import { sanitizeCardHtml } from './card-html';

const deckFiles = import.meta.glob('/decks/*.md', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

/** Every picture name resolves (as a media store that holds them all). */
const media = (name: string) => `blob:${location.origin}/${encodeURIComponent(name)}`;

function parsed(html: string): DocumentFragment {
	const t = document.createElement('template');
	t.innerHTML = html;
	return t.content;
}

/** Both ways for one card: [sanitized when shown, stored] (stored: null when not stored). */
function bothWays(note: Note, ord: number) {
	const r = renderCard(note, { ord });
	const now = { front: sanitizeCardHtml(r.front, media), back: sanitizeCardHtml(r.back, media) };
	const stored = storedCard(withNoteHtml(note), { ord });
	const then = stored && {
		front: resolveMediaSrc(stored.front, media),
		back: resolveMediaSrc(stored.back, media)
	};
	return { r, now, then, stored };
}

function expectSame(note: Note, ord: number): boolean {
	const { r, now, then, stored } = bothWays(note, ord);
	if (!then || !stored) return false;
	for (const side of ['front', 'back'] as const) {
		const a = parsed(now[side]);
		const b = parsed(then[side]);
		// The markup as the parser sees it, for a readable failure; then node by node.
		const show = (f: DocumentFragment) => [...f.childNodes].map(serialize).join('');
		expect(show(b), `${note.id} card ${ord} ${side}`).toBe(show(a));
		expect(b.isEqualNode(a), `${note.id} card ${ord} ${side}`).toBe(true);
	}
	expect(stored.backReplacesFront).toBe(r.backReplacesFront);
	expect(stored.source).toBe(r.source);
	return true;
}

function serialize(node: Node): string {
	const box = document.createElement('div');
	box.append(node.cloneNode(true));
	return box.innerHTML;
}

describe('stored card HTML renders as the sanitized card', () => {
	it('every card of every built-in deck, and every one of them is stored', () => {
		let cards = 0;
		for (const [path, text] of Object.entries(deckFiles)) {
			const deck = parseMarkdownDeck(text, path.slice(1));
			for (const note of noteRecords(deck, 0)) {
				for (const ord of noteOrdinals(note)) {
					expect(expectSame(note, ord), `${note.id} card ${ord} is stored`).toBe(true);
					cards++;
				}
			}
		}
		expect(cards).toBeGreaterThan(100);
	});

	it('every field of the shared corpus (real Anki notes) as a Recall note, both ways', async () => {
		const files = [
			'anki/newly-learned-words-anki21b.apkg',
			'anki/ankipandas-collection-schema11.anki2',
			'anki/ankipandas-collection-schema15.anki2'
		];
		const sql = await loadSqlJs();
		let compared = 0;
		let read = 0;
		for (const file of files) {
			let base64: string;
			try {
				base64 = await commands.readFile(`../shared/corpus/${file}`, 'base64');
			} catch (e) {
				console.warn(`Skipping ${file}: the shared corpus is absent (${String(e)}).`);
				continue;
			}
			read++;
			const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
			const bundle = importAnki(bytes, { fileName: file, now: Date.UTC(2026, 0, 1), sql });
			for (const anki of bundle.notes) {
				// The Anki note itself has no stored HTML (its templates render it, on demand)…
				expect(prepareNoteHtml(anki)).toBeUndefined();
				expect(cardWithoutRenderer(anki, { ord: 0 }, null)?.anki).toBeUndefined();
				// …and its fields, as a Recall basic note, go through both paths.
				const values = Object.values(anki.fields);
				const note: Note = {
					...anki,
					type: 'basic',
					fields: { front: values[0] ?? '', back: values.slice(1).join('\n\n') }
				};
				const { now } = bothWays(note, 0);
				if (expectSame(note, 0)) compared++;
				// Not stored: then the sanitized card is what is shown, as before.
				else expect(now.front.length + now.back.length).toBeGreaterThanOrEqual(0);
			}
		}
		if (read === 0) console.warn('The shared corpus is absent: no corpus note was compared.');
		else expect(compared).toBeGreaterThan(0);
	});

	it('refuses what the sanitizer would change, and keeps what it would keep', () => {
		const kept = [
			'<p>Plain <em>words</em> &amp; <strong>more</strong></p>',
			'<p><a href="https://example.org/a?b=1&amp;c=2">link</a></p>',
			'<p><img src="picture%201.png" alt="A picture"></p>',
			'<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
			'<pre><code class="language-js">a &lt; b\n</code></pre>',
			'<p><span class="cloze">[...]</span></p>'
		];
		for (const html of kept) {
			const safe = safeCardHtml(html);
			expect(safe, html).not.toBeNull();
			expect(parsed(safe!).isEqualNode(parsed(sanitizeCardHtml(html)))).toBe(true);
			// Applied again (as every stored card is when it is read), nothing changes.
			expect(safeCardHtml(safe!)).toBe(safe);
		}
		const refused = [
			'<p onclick="x()">a</p>',
			'<img src="x" onerror="alert(1)">',
			'<script>alert(1)</script>',
			'<p><a href="javascript:alert(1)">a</a></p>',
			'<p><a href="java\tscript:alert(1)">a</a></p>',
			'<p><a href="JAVASCRIPT:alert(1)">a</a></p>',
			'<p><img src="https://tracker.example/p.png"></p>',
			'<p><img src="//tracker.example/p.png"></p>',
			'<p style="color:red">a</p>',
			'<iframe src="x"></iframe>',
			'<p>a <!-- b --> c</p>',
			'<svg><script>alert(1)</script></svg>',
			'<input type="checkbox" checked="" disabled="">',
			'<p>unclosed',
			'<p>a</p></div>',
			'<p>a > b</p>',
			'<p>&unknown; entity</p>',
			'<a href="x" target="_top">a</a>',
			'<div class="x" class="y">a</div>'
		];
		for (const html of refused) expect(safeCardHtml(html), html).toBeNull();
	});
});
