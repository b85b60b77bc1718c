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
