/**
 * The pull's pure parts, shared by the page's sync loop and the pull worker: how a page is cut
 * into the chunks written one transaction each, and when a reply says the server was restored.
 */
import type { PullReply } from './protocol';

/** A pulled page cut into chunks, each with the cursor to save with it (its last sequence number). */
export function pullChunks(
	records: PullReply['records'],
	cursor: number,
	size: number
): { records: PullReply['records']; cursor: number }[] {
	if (records.length === 0) return [{ records, cursor }];
	const chunks = [];
	for (let i = 0; i < records.length; i += size) {
		const part = records.slice(i, i + size);
		chunks.push({ records: part, cursor: i + size >= records.length ? cursor : part.at(-1)!.seq });
	}
	return chunks;
}

/**
 * A reply whose epoch is not the device's, or whose head is behind the device's cursor: the
 * server was restored from a backup, and the device sends everything again and pulls from 0.
 */
export function serverRestored(
	reply: Pick<PullReply, 'epoch' | 'head'>,
	account: { epoch: string; cursor: number }
): boolean {
	return reply.epoch !== account.epoch || reply.head < account.cursor;
}
