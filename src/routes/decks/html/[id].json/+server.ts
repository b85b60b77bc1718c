import { error, json } from '@sveltejs/kit';
import { builtinDeckHtml, builtinDecks } from '$lib/server/builtin-decks';
import type { EntryGenerator, RequestHandler } from './$types';

// The built-in deck's cards rendered at build time (note id → NoteHtml), stored with the notes
// so the study screen needs neither marked nor the sanitizer. Beside the deck JSON, not in it:
// the deck format stays as it is.
export const prerender = true;

export const entries: EntryGenerator = () => builtinDecks().map((d) => ({ id: d.id }));

export const GET: RequestHandler = ({ params }) => {
	const html = builtinDeckHtml(params.id);
	if (!html) error(404, `No built-in deck "${params.id}"`);
	return json(html);
};
