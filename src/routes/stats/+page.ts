// Statistics read IndexedDB on the device: rendered in the browser only (served by 200.html).
export const prerender = false;
export const ssr = false;
