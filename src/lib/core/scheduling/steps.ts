/**
 * Learning steps as people type them, Anki-style: "1m 10m", "30s 5m 1h". Stored as minutes.
 * Parse and print are inverses for every list they accept (see steps.test.ts).
 */
const UNIT_MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440 };

export class StepsError extends Error {}

/** "1m 10m" → [1, 10]; a bare number is minutes. Throws StepsError naming the bad entry. */
export function parseSteps(text: string): number[] {
	const parts = text
		.trim()
		.split(/[\s,]+/)
		.filter(Boolean);
	return parts.map((part) => {
		const m = /^(\d+(?:\.\d+)?)([smhd]?)$/i.exec(part);
		if (!m) throw new StepsError(`"${part}" is not a step: write it like 10m, 1h or 30s`);
		const minutes = Number(m[1]) * UNIT_MINUTES[(m[2] || 'm').toLowerCase()]!;
		if (!(minutes > 0)) throw new StepsError(`"${part}" must be longer than zero`);
		return Math.round(minutes * 1000) / 1000;
	});
}

function one(minutes: number): string {
	if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440}d`;
	if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60}h`;
	if (Number.isInteger(minutes)) return `${minutes}m`;
	return `${Math.round(minutes * 60)}s`;
}

/** [1, 10] → "1m 10m". */
export function formatSteps(steps: readonly number[]): string {
	return steps.map(one).join(' ');
}

const DAY_SECONDS = 86_400;

/** A step in whole seconds, as Anki keeps them (steps are stored as minutes, 30s = 0.5). */
const secondsOf = (minutes: number | undefined): number | undefined =>
	minutes === undefined || !(minutes > 0) ? undefined : Math.round(minutes * 60);

/**
 * Anki's delay for Hard on a (re)learning card at step `index` (rslib scheduler/states/steps.rs
 * `hard_delay_secs`): on the first step the mean of the first two steps (5.5 min with 1m 10m), or
 * with one step 1.5 × that step but at most a day more; on a later step that step again.
 */
export function hardDelaySeconds(steps: readonly number[], index: number): number | undefined {
	const current = secondsOf(steps[index]);
	if (current === undefined) return undefined;
	if (index > 0) return current;
	const next = secondsOf(steps[1]);
	if (next !== undefined) return Math.floor((current + next) / 2);
	return Math.min(Math.floor((current * 3) / 2), current + DAY_SECONDS);
}

/**
 * Anki's delay in seconds for answering a (re)learning card at step `index` with Again (the first
 * step), Hard (hardDelaySeconds) or Good (the next step); undefined when the answer leaves the
 * steps (Good on the last step, Easy): the card graduates.
 */
export function stepDelaySeconds(
	steps: readonly number[],
	index: number,
	grade: number
): number | undefined {
	if (grade === 1) return secondsOf(steps[0]);
	if (grade === 2) return hardDelaySeconds(steps, index);
	if (grade === 3) return secondsOf(steps[index + 1]);
	return undefined;
}

/**
 * Anki's `cards.left` for a (re)learning card waiting at step `index`: the steps still to pass
 * (`steps.length − index`, at least 1) plus 1000 × how many of them can be passed before the
 * study day ends (Anki's `_leftToday`, at least 1): 2002 after Again with 1m 10m.
 */
export function ankiLeft(
	steps: readonly number[],
	index: number,
	now: number,
	dayEnds: number
): number {
	const remaining = Math.max(1, steps.length - Math.max(0, Math.floor(index)));
	const delays = steps.slice(steps.length - remaining);
	let t = now;
	let today = 0;
	for (let i = 0; i < delays.length; i++) {
		t += (secondsOf(delays[i]) ?? 0) * 1000;
		if (t > dayEnds) break;
		today = i;
	}
	return (today + 1) * 1000 + remaining;
}
