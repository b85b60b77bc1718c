/**
 * Where the shared corpus's real review log lives, for Node tests and the benchmark: 12,580
 * reviews of 1,205 cards (py-fsrs's test data). Absent on machines without the shared corpus.
 */
export const JOSH_CSV_FROM_REPO = '../shared/corpus/revlogs/py-fsrs_review_logs_josh.csv';
