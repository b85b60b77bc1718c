/**
 * Ids for records the user creates. `crypto.getRandomValues` works on plain http too (a phone
 * opening the app from a LAN address), where `crypto.randomUUID` does not exist.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function randomId(length = 12): string {
	const bytes = crypto.getRandomValues(new Uint8Array(length));
	return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A readable, URL-safe slug of a title ("Red Army::Ranks" → "red-army-ranks"), at most 32 characters. */
export function slug(title: string): string {
	return (
		title
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 32)
			.replace(/-+$/, '') || 'deck'
	);
}
