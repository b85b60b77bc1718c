/**
 * The FSRS benchmark's time-series split (scikit-learn's TimeSeriesSplit, as fsrs-rs implements
 * it): items in time order are cut into n+1 equal segments; fold k trains on segments 0…k and is
 * tested on segment k+1 (the last fold's test runs to the end). Every prediction is then made by
 * parameters that never saw that review or anything after it.
 */
export interface Fold {
	/** Items [0, trainEnd) train; items [trainEnd, testEnd) are predicted. */
	trainEnd: number;
	testEnd: number;
}

export const DEFAULT_SPLITS = 5;

export function timeSeriesFolds(itemCount: number, splits = DEFAULT_SPLITS): Fold[] {
	const segment = Math.floor(itemCount / (splits + 1));
	if (segment === 0) return [];
	return Array.from({ length: splits }, (_, k) => ({
		trainEnd: (k + 1) * segment,
		testEnd: k === splits - 1 ? itemCount : (k + 2) * segment
	}));
}
