/**
 * Looking after the collection from Settings: Check database, rescheduling after a preset
 * change, and the automatic local snapshots (list, restore, the daily one).
 */
import type { Preset } from '$lib/core/model';
import { checkDatabase, describeReport } from '$lib/storage/check-db';
import { getDb, type RecallDb } from '$lib/storage/db';
import { describeDbError } from '$lib/storage/health';
import { rescheduleCards } from '$lib/storage/reschedule-repo';
import { listSnapshots, restoreSnapshot, type SnapshotInfo } from '$lib/storage/snapshots';
import { deviceTimeZone, systemClock, type Clock } from './clock';
import { takeSnapshotOffThread } from '$lib/workers/snapshot-client';

export class Maintenance {
	busy = $state(false);
	/** The outcome of the last action, for a status region. */
	message = $state('');
	snapshots = $state.raw<SnapshotInfo[]>([]);
	progress = $state<{ done: number; total: number } | null>(null);
	readonly #db: () => RecallDb;
	readonly #clock: Clock;

	constructor(db: () => RecallDb = getDb, clock: Clock = systemClock) {
		this.#db = db;
		this.#clock = clock;
	}

	async #run(action: () => Promise<string>): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		this.message = '';
		try {
			this.message = await action();
		} catch (e) {
			this.message = describeDbError(e);
		} finally {
			this.busy = false;
			this.progress = null;
		}
	}

	check = () =>
		this.#run(async () =>
			describeReport(await checkDatabase(this.#db(), this.#clock(), deviceTimeZone()))
		);

	/** Replays the studied cards of the preset's decks; a snapshot is taken first. */
	reschedule = (preset: Preset) =>
		this.#run(async () => {
			await takeSnapshotOffThread(this.#db(), 'reschedule', this.#clock(), deviceTimeZone());
			const zone = deviceTimeZone();
			const n = await rescheduleCards(this.#db(), preset, zone, this.#clock(), (done, total) => {
				this.progress = { done, total };
			});
			return `Rescheduled ${n} ${n === 1 ? 'card' : 'cards'} from their review history.`;
		});

	async loadSnapshots(): Promise<void> {
		this.snapshots = await listSnapshots(this.#db());
	}

	restore = (id: number) =>
		this.#run(async () => {
			const counts = await restoreSnapshot(this.#db(), id, this.#clock(), deviceTimeZone());
			await this.loadSnapshots();
			return `Restored ${counts.decks} decks, ${counts.cards} cards and ${counts.reviews} reviews. The collection as it was just before is kept as a snapshot too.`;
		});
}

/** Kept here for callers of the old place; it lives in daily-snapshot.ts (no snapshot chain). */
export { scheduleDailySnapshot } from './daily-snapshot';
