import { ImportError, displayName, type ImportedMedia } from '../bundle';
import type { ByteBudget } from '../limits';
import { ProtoMessage } from './protobuf';
import type { ZipArchive } from './zip';
import { ZstdFormatError, decompressZstd, isZstd } from './zstd';

/**
 * Package media: the `media` member maps zip member names ("0", "1", …) to real file names. Legacy
 * packages write it as JSON; the latest as a zstd-compressed protobuf list whose position is the
 * member name, with each member zstd-compressed too.
 */
export interface MediaIndexEntry {
	member: string;
	name: string;
}

/** MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { name = 1; legacy_zip_filename = 255 } */
const MediaEntries = { entries: 1 } as const;
const MediaEntry = { name: 1, legacyZipName: 255 } as const;

export function readMediaIndex(bytes: Uint8Array, latest: boolean): MediaIndexEntry[] {
	if (latest) {
		return ProtoMessage.decode(bytes)
			.messages(MediaEntries.entries)
			.map((entry, i) => ({
				member: String(
					entry.has(MediaEntry.legacyZipName) ? entry.int(MediaEntry.legacyZipName) : i
				),
				name: entry.string(MediaEntry.name)
			}));
	}
	const text = new TextDecoder().decode(bytes).trim();
	const map: unknown = text === '' ? {} : JSON.parse(text);
	if (typeof map !== 'object' || map === null || Array.isArray(map)) {
		throw new SyntaxError('the media list is not a JSON object');
	}
	return Object.entries(map).map(([member, name]) => ({ member, name: String(name) }));
}

/**
 * A media name comes from the file, so it is reduced to a bare file name: folders are dropped,
 * and names that climb folders (`..`), carry control characters or are absurdly long are refused.
 */
export function sanitizeMediaName(name: string): string | undefined {
	const normal = name.normalize('NFC');
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(normal)) return undefined;
	const segments = normal.split(/[\\/]/);
	if (segments.includes('..')) return undefined;
	const base = segments.at(-1) ?? '';
	if (base === '' || base === '.' || base.length > 255) return undefined;
	return base;
}

const TYPES: Record<string, string> = {
	avif: 'image/avif',
	bmp: 'image/bmp',
	gif: 'image/gif',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	png: 'image/png',
	svg: 'image/svg+xml',
	webp: 'image/webp',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	flac: 'audio/flac',
	m4a: 'audio/mp4',
	mp3: 'audio/mpeg',
	oga: 'audio/ogg',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	wav: 'audio/wav',
	mp4: 'video/mp4',
	webm: 'video/webm',
	css: 'text/css',
	js: 'text/javascript',
	otf: 'font/otf',
	ttf: 'font/ttf',
	woff: 'font/woff',
	woff2: 'font/woff2'
};

export function mediaType(name: string): string {
	const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
	return TYPES[ext] ?? 'application/octet-stream';
}

export function extractMedia(
	archive: ZipArchive,
	index: MediaIndexEntry[],
	place: { latest: boolean; budget: ByteBudget; warnings: string[] }
): ImportedMedia[] {
	const { latest, budget, warnings } = place;
	const wanted: MediaIndexEntry[] = [];
	const seen = new Set<string>();
	for (const entry of index) {
		const name = sanitizeMediaName(entry.name);
		if (name === undefined) {
			warnings.push(`Media file ${displayName(entry.name)} has an unsafe name and was skipped.`);
		} else if (!seen.has(name)) {
			seen.add(name);
			wanted.push({ member: entry.member, name });
		}
	}
	const members = archive.read(wanted.map((entry) => entry.member));
	const media: ImportedMedia[] = [];
	let missing = 0;
	for (const { member, name } of wanted) {
		let data = members.get(member);
		if (!data) {
			missing++;
			continue;
		}
		if (latest && isZstd(data)) {
			try {
				data = decompressZstd(data, (bound, peak) => budget.claim(bound, name, peak));
			} catch (error) {
				if (!(error instanceof ZstdFormatError)) throw error;
				warnings.push(`Media file ${displayName(name)} is damaged and was skipped.`);
				continue;
			}
		}
		media.push({ name, type: mediaType(name), data });
	}
	if (missing > 0)
		warnings.push(`${missing} media files listed by the package are missing from it.`);
	return media;
}

export function mediaIndexError(cause: unknown, file: string): ImportError {
	return new ImportError('the list of media files is damaged', { file, entry: 'media', cause });
}
