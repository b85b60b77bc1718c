/**
 * Reader for the review-log CSV the FSRS tools exchange (fsrs-rs, fsrs-optimizer, py-fsrs):
 * a header naming `card_id`, `review_time`, `review_rating` and optionally `review_duration`
 * and `review_state`, in any column order. `review_time` is milliseconds since the epoch or an
 * ISO 8601 date-time.
 */
import { CardState } from '../model';
import type { ReviewRecord } from './items';

export class RevlogCsvError extends Error {
	constructor(
		message: string,
		/** 1-based line of the file the problem is on. */
		readonly line: number
	) {
		super(`Line ${line}: ${message}`);
		this.name = 'RevlogCsvError';
	}
}

export interface CsvReview extends ReviewRecord {
	durationMs: number;
}

const REQUIRED = ['card_id', 'review_time', 'review_rating'] as const;

/** The tools' review_state: 0 new, 1 learning, 2 review, 3 relearning, 4 filtered, 5 manual. */
function stateOf(value: string, line: number): { state?: CardState; manual: boolean } {
	if (value === '') return { manual: false };
	const n = Number(value);
	if (n === 4) return { state: CardState.Review, manual: false };
	if (n === 5) return { manual: true };
	if (n === 0 || n === 1 || n === 2 || n === 3) return { state: n, manual: false };
	throw new RevlogCsvError(`review_state must be 0–5, got "${value}"`, line);
}

function timeOf(value: string, line: number): number {
	const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	if (!Number.isFinite(t)) throw new RevlogCsvError(`review_time "${value}" is not a time`, line);
	return t;
}

/** Rows in file order. Throws RevlogCsvError on a missing column or a malformed value. */
export function parseRevlogCsv(text: string): CsvReview[] {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
	for (const name of REQUIRED) {
		if (!header.includes(name)) throw new RevlogCsvError(`the header has no "${name}" column`, 1);
	}
	const col = (name: string) => header.indexOf(name);
	const [card, time, rating, duration, state] = [
		col('card_id'),
		col('review_time'),
		col('review_rating'),
		col('review_duration'),
		col('review_state')
	];
	const rows: CsvReview[] = [];
	for (let i = 1; i < lines.length; i++) {
		const raw = lines[i]?.trim() ?? '';
		if (raw === '') continue;
		const line = i + 1;
		const cells = raw.split(',').map((c) => c.trim());
		const cardId = cells[card] ?? '';
		if (cardId === '') throw new RevlogCsvError('card_id is empty', line);
		const r = Number(cells[rating]);
		if (!Number.isInteger(r) || r < 0 || r > 4) {
			throw new RevlogCsvError(`review_rating must be 0–4, got "${cells[rating] ?? ''}"`, line);
		}
		const kind = stateOf(state < 0 ? '' : (cells[state] ?? ''), line);
		const ms = duration < 0 ? 0 : Number(cells[duration] ?? 0);
		const manual = kind.manual || r === 0;
		const row: CsvReview = {
			cardId,
			reviewedAt: timeOf(cells[time] ?? '', line),
			rating: manual ? 0 : r,
			durationMs: Number.isFinite(ms) && ms > 0 ? ms : 0
		};
		// A manual row is not a review: the state the card was in tells the optimizer nothing.
		if (kind.state !== undefined && !manual) row.state = kind.state;
		rows.push(row);
	}
	return rows;
}

/** The same format back, with ms times; parseRevlogCsv(printRevlogCsv(rows)) gives rows again. */
export function printRevlogCsv(rows: readonly CsvReview[]): string {
	const withState = rows.some((r) => r.state !== undefined);
	const head =
		'card_id,review_time,review_rating,review_duration' + (withState ? ',review_state' : '');
	const body = rows.map((r) => {
		const cells = [r.cardId, r.reviewedAt, r.rating, r.durationMs];
		if (withState) cells.push(r.rating === 0 ? 5 : (r.state ?? ''));
		return cells.join(',');
	});
	return [head, ...body].join('\n') + '\n';
}
