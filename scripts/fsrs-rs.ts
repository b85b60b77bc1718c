/**
 * fsrs-rs's native Node build, for the optimizer's conformance test and benchmark only.
 *
 * `@open-spaced-repetition/binding` 0.5 lists eleven platform packages as optional dependencies,
 * but only the linux-x64-gnu one is published at 0.5, so a lockfile that holds it can never be
 * complete and `npm ci` refuses it. Recall therefore depends (optionally) on that one platform
 * package and loads its native module directly; elsewhere this returns undefined and the callers
 * skip with a reason.
 */
import { createRequire } from 'node:module';

export interface MemoryState {
	readonly stability: number;
	readonly difficulty: number;
}
export interface Review {
	readonly rating: number;
	readonly deltaT: number;
}
export interface Item {
	readonly reviews: Review[];
}
interface ItemState {
	readonly memory: MemoryState;
}
export interface NativeFsrs {
	FSRSBinding: new (parameters?: number[]) => {
		nextStates(
			state: MemoryState | null,
			desiredRetention: number,
			daysElapsed: number
		): { again: ItemState; hard: ItemState; good: ItemState; easy: ItemState };
	};
	BindingMemoryState: new (stability: number, difficulty: number) => MemoryState;
	FSRSBindingItem: new (reviews: Review[]) => Item;
	FSRSBindingReview: new (rating: number, deltaT: number) => Review;
	computeParameters(items: Item[], options?: { enableShortTerm: boolean }): Promise<number[]>;
	convertCsvToFsrsItems(
		data: Uint8Array,
		nextDayStartsAt: number,
		timeZone: string,
		offset: (ms: number, timeZone: string) => number
	): Item[];
}

export const NATIVE_PACKAGE = '@open-spaced-repetition/binding-linux-x64-gnu';

export function loadNativeFsrs(): NativeFsrs | undefined {
	try {
		return createRequire(import.meta.url)(NATIVE_PACKAGE) as NativeFsrs;
	} catch {
		return undefined;
	}
}
