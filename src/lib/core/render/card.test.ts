import { describe, expect, it } from 'vitest';
import { note } from '../testing/factories';
import { renderCard } from './card';

describe('renderCard: extra and the reverse prompt', () => {
	it('shows extra on a basic card’s answer side only, below the answer', () => {
		const n = note({
			type: 'basic',
			fields: { front: 'Who?', back: 'Trotsky', extra: 'Born *Bronstein*' }
		});
		const r = renderCard(n, { ord: 0 });
		expect(r.front).toBe('<p>Who?</p>');
		expect(r.back).toBe('<p>Trotsky</p><div class="extra"><p>Born <em>Bronstein</em></p></div>');
	});

	it('asks a reversed note’s back → front card with its reverse prompt', () => {
		const n = note({
			type: 'reversed',
			fields: {
				front: 'Assassin of Trotsky',
				back: 'Ramón Mercader',
				reversePrompt: 'Who was Ramón Mercader?',
				extra: 'Arrested as Frank Jacson'
			}
		});
		const forward = renderCard(n, { ord: 0 });
		expect(forward.front).toBe('<p>Assassin of Trotsky</p>');
		expect(forward.back).toContain('<p>Ramón Mercader</p>');
		const reverse = renderCard(n, { ord: 1 });
		expect(reverse.front).toBe('<p>Who was Ramón Mercader?</p>');
		expect(reverse.front).not.toContain('Assassin');
		expect(reverse.back).toBe(
			'<p>Assassin of Trotsky</p><div class="extra"><p>Arrested as Frank Jacson</p></div>'
		);
		expect(reverse.backReplacesFront).toBe(false);
	});

	it('shows the bare back on the reverse card when there is no prompt (notes made before)', () => {
		const n = note({ type: 'reversed', fields: { front: 'Q', back: 'A' } });
		expect(renderCard(n, { ord: 1 })).toMatchObject({ front: '<p>A</p>', back: '<p>Q</p>' });
	});

	it('keeps a cloze card’s extra after the revealed text, and none for a blank extra', () => {
		const n = note({ type: 'cloze', fields: { text: 'In {{c1::1940}}', extra: 'Mexico' } });
		const r = renderCard(n, { ord: 0 });
		expect(r.front).not.toContain('Mexico');
		expect(r.back).toMatch(/1940.*<div class="extra"><p>Mexico<\/p><\/div>$/);
		const blank = note({ type: 'basic', fields: { front: 'Q', back: 'A', extra: '  ' } });
		expect(renderCard(blank, { ord: 0 }).back).toBe('<p>A</p>');
	});
});
