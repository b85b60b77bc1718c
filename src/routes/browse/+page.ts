import type { PageLoad } from './$types';

// The browser reads IndexedDB on the device: served by the static fallback page, rendered in the
// browser only (the root layout prerenders; this page must not run during that).
export const prerender = false;
export const ssr = false;

export const load: PageLoad = ({ url }) => ({ query: url.searchParams.get('q') ?? '' });
