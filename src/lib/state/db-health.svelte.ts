/** Whether the database could be opened, and the problem to show in a banner if not. */
import { getDb } from '$lib/storage/db';
import { DB_MESSAGES, openWatched, type DbProblem } from '$lib/storage/health';
import { systemClock } from './clock';

class DbHealth {
	problem = $state<DbProblem | null>(null);
	/** The database is being brought up to this version's schema (once, after an update). */
	migrating = $state(false);
	#ready: Promise<boolean> | undefined;

	get message(): string {
		return this.problem ? DB_MESSAGES[this.problem] : '';
	}

	/** Opens the database once per page; every reader awaits this first. */
	ready(): Promise<boolean> {
		this.#ready ??= openWatched(
			getDb(),
			(p) => {
				this.problem = p;
			},
			{
				now: systemClock,
				migrating: (running) => {
					this.migrating = running;
				}
			}
		);
		return this.#ready;
	}
}

export const dbHealth = new DbHealth();
