import { unzipSync, type UnzipFileInfo } from 'fflate';
import { ImportError, displayName } from '../bundle';
import type { ByteBudget, ImportLimits } from '../limits';

/**
 * A zip read in two passes: the central directory is listed first (nothing decompressed) so
 * entry count and names can be checked, then only the members asked for are decompressed, each
 * charged to the byte budget from its declared size before fflate allocates it.
 */
export interface ZipArchive {
	names(): string[];
	has(name: string): boolean;
	read(names: string[]): Map<string, Uint8Array>;
}

export function isZip(bytes: Uint8Array): boolean {
	// A local file header, or the end record of an empty archive.
	return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

export function openZip(
	bytes: Uint8Array,
	file: string,
	limits: ImportLimits,
	budget: ByteBudget
): ZipArchive {
	const entries = new Map<string, UnzipFileInfo>();
	unzip(bytes, file, (info) => {
		if (entries.size >= limits.maxEntries) {
			throw new ImportError(
				`the package lists more than ${limits.maxEntries.toLocaleString('en')} files; it is damaged or not an Anki package`,
				{ file }
			);
		}
		checkEntryName(info.name, file);
		entries.set(info.name, info);
		return false;
	});
	return {
		names: () => [...entries.keys()],
		has: (name) => entries.has(name),
		read(names) {
			const wanted = new Set<string>();
			for (const name of names) {
				const info = entries.get(name);
				if (!info) continue;
				if (info.compression !== 0 && info.compression !== 8) {
					throw new ImportError(
						`it uses zip compression method ${info.compression}, which Anki never writes`,
						{ file, entry: name }
					);
				}
				// A stored member is copied as is: its size is its compressed size, whatever it claims.
				budget.claim(info.compression === 0 ? info.size : info.originalSize, name);
				wanted.add(name);
			}
			const out = unzip(bytes, file, (info) => wanted.has(info.name));
			return new Map(Object.entries(out));
		}
	};
}

function unzip(
	bytes: Uint8Array,
	file: string,
	filter: (info: UnzipFileInfo) => boolean
): Record<string, Uint8Array> {
	try {
		return unzipSync(bytes, { filter });
	} catch (cause) {
		if (cause instanceof ImportError) throw cause;
		throw new ImportError('the zip file is damaged or incomplete (was the download cut short?)', {
			file,
			cause,
			advice: 'Download or copy the file again in full, then import it.'
		});
	}
}

/**
 * Members are never written to disk, but a name that climbs out of its folder, is absolute or
 * carries control characters only appears in crafted archives: refuse the package outright.
 */
export function checkEntryName(name: string, file: string): void {
	const segments = name.split(/[\\/]/);
	const unsafe =
		name.length === 0 ||
		name.length > 1024 ||
		/^[\\/]/.test(name) ||
		/^[a-zA-Z]:/.test(name) ||
		// eslint-disable-next-line no-control-regex
		/[\u0000-\u001f\u007f]/.test(name) ||
		segments.includes('..');
	if (unsafe) {
		throw new ImportError(`the package contains an unsafe file name ${displayName(name)}`, {
			file
		});
	}
}
