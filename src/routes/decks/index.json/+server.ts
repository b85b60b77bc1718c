import { json } from '@sveltejs/kit';
import { builtinDeckIndex } from '$lib/server/builtin-decks';

export const prerender = true;

export function GET() {
	return json(builtinDeckIndex());
}
