/**
 * The "what does a retention cost" table: the preset's cards and history go to the optimizer
 * worker, which simulates a year of reviews per retention level and answers with the figures.
 */
import { RETENTION_LEVELS, type WorkloadEstimate } from '$lib/core/optimizer/workload';
import { getDb, type RecallDb } from '$lib/storage/db';
import { loadPresetHistory, loadWorkloadCards } from '$lib/storage/optimizer-repo';
import {
	OptimizerCancelled,
	runWorkloadEstimate,
	type CreateWorker,
	type OptimizerRun
} from '$lib/workers/optimizer-client';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export interface WorkloadOptions {
	db?: () => RecallDb;
	createWorker?: CreateWorker;
	clock?: Clock;
	timeZone?: string;
}

export class WorkloadJob {
	status = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
	estimates = $state.raw<WorkloadEstimate[]>([]);
	/** The preset's desired retention when the estimate was made. */
	current = $state(0.9);
	error = $state('');
	readonly presetId: string;
	readonly #options: WorkloadOptions;
	#run: OptimizerRun<WorkloadEstimate[]> | undefined;

	constructor(presetId: string, options: WorkloadOptions = {}) {
		this.presetId = presetId;
		this.#options = options;
	}

	async estimate(): Promise<void> {
		if (this.status === 'running') return;
		this.status = 'running';
		this.error = '';
		try {
			const db = (this.#options.db ?? getDb)();
			const { preset, cards, newCards } = await loadWorkloadCards(db, this.presetId);
			const { records } = await loadPresetHistory(db, this.presetId);
			const timeZone = this.#options.timeZone ?? deviceTimeZone() ?? 'UTC';
			const levels = RETENTION_LEVELS.includes(preset.desiredRetention)
				? [...RETENTION_LEVELS]
				: [...RETENTION_LEVELS, preset.desiredRetention].sort((a, b) => a - b);
			this.current = preset.desiredRetention;
			this.#run = runWorkloadEstimate(
				{
					input: {
						weights: preset.weights,
						cards,
						newCards,
						newPerDay: preset.newPerDay,
						maximumInterval: preset.maximumInterval,
						learningPresentations: Math.max(1, preset.learningSteps.length),
						relearningPresentations: preset.relearningSteps.length,
						now: (this.#options.clock ?? systemClock)(),
						dayStartHour: preset.dayStartHour,
						timeZone
					},
					retentions: levels,
					history: { records, dayStartHour: preset.dayStartHour, timeZone }
				},
				this.#options.createWorker
			);
			this.estimates = await this.#run.result;
			this.status = 'done';
		} catch (e) {
			if (e instanceof OptimizerCancelled) {
				this.status = 'idle';
				return;
			}
			this.status = 'failed';
			this.error = `The estimate failed: ${e instanceof Error ? e.message : String(e)}`;
		} finally {
			this.#run = undefined;
		}
	}

	cancel(): void {
		this.#run?.cancel();
	}
}
