/**
 * One "Optimize" run for a preset, as the settings page shows it: read the preset's review log,
 * train and evaluate in the worker (progress, cancel), then — only if the new parameters predict
 * the history better — save them on the user's word. Nothing is written before `apply()`, so a
 * cancelled or failed run leaves the preset as it was.
 */
import type { Preset } from '$lib/core/model';
import { getDb, type RecallDb } from '$lib/storage/db';
import { loadPresetHistory, saveOptimizedWeights } from '$lib/storage/optimizer-repo';
import {
	OptimizerCancelled,
	runOptimizer,
	type CreateWorker,
	type OptimizerRun
} from '$lib/workers/optimizer-client';
import type { OptimizeOutcome, OptimizeStage } from '$lib/workers/optimizer-protocol';
import { deviceTimeZone, systemClock, type Clock } from './clock';

export type OptimizerStatus =
	'idle' | 'loading' | 'running' | 'finished' | 'applying' | 'applied' | 'cancelled' | 'failed';

export type OptimizeResult = Extract<OptimizeOutcome, { kind: 'done' }>;
export type TooLittle = Extract<OptimizeOutcome, { kind: 'too-little' }>;

export interface OptimizerOptions {
	db?: () => RecallDb;
	createWorker?: CreateWorker;
	clock?: Clock;
	timeZone?: string;
}

export class OptimizerJob {
	status = $state<OptimizerStatus>('idle');
	stage = $state<OptimizeStage>('training');
	/** 0–1 */
	progress = $state(0);
	result = $state.raw<OptimizeResult | null>(null);
	tooLittle = $state.raw<TooLittle | null>(null);
	/** The preset as saved by apply(). */
	applied = $state.raw<Preset | null>(null);
	message = $state('');
	error = $state('');
	readonly presetId: string;
	readonly #options: OptimizerOptions;
	#run: OptimizerRun<OptimizeOutcome> | undefined;
	#basedOn: number[] = [];
	#generation = 0;

	constructor(presetId: string, options: OptimizerOptions = {}) {
		this.presetId = presetId;
		this.#options = options;
	}

	get busy(): boolean {
		return this.status === 'loading' || this.status === 'running' || this.status === 'applying';
	}

	get canApply(): boolean {
		return this.status === 'finished' && !!this.result?.better;
	}

	async start(): Promise<void> {
		if (this.busy) return;
		const generation = ++this.#generation;
		this.status = 'loading';
		this.progress = 0;
		this.stage = 'training';
		this.result = null;
		this.tooLittle = null;
		this.applied = null;
		this.message = '';
		this.error = '';
		try {
			const db = (this.#options.db ?? getDb)();
			const { preset, records } = await loadPresetHistory(db, this.presetId);
			if (generation !== this.#generation) return;
			this.#basedOn = [...preset.weights];
			this.status = 'running';
			this.#run = runOptimizer(
				{
					records,
					currentWeights: this.#basedOn,
					dayStartHour: preset.dayStartHour,
					timeZone: this.#options.timeZone ?? deviceTimeZone() ?? 'UTC',
					relearningSteps: preset.relearningSteps.length
				},
				(stage, fraction) => {
					if (generation !== this.#generation) return;
					this.stage = stage;
					this.progress = fraction;
				},
				this.#options.createWorker
			);
			const outcome = await this.#run.result;
			if (generation !== this.#generation) return;
			this.progress = 1;
			this.status = 'finished';
			if (outcome.kind === 'too-little') this.tooLittle = outcome;
			else this.result = outcome;
		} catch (e) {
			if (generation !== this.#generation) return;
			if (e instanceof OptimizerCancelled) {
				this.status = 'cancelled';
				this.message = e.message;
			} else {
				this.status = 'failed';
				this.error = `Optimizing failed: ${e instanceof Error ? e.message : String(e)}`;
			}
		} finally {
			if (generation === this.#generation) this.#run = undefined;
		}
	}

	/** Stops a run: the worker is terminated and the preset keeps its parameters. */
	cancel(): void {
		if (this.status !== 'loading' && this.status !== 'running') return;
		this.#generation++;
		this.#run?.cancel();
		this.#run = undefined;
		this.status = 'cancelled';
		this.message = new OptimizerCancelled().message;
	}

	async apply(): Promise<Preset | null> {
		const result = this.result;
		if (!this.canApply || !result) return null;
		this.status = 'applying';
		try {
			const db = (this.#options.db ?? getDb)();
			this.applied = await saveOptimizedWeights(db, this.presetId, {
				weights: result.weights,
				basedOn: this.#basedOn,
				fsrsVersion: result.fsrsVersion,
				reviewCount: result.reviewCount,
				current: result.current,
				optimized: result.optimized,
				now: (this.#options.clock ?? systemClock)()
			});
			this.status = 'applied';
			this.message = 'New FSRS-6 parameters saved.';
			return this.applied;
		} catch (e) {
			this.status = 'finished';
			this.error = e instanceof Error ? e.message : String(e);
			return null;
		}
	}
}
