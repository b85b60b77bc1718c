import { describe, expect, it } from 'vitest';
import { CardState } from '../model';
import { parseRevlogCsv, printRevlogCsv, RevlogCsvError } from './revlog-csv';

describe('parseRevlogCsv', () => {
	it('reads columns by header name, in any order, with ISO or millisecond times', () => {
		const rows = parseRevlogCsv(
			'card_id,review_rating,review_time,review_duration\n' +
				'1711684180217,1,2024-03-29T20:32:32.250000+00:00,25060\n' +
				'42,3,1711744352250,0\r\n\n'
		);
		expect(rows).toEqual([
			{
				cardId: '1711684180217',
				reviewedAt: Date.UTC(2024, 2, 29, 20, 32, 32, 250),
				rating: 1,
				durationMs: 25060
			},
			{ cardId: '42', reviewedAt: 1711744352250, rating: 3, durationMs: 0 }
		]);
	});

	it('maps review_state to the card state and state 5 (manual) to rating 0', () => {
		const rows = parseRevlogCsv(
			'card_id,review_time,review_rating,review_state,review_duration\n1,1000,3,0,5\n1,2000,3,2,5\n1,3000,1,5,0\n1,4000,2,4,0\n'
		);
		expect(rows.map((r) => [r.rating, r.state])).toEqual([
			[3, CardState.New],
			[3, CardState.Review],
			[0, undefined],
			[2, CardState.Review]
		]);
	});

	it('gives the rows back after printing them (parse ∘ print = id)', () => {
		const text =
			'card_id,review_time,review_rating,review_duration,review_state\n' +
			'a,1000,3,1200,0\na,90000000,0,0,5\nb,5000,4,0,1\n';
		const rows = parseRevlogCsv(text);
		expect(parseRevlogCsv(printRevlogCsv(rows))).toEqual(rows);
		expect(printRevlogCsv(rows)).toBe(text);
	});

	it('names the line and the problem of a malformed file', () => {
		const bad = (text: string) => {
			try {
				parseRevlogCsv(text);
			} catch (e) {
				return e instanceof RevlogCsvError ? [e.line, e.message] : e;
			}
			return 'no error';
		};
		expect(bad('card,time\n1,2')).toEqual([1, 'Line 1: the header has no "card_id" column']);
		expect(bad('card_id,review_time,review_rating\n1,1000,3\n1,yesterday,3')).toEqual([
			3,
			'Line 3: review_time "yesterday" is not a time'
		]);
		expect(bad('card_id,review_time,review_rating\n1,1000,7')).toEqual([
			2,
			'Line 2: review_rating must be 0–4, got "7"'
		]);
		expect(bad('card_id,review_time,review_rating\n,1000,3')).toEqual([
			2,
			'Line 2: card_id is empty'
		]);
		expect(bad('')).toEqual([1, 'Line 1: the header has no "card_id" column']);
	});
});
