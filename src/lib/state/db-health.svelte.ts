/** Whether the database could be opened, and the problem to show in a banner if not. */
import { getDb } from '$lib/storage/db';
import { DB_MESSAGES, openWatched, type DbProblem } from '$lib/storage/health';

class DbHealth {
	problem = $state<DbProblem | null>(null);
	#ready: Promise<boolean> | undefined;

	get message(): string {
		return this.problem ? DB_MESSAGES[this.problem] : '';
	}

	/** Opens the database once per page; every reader awaits this first. */
	ready(): Promise<boolean> {
		this.#ready ??= openWatched(getDb(), (p) => {
			this.problem = p;
		});
		return this.#ready;
	}
}

export const dbHealth = new DbHealth();
