import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkloadJob } from '$lib/state/optimizer-workload.svelte';
import type { RecallDb } from '$lib/storage/db';
import { LEARNER_START, seedLearner } from '$lib/storage/optimizer-testing';
import { dropDb, freshDb } from '$lib/storage/testing';
import RetentionHelper from './RetentionHelper.svelte';
import { until } from '$lib/components/testing';

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(() => {
	db = freshDb();
	target = document.createElement('div');
	document.body.append(target);
});

afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	await dropDb(db);
});

describe('RetentionHelper', () => {
	it('tabulates the reviews per day each retention asks for, from the real worker', async () => {
		const { preset } = await seedLearner(db, { cards: 120, days: 30, newPerDay: 10 });
		const picked: number[] = [];
		const job = new WorkloadJob(preset.id, {
			db: () => db,
			timeZone: 'UTC',
			clock: () => LEARNER_START + 30 * 86_400_000
		});
		component = mount(RetentionHelper, {
			target,
			props: { presetId: preset.id, job, onpick: (r: number) => picked.push(r) }
		});
		const estimate = [...target.querySelectorAll('button')].find(
			(b) => b.textContent?.trim() === 'Estimate workload'
		)!;
		estimate.click();
		await until(() => target.querySelectorAll('tbody tr').length > 0, 'the table');
		const rows = [...target.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.children].map((c) => c.textContent?.trim() ?? '')
		);
		expect(rows.map((r) => r[0])).toEqual([
			'70%',
			'75%',
			'80%',
			'85%',
			'90% (current)',
			'93%',
			'95%',
			'97%'
		]);
		// A year's reviews per day grow with the retention asked for.
		const yearly = job.estimates.map((e) => e.perDay365);
		expect(yearly.every((v, i) => i === 0 || v > yearly[i - 1]!)).toBe(true);
		expect(rows[4]![4]).toBe('');
		[...target.querySelectorAll('button')]
			.find((b) => b.textContent?.trim() === 'Use 85%')!
			.click();
		expect(picked).toEqual([0.85]);
	}, 120_000);
});
