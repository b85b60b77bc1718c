// Judging rows against their budgets and printing them as one table.

const fmt = (value, unit) => {
	if (value === null || value === undefined || Number.isNaN(value)) return '—';
	const n = value.toLocaleString('en-US', { maximumFractionDigits: 4 });
	return unit ? `${n} ${unit}` : n;
};

/** Adds `status` (pass, miss, info, not measured) and `by` (how far off a missed budget is). */
export function judge(row) {
	const { value, budget } = row;
	if (value === null || value === undefined || Number.isNaN(value))
		return { ...row, value: null, status: 'not measured' };
	if (!budget || (budget.max === undefined && budget.min === undefined))
		return { ...row, status: 'info' };
	const over = budget.max !== undefined && value > budget.max;
	const under = budget.min !== undefined && value < budget.min;
	if (!over && !under) return { ...row, status: 'pass' };
	const limit = over ? budget.max : budget.min;
	const diff = Math.abs(value - limit);
	const pct = limit !== 0 ? ` (${Math.round((diff / Math.abs(limit)) * 100)} %)` : '';
	const by = `${over ? '+' : '−'}${fmt(Math.round(diff * 1000) / 1000, row.unit)}${pct}`;
	return { ...row, status: 'miss', by };
}

export function budgetText(row) {
	const { budget, unit } = row;
	if (!budget) return '';
	const parts = [];
	if (budget.min !== undefined) parts.push(`≥ ${fmt(budget.min, unit)}`);
	if (budget.max !== undefined) parts.push(`≤ ${fmt(budget.max, unit)}`);
	return parts.join(', ');
}

/** The table as text: one block per section, notes numbered underneath. */
export function render(rows) {
	const lines = [];
	const notes = [];
	const cells = rows.map((r) => {
		let note = '';
		if (r.note) {
			notes.push(r.note);
			note = ` [${notes.length}]`;
		}
		return {
			section: r.section,
			name: r.name + note,
			figure: fmt(r.value, r.unit),
			budget: budgetText(r),
			result: r.status === 'miss' ? `MISS ${r.by}` : r.status === 'pass' ? 'pass' : r.status
		};
	});
	const width = (key, title) => Math.max(title.length, ...cells.map((c) => c[key].length));
	const w = {
		name: width('name', 'metric'),
		figure: width('figure', 'figure'),
		budget: width('budget', 'budget'),
		result: width('result', 'result')
	};
	const line = (c) =>
		`${c.name.padEnd(w.name)}  ${c.figure.padStart(w.figure)}  ${c.budget.padEnd(w.budget)}  ${c.result}`;
	const rule = '─'.repeat(w.name + w.figure + w.budget + w.result + 6);
	lines.push(line({ name: 'metric', figure: 'figure', budget: 'budget', result: 'result' }));
	let section = null;
	for (const c of cells) {
		if (c.section !== section) {
			section = c.section;
			lines.push(rule, section);
		}
		lines.push(line(c));
	}
	lines.push(rule);
	notes.forEach((n, i) => lines.push(`[${i + 1}] ${n}`));
	return lines.join('\n');
}
