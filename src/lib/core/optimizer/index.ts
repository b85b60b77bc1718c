/**
 * Training FSRS on the learner's own reviews, the pure half: review log → training items
 * (fsrs-rs's conventions), the FSRS benchmark's metrics (log loss, RMSE(bins)) and time-series
 * split, a reader for the FSRS tools' review-log CSV, and a workload estimate per desired
 * retention. The training itself runs in a Web Worker (src/lib/workers/optimizer.worker.ts).
 */
export * from './items';
export * from './evaluate';
export * from './split';
export * from './revlog-csv';
export * from './workload';
