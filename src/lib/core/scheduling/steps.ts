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
