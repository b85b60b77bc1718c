import type { PageLoad } from './$types';

// Study reads IndexedDB on the device: served by the static fallback page, rendered in the browser.
export const prerender = false;
export const ssr = false;

export const load: PageLoad = ({ params }) => ({ deckId: params.deck });
