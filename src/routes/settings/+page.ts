// Settings read IndexedDB on the device: rendered in the browser only.
export const prerender = false;
export const ssr = false;
