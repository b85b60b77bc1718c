/** Scheduling: presets, study days, FSRS-6 grading, replay, queue order, labels. See README.md. */
export * from './preset';
export * from './day';
export * from './fuzz';
export * from './load-balance';
export * from './leech';
export * from './card-actions';
export {
	GRADES,
	gradeCard,
	previewGrades,
	retrievability,
	nextIntervalDays,
	type GradeContext,
	type GradeResult,
	type GradePreview
} from './scheduler';
export * from './replay';
export {
	LEARN_AHEAD_MS,
	buildQueue,
	deckCounts,
	limitUsed,
	orderQueue,
	studyQueue,
	type DeckQueueInput,
	type DeckQueueOptions,
	type QueueInput,
	type QueueLimits,
	type QueueOptions,
	type QueueCounts,
	type OrderedQueue
} from './queue';
export * from './format';
export * from './explain';
