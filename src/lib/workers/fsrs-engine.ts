/**
 * The training engine: fsrs-rs compiled to WASM (fsrs-browser), used without its thread pool.
 * Threadless it needs no cross-origin isolation and no helper workers, and on a 2-core machine
 * it is about as fast (docs/OPTIMIZER.md has the figures). It blocks the thread it runs on, so
 * the app only calls it from the optimizer worker. fsrs-rs reports nothing but a console line
 * per epoch ("epoch: 3 loss: …", through console.info); those lines become progress and stay
 * off the console.
 */
import type { InitInput } from 'fsrs-browser';
import type { TrainEngine } from './optimizer-run';

const EPOCH_LINE = /^epoch:\s*(\d+)/;
const TRAINING_LOG = /^(epoch|best_loss):/;

type Logger = (...args: unknown[]) => void;

/** Runs `body` with console.info/log lines of the training loop diverted to `onEpoch`. */
function divertTrainingLog<T>(onEpoch: ((epoch: number) => void) | undefined, body: () => T): T {
	const originals = { info: console.info, log: console.log };
	const divert =
		(original: Logger): Logger =>
		(...args) => {
			const line = typeof args[0] === 'string' ? args[0] : '';
			const epoch = EPOCH_LINE.exec(line);
			if (epoch) onEpoch?.(Number(epoch[1]));
			else if (!TRAINING_LOG.test(line)) original(...args);
		};
	console.info = divert(originals.info);
	console.log = divert(originals.log);
	try {
		return body();
	} finally {
		console.info = originals.info;
		console.log = originals.log;
	}
}

/** Load the WASM from a URL (browser) or its bytes (Node). */
export async function loadFsrsEngine(wasm: InitInput): Promise<TrainEngine> {
	const fsrsBrowser = await import('fsrs-browser');
	await fsrsBrowser.default({ module_or_path: wasm });
	return {
		train(flat, onEpoch) {
			return divertTrainingLog(onEpoch, () =>
				// computeParameters takes ownership of the model and frees it: a fresh one per run.
				Array.from(
					new fsrsBrowser.Fsrs().computeParameters(
						flat.ratings,
						flat.deltaTs,
						flat.lengths,
						null,
						true
					)
				)
			);
		}
	};
}
