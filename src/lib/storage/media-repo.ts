/**
 * Images the user adds to notes (from the camera or a file), stored as Blobs in the media table
 * under a generated name that is safe in HTML and URLs; fields refer to them as
 * `<img src="name">` and the UI resolves the name to a blob: URL when it renders the card.
 */
import type { RecallDb } from './db';
import { randomId } from './ids';

/** Larger files would bloat the store (and most phones take 3–12 MB photos: shrink first). */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'image/avif': 'avif',
	'image/svg+xml': 'svg'
};

export class MediaError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MediaError';
	}
}

/** Stores an image and returns its name. SVG is refused: it can carry scripts. */
export async function saveImage(db: RecallDb, file: Blob): Promise<string> {
	const ext = EXTENSIONS[file.type];
	if (!ext || ext === 'svg') {
		throw new MediaError('Only photos and pictures (JPEG, PNG, GIF, WebP, AVIF) can be added.');
	}
	if (file.size > MAX_MEDIA_BYTES) throw new MediaError('This image is larger than 20 MB.');
	const name = `img-${randomId(16)}.${ext}`;
	await db.media.add({ name, type: file.type, data: file });
	return name;
}

/** Media names a piece of HTML refers to (`src="…"` of images, audio and sources). */
export function mediaNames(html: string): string[] {
	const names = new Set<string>();
	for (const m of html.matchAll(/<(?:img|audio|source)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi)) {
		const src = m[1] as string;
		// Only names in the media store: not URLs, data: or blob: links.
		if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) names.add(safeDecode(src));
	}
	return [...names];
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

export async function loadMedia(
	db: RecallDb,
	names: readonly string[]
): Promise<Map<string, Blob>> {
	const files = await db.media.bulkGet([...names]);
	return new Map(files.filter((f) => f !== undefined).map((f) => [f.name, f.data]));
}
