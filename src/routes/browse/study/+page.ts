import type { PageLoad } from './$types';

// A filtered study session reads IndexedDB: rendered in the browser only (see /browse).
export const prerender = false;
export const ssr = false;

export const load: PageLoad = ({ url }) => ({ query: url.searchParams.get('q') ?? '' });
