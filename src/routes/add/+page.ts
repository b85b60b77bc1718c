// Adding notes and managing decks reads and writes IndexedDB: rendered in the browser only,
// served by the static fallback page (the root layout prerenders; this page must not).
export const prerender = false;
export const ssr = false;
