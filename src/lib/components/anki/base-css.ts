/**
 * What an Anki card looks like before its note type's CSS: Anki's reviewer defaults (images fit,
 * `.cloze` marked) in Recall's colours, the controls Recall adds (hint, replay), and night mode.
 * Adopted first in the card's shadow root, so the note type's CSS overrides any of it, except
 * `.nightMode.card`'s colours, which (as Anki does in night mode) turn a card the note type made
 * black-on-white into the app's dark surface unless the note type says what `.nightMode` is.
 */
export const BASE_CSS = `
:host { display: block; }
.anki-root { color: inherit; }
.card { overflow-wrap: anywhere; }
.card img { max-width: 100%; height: auto; }
.card p { margin: 0 0 0.5rem; }
.cloze { font-weight: 700; color: #0b3d91; background: #fff1b8; border-radius: 4px; padding: 0 0.2em; }
.nightMode .cloze, .nightMode.cloze { color: #ffe08a; background: #3d3414; }
.nightMode.card { color: var(--text, #e8eef4); background-color: transparent; }
hr.recall-sides { border: 0; border-top: 1px solid var(--border, #c9d1da); margin: 0.75rem 0; }
button.hint, button.replay-button, button.io-toggle-button {
	min-height: 48px; min-width: 48px; margin: 0.25rem; padding: 0 0.9rem;
	font: inherit; font-size: 1rem; border-radius: 10px; cursor: pointer;
	border: 1px solid var(--border, #c9d1da); background: var(--surface-2, #e6eaf0); color: var(--text, #14202c);
}
button.replay-button { border-radius: 999px; padding: 0; vertical-align: middle; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
button:focus-visible { outline: 3px solid var(--accent, #1f4e79); outline-offset: 2px; }
.tts-reason { color: var(--muted, #4d5b69); font-size: 0.85rem; }
audio.anki-sound { display: none; }
input.typeans {
	font: inherit; font-size: 1.1rem; width: 100%; max-width: 30rem; min-height: 48px; box-sizing: border-box;
	padding: 0.5rem 0.75rem; margin: 0.5rem 0; border-radius: 10px;
	border: 1px solid var(--border, #c9d1da); background: var(--bg, #fff); color: var(--text, #14202c);
}
#typeans, .typeans-result code { font-family: ui-monospace, monospace; font-size: 1.05rem; overflow-wrap: anywhere; }
.typeGood { background: #afa; color: black; }
.typeBad { background: #faa; color: black; }
.typeMissed { background: #ccc; color: black; }
#image-occlusion-container { position: relative; display: inline-block; max-width: 100%; }
#image-occlusion-container img { display: block; max-width: 100%; height: auto; }
#image-occlusion-canvas { display: none; }
svg.io-layer { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.io-masks-hidden svg.io-layer { display: none; }
.io-shape { stroke: #212121; stroke-width: 1.5px; }
.io-question { fill: #ff8e8e; }
.io-inactive { fill: #ffeba2; }
.io-answer { fill: none; stroke: #ff5d5d; stroke-width: 2.5px; }
img.latex { vertical-align: middle; }
.nightMode img.latex { filter: invert(1); }
mjx-container[jax="SVG"] { direction: ltr; display: inline-block; }
mjx-container[jax="SVG"] > svg { overflow: visible; min-height: 1px; min-width: 1px; }
mjx-container[jax="SVG"][display="true"] { display: block; text-align: center; margin: 1em 0; max-width: 100%; overflow-x: auto; overflow-y: hidden; }
`;
