/** A deck file that cannot be read: the message says what is wrong and where. */
export class DeckFormatError extends Error {
	readonly file?: string;
	readonly line?: number;
	readonly entry?: string;
	/** Position of the note at fault in the deck (0-based), when a note is at fault. */
	readonly noteIndex?: number;
	/** The reason without the place. */
	readonly reason: string;

	constructor(
		reason: string,
		where: { file?: string; line?: number; entry?: string; noteIndex?: number } = {}
	) {
		const place = [where.file, where.line !== undefined ? `line ${where.line}` : undefined]
			.filter(Boolean)
			.join(', ');
		super(place ? `${place}: ${reason}` : reason);
		this.name = 'DeckFormatError';
		this.file = where.file;
		this.line = where.line;
		this.entry = where.entry;
		this.noteIndex = where.noteIndex;
		this.reason = reason;
	}
}

/**
 * Text from the file quoted in a message: control characters shown as "?", and cut to a length
 * a person reads, so a 500 KB line or a crafted heading cannot flood or forge the status line.
 */
export function excerpt(text: string, max = 60): string {
	// eslint-disable-next-line no-control-regex
	const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
	return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
