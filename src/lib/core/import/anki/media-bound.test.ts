/**
 * Issue 17 item 1: current-format packages write each media file as a zstd frame without a
 * content size and with a 2 MiB window. The window is working memory for one file, so a package
 * of hundreds of such files must import; bombs must still be refused.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../bundle';
import { BASIC, DECK, buildCollection, latestPackage } from '../testing/anki-fixtures';
import { NOW } from '../testing/anki-scenario';
import { loadSqlJs } from '../testing/node-sql';
import { zstdRleBomb, zstdStreamed } from '../testing/zstd-frames';
import { importAnki } from './package';

let sql: SqlJsStatic;
beforeAll(async () => {
	sql = await loadSqlJs();
});

const collection = () =>
	buildCollection(sql, {
		schema: 18,
		notes: [{ id: 1, mid: BASIC.id, fields: ['a', '[sound:s0.mp3]'] }],
		cards: [{ id: 2, nid: 1, did: DECK.id }]
	});

describe('the size bound of Anki-written media', () => {
	it('imports 520 media files in 2 MiB-window frames with the default limits', () => {
		// Before the fix each file was charged 2 MiB + its size: 520 files came to 1.05 GB, over
		// the 1024 MB total, and the package was refused (real packages fail from ~480 files).
		const media = Object.fromEntries(
			Array.from({ length: 520 }, (_, i) => [`s${i}.mp3`, new Uint8Array(20_000).fill(i % 256)])
		);
		const bytes = latestPackage(sql, collection(), media, 3, (data) => zstdStreamed(data));
		const bundle = importAnki(bytes, { fileName: 'audio.apkg', now: NOW, sql });
		expect(bundle.media).toHaveLength(520);
		expect(bundle.media?.find((m) => m.name === 's519.mp3')?.data).toEqual(media['s519.mp3']);
	}, 60_000);

	it('still refuses media frames that together write more than the total limit', () => {
		// 12 bombs of 64 RLE blocks: 8 MiB each, from a few hundred bytes.
		const media = Object.fromEntries(
			Array.from({ length: 12 }, (_, i) => [`b${i}.mp3`, new Uint8Array([i])])
		);
		const bytes = latestPackage(sql, collection(), media, 3, () => zstdRleBomb(64));
		let error: unknown;
		try {
			importAnki(bytes, {
				fileName: 'bomb.apkg',
				now: NOW,
				sql,
				limits: { maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 }
			});
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).reason).toMatch(/^the package expands to more than 64 MB/);
	});

	it('keeps the per-file limit on what one frame holds while decoding (output and window)', () => {
		const bytes = latestPackage(sql, collection(), { 's0.mp3': new Uint8Array(1000) }, 3, (d) =>
			zstdStreamed(d, 22)
		);
		let error: unknown;
		try {
			importAnki(bytes, {
				fileName: 'wide.apkg',
				now: NOW,
				sql,
				limits: { maxEntryBytes: 2 * 1024 * 1024 }
			});
		} catch (e) {
			error = e;
		}
		expect((error as ImportError).entry).toBe('s0.mp3');
		expect((error as ImportError).reason).toMatch(/more than the 2 MB allowed for one file/);
	});
});
