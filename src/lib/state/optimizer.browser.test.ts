/**
 * The optimizer end to end in Chromium: the real worker and WASM, against real IndexedDB, on a
 * generated review log (the shared corpus's real one is optimized in Node: optimizer-run.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecallDb } from '$lib/storage/db';
import { lastOptimization } from '$lib/storage/optimizer-repo';
import { seedLearner } from '$lib/storage/optimizer-testing';
import { dropDb, freshDb } from '$lib/storage/testing';
import { createOptimizerWorker } from '$lib/workers/optimizer-client';
import { OptimizerJob } from './optimizer.svelte';

let db: RecallDb;
beforeEach(() => {
	db = freshDb();
});
afterEach(async () => {
	await dropDb(db);
});

async function until(check: () => boolean, what: string, ms = 120_000): Promise<void> {
	const end = performance.now() + ms;
	while (!check()) {
		if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** The real worker, with a record of whether it was terminated. */
function trackedWorker() {
	const tracked = { created: 0, terminated: 0 };
	const create = () => {
		const worker = createOptimizerWorker();
		tracked.created++;
		const terminate = worker.terminate.bind(worker);
		worker.terminate = () => {
			tracked.terminated++;
			terminate();
		};
		return worker;
	};
	return { tracked, create };
}

describe('OptimizerJob', () => {
	it('worker cancel leaves the old parameters', async () => {
		const { preset } = await seedLearner(db, { cards: 200, days: 90, newPerDay: 15 });
		const { tracked, create } = trackedWorker();
		const job = new OptimizerJob(preset.id, {
			db: () => db,
			createWorker: create,
			timeZone: 'UTC'
		});
		const running = job.start();
		await until(() => job.progress > 0, 'training to report progress');
		job.cancel();
		await running;
		expect(job.status).toBe('cancelled');
		expect(job.message).toBe('Optimization cancelled: the parameters were not changed.');
		expect(tracked).toEqual({ created: 1, terminated: 1 });
		expect(job.canApply).toBe(false);
		expect(await job.apply()).toBeNull();
		expect(await db.presets.get(preset.id)).toEqual(preset);
		expect(await lastOptimization(db, preset.id)).toBeUndefined();
	}, 180_000);

	it('optimizes a learner’s history in the worker and applies parameters that predict it better', async () => {
		const { preset, reviews } = await seedLearner(db, { cards: 200, days: 90, newPerDay: 15 });
		const job = new OptimizerJob(preset.id, {
			db: () => db,
			timeZone: 'UTC',
			clock: () => 1_800_000_000_000
		});
		const stages = new Set<string>();
		const watching = setInterval(() => stages.add(job.stage), 5);
		await job.start();
		clearInterval(watching);
		expect(job.status).toBe('finished');
		expect(job.result?.reviewCount).toBe(reviews);
		expect(job.result?.weights).toHaveLength(21);
		expect(job.result!.optimized.logLoss).toBeLessThan(job.result!.current.logLoss);
		expect([...stages]).toEqual(['training', 'evaluating']);
		expect(job.canApply).toBe(true);
		const saved = await job.apply();
		expect(job.status).toBe('applied');
		expect((await db.presets.get(preset.id))?.weights).toEqual(job.result?.weights);
		expect(saved?.fsrsVersion).toBe(6);
		expect((await lastOptimization(db, preset.id))?.optimizedAt).toBe(1_800_000_000_000);
	}, 180_000);

	it('says how many reviews there are and how many it needs when the history is short', async () => {
		const { preset, reviews } = await seedLearner(db, { cards: 20, days: 4, newPerDay: 10 });
		const job = new OptimizerJob(preset.id, { db: () => db, timeZone: 'UTC' });
		await job.start();
		expect(job.status).toBe('finished');
		expect(job.tooLittle).toEqual({ kind: 'too-little', reviewCount: reviews, minimum: 400 });
		expect(job.canApply).toBe(false);
	}, 60_000);
});
