// The shell and the deck list are prerendered so the first paint needs neither JavaScript nor
// IndexedDB; routes that read the store on the device opt out of server rendering.
export const prerender = true;
export const trailingSlash = 'never';
