import { describe, expect, it } from 'vitest';
import type { Card, Grade } from '../model';
import { seededRandom } from '../random';
import { replayCard } from '../scheduling/replay';
import { gradeCard } from '../scheduling/scheduler';
import { DAY, HOUR, MIN, NOW, TZ, makeCard, makePreset } from '../scheduling/test-factories';
import { HybridClock, compareHlc, formatHlc, parseHlc } from './hlc';
import { SyncReplica, compactBatch, orderedLog } from './merge';
import {
	DELETED,
	MAX_BATCH,
	parsePushRequest,
	parseRecords,
	parseServerAddress,
	toReviewRecord,
	type FieldRecord,
	type SyncRecord
} from './protocol';

// Fuzz is seeded by card and reps, so replay reproduces it; load balancing depends on the
// device's other cards and is not part of the synced data.
const preset = makePreset({ loadBalance: false });
const ctx = { timeZone: TZ };

function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

interface Device {
	clock: HybridClock;
	cards: Map<string, Card>;
	batches: SyncRecord[][];
	now: number;
}

/** Devices studying the same cards and editing the same notes offline, each its own batches. */
function simulate(seed: number, deviceCount = 3) {
	const rnd = seededRandom(seed);
	const bases = Array.from({ length: 4 }, (_, i) =>
		makeCard({ id: `n${i}/0`, noteId: `n${i}`, due: i })
	);
	const devices: Device[] = Array.from({ length: deviceCount }, (_, d) => {
		const dev: Device = {
			// Clocks up to ±10 minutes off.
			now: NOW + Math.round((rnd() - 0.5) * 20 * MIN),
			cards: new Map(bases.map((c) => [c.id, c])),
			batches: [],
			clock: undefined as unknown as HybridClock
		};
		dev.clock = new HybridClock(`dev${d}`, () => dev.now);
		return dev;
	});
	for (let step = 0; step < 40; step++) {
		const dev = devices[Math.floor(rnd() * devices.length)]!;
		dev.now += Math.round(rnd() * 3 * HOUR);
		const batch: SyncRecord[] = [];
		const n = 1 + Math.floor(rnd() * 3);
		for (let k = 0; k < n; k++) {
			// A real answer takes seconds: no two reviews of one device share a ms.
			dev.now += 1_000 + Math.round(rnd() * 20_000);
			if (rnd() < 0.6) {
				const card = bases[Math.floor(rnd() * bases.length)]!;
				const local = dev.cards.get(card.id)!;
				const rating = (1 + Math.floor(rnd() * 4)) as Grade;
				const graded = gradeCard(local, rating, preset, dev.now, ctx);
				dev.cards.set(card.id, graded.card);
				batch.push(toReviewRecord(graded.log));
			} else {
				const note = `n${Math.floor(rnd() * 4)}`;
				const field = rnd() < 0.15 ? DELETED : ['front', 'back', 'tags'][Math.floor(rnd() * 3)]!;
				const value = field === DELETED ? rnd() < 0.7 : `v${seed}-${step}-${k}`;
				batch.push({
					kind: 'field',
					entity: 'note',
					id: note,
					field,
					value,
					hlc: dev.clock.tick()
				});
			}
		}
		dev.batches.push(batch);
	}
	return { bases, devices, batches: devices.flatMap((d) => d.batches) };
}

describe('HybridClock', () => {
	it('orders stamps as text exactly as it orders them as clocks', () => {
		const rnd = seededRandom(7);
		const parts = Array.from({ length: 300 }, () => ({
			ms: Math.floor(rnd() * 2 ** 44),
			counter: Math.floor(rnd() * 5),
			node: ['a', 'b', 'z9', '0'][Math.floor(rnd() * 4)]!
		}));
		for (let i = 1; i < parts.length; i++) {
			const [a, b] = [parts[i - 1]!, parts[i]!];
			const expected =
				a.ms - b.ms || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
			expect(Math.sign(compareHlc(formatHlc(a), formatHlc(b)))).toBe(Math.sign(expected));
			expect(parseHlc(formatHlc(a))).toEqual(a);
		}
	});

	it('never goes back, even when the wall clock does', () => {
		let now = NOW;
		const clock = new HybridClock('a', () => now);
		const stamps = [clock.tick(), clock.tick()];
		now -= HOUR;
		stamps.push(clock.tick());
		now += 2 * HOUR;
		stamps.push(clock.tick());
		for (let i = 1; i < stamps.length; i++) expect(compareHlc(stamps[i - 1]!, stamps[i]!)).toBe(-1);
		expect(parseHlc(stamps[2]!).ms).toBe(NOW);
	});

	it('orders an edit after one it has seen, even from a clock 10 minutes ahead', () => {
		const ahead = new HybridClock('fast', () => NOW + 10 * MIN);
		const behind = new HybridClock('slow', () => NOW);
		const first = ahead.tick();
		behind.receive(first);
		const second = behind.tick();
		expect(compareHlc(first, second)).toBe(-1);
	});

	it('refuses a node id that would break the text order', () => {
		expect(() => new HybridClock('Upper', () => NOW)).toThrow(/node/);
		expect(() => formatHlc({ ms: -1, counter: 0, node: 'a' })).toThrow(/time/);
	});
});

// Heavy (hundreds of histories replayed): generous timeouts for a loaded machine.
const PROPERTY_MS = 60_000;

describe('merge rules (properties over seeded histories)', () => {
	it(
		'any order, duplication or interleaving of the same batches gives the same state',
		() => {
			for (let seed = 1; seed <= 150; seed++) {
				const { batches } = simulate(seed);
				const rnd = seededRandom(seed * 31);
				const reference = new SyncReplica();
				for (const b of batches) reference.apply(b);
				const fingerprint = reference.fingerprint();
				for (let trial = 0; trial < 3; trial++) {
					const replica = new SyncReplica();
					// Some batches twice, in any order, records of different batches interleaved.
					const delivered = shuffle([...batches, ...batches.filter(() => rnd() < 0.3)].flat(), rnd);
					let i = 0;
					while (i < delivered.length) {
						const size = 1 + Math.floor(rnd() * 5);
						replica.apply(delivered.slice(i, i + size));
						i += size;
					}
					expect(replica.fingerprint()).toBe(fingerprint);
				}
				// A compacted batch (what the server upserts) means the same as the raw records.
				const compacted = new SyncReplica();
				compacted.apply(compactBatch(batches.flat()));
				expect(compacted.fingerprint()).toBe(fingerprint);
			}
		},
		PROPERTY_MS
	);

	it(
		'every review from every device is in the merged log once, in time order',
		() => {
			for (let seed = 1; seed <= 150; seed++) {
				const { batches, bases } = simulate(seed);
				const replica = new SyncReplica();
				for (const b of [...batches, ...batches]) replica.apply(b);
				const pushed = new Set(
					batches
						.flat()
						.filter((r) => r.kind === 'review')
						.map((r) => r.id)
				);
				expect(replica.reviews.size).toBe(pushed.size);
				for (const base of bases) {
					const log = replica.cardLog(base.id);
					for (let i = 1; i < log.length; i++) {
						expect(log[i]!.reviewedAt).toBeGreaterThanOrEqual(log[i - 1]!.reviewedAt);
					}
				}
			}
		},
		PROPERTY_MS
	);

	it(
		'replay of the merged log gives every device the same card state',
		() => {
			for (let seed = 1; seed <= 80; seed++) {
				const { bases, devices } = simulate(seed);
				// Each device receives everyone's batches in its own order, then replays its cards.
				const states = devices.map((_, d) => {
					const rnd = seededRandom(seed * 7 + d);
					const replica = new SyncReplica();
					for (const b of shuffle(
						devices.flatMap((x) => x.batches),
						rnd
					))
						replica.apply(b);
					return bases.map((base) => replayCard(base, replica.cardLog(base.id), preset, ctx));
				});
				for (const s of states.slice(1)) expect(s).toEqual(states[0]);
				// With one device studying alone, the replay is exactly what it computed while grading.
				const solo = simulate(seed, 1);
				const replica = new SyncReplica();
				for (const b of solo.batches) replica.apply(b);
				for (const base of solo.bases) {
					const shown = solo.devices[0]!.cards.get(base.id)!;
					const replayed = replayCard(base, replica.cardLog(base.id), preset, ctx);
					expect({ ...replayed, rev: 0 }).toEqual({ ...shown, rev: 0 });
				}
			}
		},
		PROPERTY_MS
	);
});

describe('merge rules (cases)', () => {
	const field = (over: Partial<FieldRecord>): FieldRecord => ({
		kind: 'field',
		entity: 'note',
		id: 'n1',
		field: 'front',
		value: 'x',
		hlc: formatHlc({ ms: NOW, counter: 0, node: 'a' }),
		...over
	});

	it('keeps edits to different fields of a note, and the later edit of the same field', () => {
		const a = new HybridClock('a', () => NOW + 5 * MIN);
		const b = new HybridClock('b', () => NOW);
		const fromA = [
			field({ field: 'front', value: 'A front', hlc: a.tick() }),
			field({ field: 'back', value: 'A back', hlc: a.tick() })
		];
		b.receive(fromA[1]!.hlc);
		const fromB = [
			field({ field: 'back', value: 'B back', hlc: b.tick() }),
			field({ field: 'extra', value: 'B extra', hlc: b.tick() })
		];
		for (const order of [
			[...fromA, ...fromB],
			[...fromB, ...fromA]
		]) {
			const r = new SyncReplica();
			r.apply(order);
			expect(r.entity('note', 'n1')).toEqual({
				fields: { front: 'A front', back: 'B back', extra: 'B extra' },
				deleted: false
			});
		}
	});

	it('a deletion is a tombstone ordered by its clock against a restore', () => {
		const r = new SyncReplica();
		r.apply([
			field({ field: DELETED, value: true, hlc: formatHlc({ ms: NOW, counter: 1, node: 'a' }) })
		]);
		expect(r.isDeleted('note', 'n1')).toBe(true);
		r.apply([
			field({ field: DELETED, value: false, hlc: formatHlc({ ms: NOW, counter: 0, node: 'b' }) })
		]);
		expect(r.isDeleted('note', 'n1')).toBe(true);
		r.apply([
			field({
				field: DELETED,
				value: false,
				hlc: formatHlc({ ms: NOW + 1, counter: 0, node: 'b' })
			})
		]);
		expect(r.isDeleted('note', 'n1')).toBe(false);
	});

	it('an undone review (a tombstone on the review) leaves the replay', () => {
		const base = makeCard({ id: 'u/0', noteId: 'u' });
		const first = gradeCard(base, 3, preset, NOW, ctx);
		const second = gradeCard(first.card, 3, preset, NOW + DAY, ctx);
		const r = new SyncReplica();
		r.apply([toReviewRecord(first.log), toReviewRecord(second.log)]);
		expect(r.cardLog(base.id)).toHaveLength(2);
		const undone = toReviewRecord(second.log).id;
		r.apply([field({ entity: 'review', id: undone, field: DELETED, value: true })]);
		expect(r.cardLog(base.id)).toHaveLength(1);
	});

	it('two reviews at the same time replay in one order everywhere (by id)', () => {
		const base = makeCard({ id: 't/0', noteId: 't' });
		const a = toReviewRecord(gradeCard(base, 1, preset, NOW, ctx).log);
		const b = toReviewRecord(gradeCard(base, 4, preset, NOW, ctx).log);
		expect(orderedLog([a, b])).toEqual(orderedLog([b, a]));
	});
});

describe('parseRecords', () => {
	const review = toReviewRecord(gradeCard(makeCard({ id: 'p/0' }), 3, preset, NOW, ctx).log);

	it('accepts well-formed records', () => {
		const ok = parseRecords([
			review,
			{
				kind: 'field',
				entity: 'deck',
				id: 'd',
				field: 'title',
				value: 'T',
				hlc: formatHlc({ ms: NOW, counter: 0, node: 'a' })
			}
		]);
		expect(ok).toEqual({ ok: true, records: expect.any(Array) });
	});

	it.each([
		[[{ ...review, rating: 7 }], 'record 1: rating must be 0, 1, 2, 3 or 4'],
		[[review, { ...review, reviewedAt: 'yesterday' }], 'record 2: reviewedAt must be a time in ms'],
		[[{ ...review, id: 'other' }], `record 1: id must be "${review.id}" (card, time and rating)`],
		[[{ ...review, extra: 1 }], 'record 1: unknown property "extra"'],
		[
			[{ kind: 'field', entity: 'user', id: 'x', field: 'f', value: 1, hlc: '1' }],
			'record 1: entity must be one of'
		],
		[
			[{ kind: 'field', entity: 'note', id: 'x', field: 'f', value: 1, hlc: 'soon' }],
			'record 1: hlc must be a clock stamp'
		],
		[[null], 'record 1: not an object'],
		[{}, 'records must be a list']
	])('refuses a batch whole, saying which record and why (%#)', (input, message) => {
		const result = parseRecords(input);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.error).toContain(message);
	});

	it('refuses more than MAX_BATCH records and a wrong protocol version', () => {
		const many = parseRecords(Array.from({ length: MAX_BATCH + 1 }, () => review));
		expect(many).toEqual({
			ok: false,
			error: `a push holds at most ${MAX_BATCH} records, got ${MAX_BATCH + 1}`
		});
		expect(parsePushRequest({ protocol: 99, epoch: '', records: [] })).toEqual({
			ok: false,
			error: 'protocol must be 1'
		});
	});
});

describe('parseServerAddress', () => {
	it('keeps the origin and path, and refuses what is not a web address, in words', () => {
		expect(parseServerAddress(' https://sync.example.org/recall/ ')).toEqual({
			ok: true,
			url: 'https://sync.example.org/recall'
		});
		expect(parseServerAddress('sync.example.org')).toEqual({
			ok: false,
			error: '"sync.example.org" is not a web address (e.g. https://sync.example.org).'
		});
		expect(parseServerAddress('ftp://x.org')).toEqual({
			ok: false,
			error: 'The server address must start with https:// (or http://).'
		});
	});
});
