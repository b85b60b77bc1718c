// The import page works on the device's store and a worker: rendered in the browser only.
export const prerender = false;
export const ssr = false;
