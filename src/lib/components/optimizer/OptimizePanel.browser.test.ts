import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import { OptimizerJob } from '$lib/state/optimizer.svelte';
import { setDb, type RecallDb } from '$lib/storage/db';
import { seedLearner, type SeededLearner } from '$lib/storage/optimizer-testing';
import { dropDb, freshDb } from '$lib/storage/testing';
import type { FromWorker, OptimizeOutcome } from '$lib/workers/optimizer-protocol';
import OptimizePanel from './OptimizePanel.svelte';

/** A stand-in for the optimizer worker: reports half-way, then answers when the test says so. */
class FakeWorker {
	onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
	onerror: ((event: ErrorEvent) => void) | null = null;
	terminated = false;
	constructor(private readonly outcome: OptimizeOutcome) {}
	postMessage(): void {
		this.#send({ type: 'progress', stage: 'training', fraction: 0.5 });
	}
	finish(): void {
		this.#send({ type: 'optimized', outcome: this.outcome });
	}
	terminate(): void {
		this.terminated = true;
	}
	#send(data: FromWorker): void {
		setTimeout(() => this.onmessage?.(new MessageEvent('message', { data })), 0);
	}
}

const BETTER = default_w.map((w, i) => (i === 0 ? 0.1 : w));
const outcome = (better: boolean): OptimizeOutcome => ({
	kind: 'done',
	weights: BETTER,
	fsrsVersion: 6,
	reviewCount: 12_580,
	itemCount: 6_276,
	cardCount: 1_205,
	current: { logLoss: 0.45567, rmseBins: 0.0734, count: 5_230 },
	optimized: better
		? { logLoss: 0.43871, rmseBins: 0.05172, count: 5_230 }
		: { logLoss: 0.46, rmseBins: 0.08, count: 5_230 },
	better
});

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;
let learner: SeededLearner;

beforeEach(async () => {
	db = freshDb();
	setDb(db);
	learner = await seedLearner(db, { cards: 30, days: 5 });
	target = document.createElement('div');
	document.body.append(target);
});

afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	setDb(undefined);
	await dropDb(db);
});

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 500; i++) {
		flushSync();
		if (check()) return;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`timed out waiting for ${what}: ${target.textContent}`);
}

const button = (name: string) =>
	[...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
const text = () => target.textContent?.replace(/\s+/g, ' ') ?? '';

function start(result: OptimizeOutcome) {
	const workers: FakeWorker[] = [];
	const job = new OptimizerJob(learner.preset.id, {
		db: () => db,
		timeZone: 'UTC',
		createWorker: () => {
			const worker = new FakeWorker(result);
			workers.push(worker);
			return worker as unknown as Worker;
		}
	});
	component = mount(OptimizePanel, { target, props: { presetId: learner.preset.id, job } });
	button('Optimize')!.click();
	return { job, workers };
}

describe('OptimizePanel', () => {
	it('shows progress, then the evaluation, applies, and offers to reschedule', async () => {
		const { workers } = start(outcome(true));
		await until(() => text().includes('Training… 50%'), 'progress');
		expect(target.querySelector('progress')?.value).toBe(0.5);
		workers[0]!.finish();
		await until(() => !!button('Apply new parameters'), 'the evaluation');
		const cells = [...target.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.children].map((c) => c.textContent?.trim())
		);
		expect(cells).toEqual([
			['Log loss', '0.4557', '0.4387'],
			['RMSE (bins)', '7.34%', '5.17%']
		]);
		expect(text()).toContain('Trained on 12,580 reviews of 1,205 cards. Compared on your 5,230');
		button('Apply new parameters')!.click();
		await until(() => text().includes('New FSRS-6 parameters saved.'), 'the save');
		expect((await db.presets.get(learner.preset.id))?.weights).toEqual(BETTER);
		button('Reschedule cards')!.click();
		await until(() => text().includes('Rescheduled'), 'the rescheduling');
		expect(text()).toMatch(/Rescheduled \d+ cards from their review history\./);
	});

	it('cancels: the worker is terminated and the parameters stay', async () => {
		const { workers } = start(outcome(true));
		await until(() => text().includes('Training… 50%'), 'the worker to report');
		button('Cancel')!.click();
		await until(() => text().includes('Optimization cancelled'), 'the cancellation');
		expect(text()).toContain('Optimization cancelled: the parameters were not changed.');
		expect(workers[0]!.terminated).toBe(true);
		expect(button('Optimize')?.disabled).toBe(false);
		expect(await db.presets.get(learner.preset.id)).toEqual(learner.preset);
	});

	it('offers nothing to apply when the new parameters are no better', async () => {
		const { workers } = start(outcome(false));
		await until(() => workers.length === 1, 'the worker');
		workers[0]!.finish();
		await until(() => text().includes('nothing to apply'), 'the verdict');
		expect(button('Apply new parameters')).toBeUndefined();
		expect(await db.presets.get(learner.preset.id)).toEqual(learner.preset);
	});

	it('explains that the history is too short', async () => {
		const { workers } = start({ kind: 'too-little', reviewCount: 137, minimum: 400 });
		await until(() => workers.length === 1, 'the worker');
		workers[0]!.finish();
		await until(() => text().includes('Keep studying'), 'the message');
		expect(target.querySelector('[role="status"]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
			'Only 137 reviews so far: optimizing needs at least 400. Keep studying and try again later.'
		);
	});
});
