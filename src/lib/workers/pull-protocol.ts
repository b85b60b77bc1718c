/** Messages between the sync loop (state/sync.svelte.ts) and the pull worker (plain data). */

export type PullRequest =
	| {
			type: 'page';
			/** The worker opens its own connection to this database. */
			dbName: string;
			/** The pull reply's body as the server sent it (parsed in the worker). */
			text: string;
			account: { epoch: string; cursor: number };
			paged: boolean;
	  }
	| { type: 'replay'; dbName: string };

export type PullWorkerReply =
	/** The server was restored (another epoch, or a head behind the cursor): nothing written. */
	| { type: 'restart'; epoch: string; serverTime: number }
	| {
			type: 'written';
			paged: boolean;
			done: boolean;
			serverTime: number;
			/** The latest clock stamp among the page's records, for the page's clock. */
			hlc: string | null;
	  }
	| { type: 'chunk'; cursor: number; head: number }
	| { type: 'replaying'; done: number; total: number }
	| { type: 'replayed'; count: number }
	| { type: 'error'; message: string; storageFull: boolean };
