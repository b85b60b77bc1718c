import { describe, expect, it } from 'vitest';
import { CardState, Queue, type Card, type Grade, type RevlogEntry } from '../model';
import { createDefaultPreset } from '../scheduling/preset';
import { newCard, replayCard } from '../scheduling';
import { emptyBundle } from './bundle';
import { memoryAfterEach, replayImportedMemory } from './memory';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1, 9);

/** A small deterministic PRNG, so a failing history can be reproduced from its seed. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
		return s / 2 ** 32;
	};
}

function row(
	cardId: string,
	reviewedAt: number,
	rating: Grade | 0,
	extra: Partial<RevlogEntry> = {}
): RevlogEntry {
	return {
		cardId,
		deckId: 'deck',
		reviewedAt,
		rating,
		state: CardState.Review,
		due: reviewedAt,
		stability: 0,
		difficulty: 0,
		elapsedDays: 0,
		scheduledDays: 0,
		durationMs: 5000,
		...extra
	};
}

function history(seed: number, cardId: string): RevlogEntry[] {
	const next = random(seed);
	const logs: RevlogEntry[] = [];
	let t = T0 + Math.floor(next() * DAY);
	const count = 3 + Math.floor(next() * 25);
	for (let i = 0; i < count; i++) {
		const roll = next();
		if (roll < 0.04) logs.push(row(cardId, t, 0));
		else if (roll < 0.08)
			logs.push(row(cardId, t, 0, { scheduledDays: 1 + Math.floor(next() * 20) }));
		else logs.push(row(cardId, t, (1 + Math.floor(next() * 4)) as Grade));
		// Minutes (same-day steps) to months between reviews.
		t += next() < 0.3 ? Math.floor(next() * 30 * MINUTE) + MINUTE : Math.floor(next() * 60 * DAY);
	}
	return logs;
}

const base = (id: string): Card =>
	newCard({ id, noteId: id.split('/')[0]!, deckId: 'deck', ord: 0, position: 0 });

describe('memory state from imported history', () => {
	it.each(['UTC', 'Europe/Berlin', 'America/New_York'])(
		'equals replaying the log through the scheduler, review by review (%s)',
		(timeZone) => {
			const preset = createDefaultPreset();
			let withMemory = 0;
			for (let seed = 1; seed <= 60; seed++) {
				const logs = history(seed, `n${seed}/0`);
				const memories = memoryAfterEach(logs, preset, timeZone);
				logs.forEach((_, i) => {
					const replayed = replayCard(base(`n${seed}/0`), logs.slice(0, i + 1), preset, {
						timeZone
					});
					const memory = memories[i];
					const expected =
						replayed.state === CardState.New || !(replayed.stability > 0)
							? null
							: { stability: replayed.stability, difficulty: replayed.difficulty };
					if (expected) withMemory++;
					expect(
						memory ? { stability: memory.stability, difficulty: memory.difficulty } : null
					).toEqual(expected);
				});
			}
			// Most reviews leave a memory state; the comparison is not between two nulls.
			expect(withMemory).toBeGreaterThan(500);
		}
	);

	it('fills cards listed for replay and graded revlog rows, keeping the due date Anki gave', () => {
		const preset = createDefaultPreset();
		const bundle = emptyBundle();
		const due = T0 + 40 * DAY;
		bundle.cards = [
			{
				...base('a/0'),
				state: CardState.Review,
				queue: Queue.Review,
				due,
				scheduledDays: 20,
				reps: 3
			}
		];
		bundle.revlog = [
			row('a/0', T0, 3),
			row('a/0', T0 + 10 * MINUTE, 3),
			row('a/0', T0 + 3 * DAY, 3)
		];
		bundle.cardsToReplay = ['a/0'];
		const out = replayImportedMemory(bundle, preset, { timeZone: 'UTC' });
		const expected = replayCard(base('a/0'), bundle.revlog, preset, { timeZone: 'UTC' });
		expect(out.cards[0]).toEqual({
			...bundle.cards[0],
			stability: expected.stability,
			difficulty: expected.difficulty
		});
		expect(out.revlog.every((r) => r.stability > 0 && r.difficulty >= 1)).toBe(true);
		expect(out.revlog.at(-1)?.stability).toBe(expected.stability);
		expect(out.cardsToReplay).toEqual([]);
	});

	it('gives a studied card without history the memory its interval implies', () => {
		const bundle = emptyBundle();
		bundle.cards = [
			{
				...base('b/0'),
				state: CardState.Review,
				queue: Queue.Review,
				due: T0,
				scheduledDays: 30,
				reps: 4
			}
		];
		bundle.cardsToReplay = ['b/0'];
		const [card] = replayImportedMemory(bundle, createDefaultPreset(), { timeZone: 'UTC' }).cards;
		expect(card?.stability).toBe(30);
		expect(card?.difficulty).toBeGreaterThanOrEqual(1);
		expect(card?.difficulty).toBeLessThanOrEqual(10);
	});

	it('leaves rows that already carry a memory state (a Recall backup) untouched', () => {
		const bundle = emptyBundle();
		bundle.revlog = [row('c/0', T0, 3, { stability: 2.5, difficulty: 4 })];
		const out = replayImportedMemory(bundle, createDefaultPreset(), { timeZone: 'UTC' });
		expect(out.revlog[0]).toBe(bundle.revlog[0]);
	});
});
