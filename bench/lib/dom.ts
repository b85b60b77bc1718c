/** DOM timing helpers shared by the browser benchmarks. */

/** Resolves with the time of the next animation frame. */
export const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/**
 * Resolves with performance.now() once `done()` holds after a DOM change under `target` (style
 * and layout forced, so the figure includes them), or at once if it already holds. Rejects after
 * `timeoutMs`, naming `what` it waited for.
 */
export function whenDom(
	target: HTMLElement,
	done: () => boolean,
	what: string,
	timeoutMs = 300_000
): Promise<number> {
	return new Promise((resolve, reject) => {
		const finish = () => {
			if (!done()) return false;
			void target.getBoundingClientRect().height;
			observer.disconnect();
			clearTimeout(timer);
			resolve(performance.now());
			return true;
		};
		const observer = new MutationObserver(() => finish());
		const timer = setTimeout(() => {
			observer.disconnect();
			reject(new Error(`timed out waiting for ${what}`));
		}, timeoutMs);
		observer.observe(target, { childList: true, subtree: true, characterData: true });
		finish();
	});
}
