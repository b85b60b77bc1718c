import { error, json } from '@sveltejs/kit';
import { builtinDecks } from '$lib/server/builtin-decks';
import type { EntryGenerator, RequestHandler } from './$types';

export const prerender = true;

export const entries: EntryGenerator = () => builtinDecks().map((d) => ({ id: d.id }));

export const GET: RequestHandler = ({ params }) => {
	const deck = builtinDecks().find((d) => d.id === params.id);
	if (!deck) error(404, `No built-in deck "${params.id}"`);
	return json(deck);
};
