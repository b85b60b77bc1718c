/**
 * core/stats: the maths of the statistics page, pure and time-free (now, the study day and the
 * time zone are arguments). Review statistics come from per-day tallies of the review log
 * (tally.ts, reviews.ts), assembled from tallies kept per UTC quarter hour (buckets.ts); card statistics from one pass over the cards (cards.ts). Storage feeds
 * them (storage/stats-repo.ts); nothing here reads IndexedDB or the clock.
 */
export * from './histogram';
export * from './tally';
export * from './buckets';
export * from './reviews';
export * from './cards';
export * from './card-tallies';
