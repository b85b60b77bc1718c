/**
 * 12,580 real reviews of 1,205 cards (shared corpus, py-fsrs's test data) pushed through the
 * scheduler: real timing is messier than any fixture (same-second answers, months-long gaps).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Card, Grade, RevlogEntry } from '../model';
import { newCard } from './card-actions';
import { createDefaultPreset } from './preset';
import { replayCard } from './replay';
import { gradeCard } from './scheduler';

const CSV_PATH = fileURLToPath(
	new URL('../../../../../shared/corpus/revlogs/py-fsrs_review_logs_josh.csv', import.meta.url)
);
const present = existsSync(CSV_PATH);
if (!present)
	console.warn(`Real-revlog tests skipped: ${CSV_PATH} not found (shared corpus absent).`);

interface Row {
	cardId: string;
	rating: Grade;
	at: number;
	durationMs: number;
}

function readRows(): Map<string, Row[]> {
	const byCard = new Map<string, Row[]>();
	const lines = readFileSync(CSV_PATH, 'utf8').trim().split('\n').slice(1);
	for (const line of lines) {
		const [cardId = '', rating = '', time = '', duration = ''] = line.split(',');
		const row = {
			cardId,
			rating: Number(rating) as Grade,
			at: Date.parse(time),
			durationMs: Number(duration)
		};
		byCard.set(cardId, [...(byCard.get(cardId) ?? []), row]);
	}
	return byCard;
}

describe.skipIf(!present)('a real review history', () => {
	const preset = createDefaultPreset();
	const ctx = { timeZone: 'UTC' };

	it('grades every review into a sane card, and replaying the log gives the same card', () => {
		const byCard = readRows();
		let reviews = 0;
		let checked = 0;
		for (const [cardId, rows] of byCard) {
			const base = newCard({ id: cardId, noteId: cardId, deckId: 'josh', ord: 0, position: 0 });
			let card: Card = base;
			const logs: RevlogEntry[] = [];
			for (const row of rows.sort((a, b) => a.at - b.at)) {
				const result = gradeCard(card, row.rating, preset, row.at, {
					...ctx,
					durationMs: row.durationMs
				});
				card = result.card;
				logs.push(result.log);
				reviews += 1;
				if (
					!(card.stability >= 0.001 && card.stability <= 36500) ||
					!(card.difficulty >= 1 && card.difficulty <= 10) ||
					!(card.due > row.at) ||
					result.log.elapsedDays < 0
				) {
					throw new Error(
						`card ${cardId} at ${new Date(row.at).toISOString()}: ${JSON.stringify(card)}`
					);
				}
			}
			// Leech suspension is the store's business, not the log's: compare memory and due only.
			if (checked < 200) {
				const replayed = replayCard(base, logs, preset, ctx);
				expect([replayed.stability, replayed.difficulty, replayed.due]).toEqual([
					card.stability,
					card.difficulty,
					card.due
				]);
				checked += 1;
			}
		}
		expect(reviews).toBe(12_580);
		expect(byCard.size).toBe(1_205);
	}, 60_000);
});
