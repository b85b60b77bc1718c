/**
 * The optimizer's TypeScript halves checked against fsrs-rs itself (the native Node build of
 * @open-spaced-repetition/binding's linux-x64 package, an optional dependency: scripts/fsrs-rs.ts) on
 * the shared corpus's real review log:
 * the same training items, and the same predicted recall probability for every item, memory
 * states walked through fsrs-rs's own `nextStates`. (Its aggregate `evaluate` filters items in
 * ways its API does not expose, so the metrics themselves are pinned by evaluate.test.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { default_w } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { loadNativeFsrs, NATIVE_PACKAGE, type MemoryState } from '../../../../scripts/fsrs-rs';
import { JOSH_CSV_FROM_REPO } from './corpus';
import { predict } from './evaluate';
import { buildTrainingSet } from './items';
import { parseRevlogCsv, printRevlogCsv } from './revlog-csv';

const csvPath = fileURLToPath(new URL(`../../../../${JOSH_CSV_FROM_REPO}`, import.meta.url));
const present = existsSync(csvPath);
const binding = loadNativeFsrs();
if (!present)
	console.warn(`fsrs-rs conformance skipped: ${csvPath} not found (shared corpus absent).`);
if (!binding)
	console.warn(`fsrs-rs conformance skipped: ${NATIVE_PACKAGE} is not installed (not linux-x64).`);

/** Parameters an optimizer run on this log gave (fsrs-rs 5.2): far from the defaults on purpose. */
const TRAINED = [
	0.1726, 0.8326, 2.4851, 6.3079, 6.5383, 0.5241, 3.1816, 0.0269, 1.6629, 0.2612, 0.6194, 1.5809,
	0.0423, 0.3833, 1.798, 0.6014, 1.8729, 0.8313, 0.1011, 0.1463, 0.2433
];

describe.skipIf(!present || !binding)('against fsrs-rs on 12,580 real reviews', () => {
	const rows = present ? parseRevlogCsv(readFileSync(csvPath, 'utf8')) : [];
	const set = buildTrainingSet(rows, { dayStartHour: 4, timeZone: 'UTC' });
	// fsrs-rs reads ms times and wants a state column: "1" (learning) keeps whole histories.
	const csv = printRevlogCsv(rows.map((r) => ({ ...r, state: 1 as const })));
	const theirs = binding!.convertCsvToFsrsItems(new TextEncoder().encode(csv), 4, 'UTC', () => 0);

	it('builds the same training items, in the same order', () => {
		const ours = set.items.map(({ card, length }) => {
			const c = set.cards[card]!;
			return c.ratings.slice(0, length).map((rating, i) => ({ rating, deltaT: c.deltaTs[i] }));
		});
		expect(ours).toEqual(
			theirs.map((item) => item.reviews.map((r) => ({ rating: r.rating, deltaT: r.deltaT })))
		);
	});

	it.each([
		['the default parameters', [...default_w]],
		['trained parameters', TRAINED]
	])('predicts the recall probability fsrs-rs predicts with %s', (_, weights) => {
		const fsrsRs = new binding!.FSRSBinding(weights);
		const factor = Math.pow(0.9, -1 / weights[20]!) - 1;
		const ours = predict(weights, set, set.items);
		// Every 7th item keeps the test quick; they span the whole history.
		for (let i = 0; i < theirs.length; i += 7) {
			const reviews = theirs[i]!.reviews;
			let state: MemoryState | null = null;
			for (const review of reviews.slice(0, -1)) {
				const next = fsrsRs.nextStates(state, 0.9, review.deltaT);
				const memory = [next.again, next.hard, next.good, next.easy][review.rating - 1]!.memory;
				state = new binding!.BindingMemoryState(memory.stability, memory.difficulty);
			}
			const t = reviews.at(-1)!.deltaT;
			const expected = Math.pow(1 + (factor * t) / state!.stability, -weights[20]!);
			expect(Math.abs(ours[i]!.p - expected)).toBeLessThan(1e-4);
		}
	});
});
