import axe from 'axe-core';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../../app.css';
import { DeckManager as Decks } from '$lib/state/deck-manager.svelte';
import { NoteDraft } from '$lib/state/note-draft.svelte';
import type { RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import AddNote from './AddNote.svelte';
import DeckManager from './DeckManager.svelte';
import { until } from '$lib/components/testing';

const NOW = Date.UTC(2026, 10, 23, 12);
/** A 1×1 PNG. */
const PNG = Uint8Array.from(
	atob(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
	),
	(c) => c.charCodeAt(0)
);

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(async () => {
	await page.viewport(360, 800);
	db = freshDb();
	target = document.createElement('div');
	document.body.append(target);
});

afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	await dropDb(db);
});

const button = (name: string) =>
	[...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
	el.value = value;
	el.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('managing decks', () => {
	it('creates a deck and a subdeck, renames, deletes after confirming, and undoes', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		await manager.load();
		component = mount(DeckManager, { target, props: { manager } });
		type(target.querySelector<HTMLInputElement>('#deck-title')!, 'Russian history');
		button('Create deck')!.click();
		await until(() => manager.decks.length === 1, 'the deck');
		expect(target.querySelector('[role=status]')?.textContent).toBe(
			'Created the deck “Russian history”.'
		);
		const parent = target.querySelector<HTMLSelectElement>('#deck-parent')!;
		parent.value = manager.decks[0]!.id;
		parent.dispatchEvent(new Event('change', { bubbles: true }));
		type(target.querySelector<HTMLInputElement>('#deck-title')!, 'Civil war');
		button('Create deck')!.click();
		await until(() => manager.decks.length === 2, 'the subdeck');
		expect(manager.decks.map((d) => d.title)).toEqual([
			'Russian history',
			'Russian history::Civil war'
		]);

		target.querySelector<HTMLButtonElement>('[aria-label="Rename Russian history"]')!.click();
		flushSync();
		type(
			target.querySelector<HTMLInputElement>(`#rename-${manager.decks[0]!.id}`)!,
			'Soviet history'
		);
		button('Save name')!.click();
		await until(() => manager.decks[1]?.title === 'Soviet history::Civil war', 'renamed');

		target.querySelector<HTMLButtonElement>('[aria-label="Delete Soviet history"]')!.click();
		await until(() => !!button('Delete deck'), 'the confirmation');
		expect(target.textContent).toContain(
			'Delete “Soviet history”, its 1 subdeck, 0 cards and 0 reviews?'
		);
		button('Delete deck')!.click();
		await until(() => manager.decks.length === 0, 'deleted');
		button('Undo delete')!.click();
		await until(() => manager.decks.length === 2, 'restored');
	});
});

describe('adding a note', () => {
	it('makes a cloze with the helper, adds a picture, previews it live and saves it', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		const deck = await manager.create('Trotsky');
		const draft = new NoteDraft(() => db, { deckId: deck!.id, clock: () => NOW });
		let added = '';
		component = mount(AddNote, {
			target,
			props: { draft, decks: manager.decks, onadded: (m: string) => (added = m) }
		});
		target.querySelector<HTMLInputElement>('input[value=cloze]')!.click();
		flushSync();
		const text = target.querySelector<HTMLTextAreaElement>('#field-text')!;
		type(text, 'Born Lev Bronstein in 1879.');
		text.setSelectionRange(5, 18);
		button('Cloze […]')!.click();
		flushSync();
		expect(draft.fields.text).toBe('Born {{c1::Lev Bronstein}} in 1879.');
		text.setSelectionRange(text.value.length - 5, text.value.length - 1);
		button('Cloze […]')!.click();
		flushSync();
		expect(draft.fields.text).toBe('Born {{c1::Lev Bronstein}} in {{c2::1879}}.');

		const file = new File([PNG], 'portrait.png', { type: 'image/png' });
		const input = target.querySelector<HTMLInputElement>('input[type=file]:not([capture])')!;
		const files = new DataTransfer();
		files.items.add(file);
		input.files = files.files;
		input.dispatchEvent(new Event('change', { bubbles: true }));
		await until(() => !!target.querySelector('.preview img'), 'the picture in the preview');
		expect(target.querySelector('.preview img')?.getAttribute('src')).toMatch(/^blob:/);
		expect(target.querySelectorAll('figure')).toHaveLength(2);
		expect(target.querySelector('figure .front')?.textContent).toContain('Born [...] in 1879.');

		button('Add note')!.click();
		await until(() => added !== '', 'saved');
		expect(added).toBe('Added a note with 2 cards to “Trotsky”.');
		const [note] = await db.notes.toArray();
		expect(note?.fields.text).toMatch(
			/^Born \{\{c1::Lev Bronstein\}\} in \{\{c2::1879\}\}\.<img src="img-[a-z0-9]+\.png" alt="">$/
		);
		expect(await db.cards.count()).toBe(2);
		const name = /src="([^"]+)"/.exec(note!.fields.text!)![1]!;
		expect((await db.media.get(name))?.type).toBe('image/png');
		expect(draft.fields.text).toBe('');
	});

	it('adds the first note to "My cards", made with it, and gives the first field the focus', async () => {
		const draft = new NoteDraft(() => db, { clock: () => NOW });
		component = mount(AddNote, { target, props: { draft, decks: [] } });
		flushSync();
		const select = target.querySelector<HTMLSelectElement>('#add-deck')!;
		expect(select.selectedOptions[0]?.textContent).toBe('My cards (new deck)');
		type(target.querySelector<HTMLTextAreaElement>('#field-front')!, 'Haus');
		type(target.querySelector<HTMLTextAreaElement>('#field-back')!, 'house');
		button('Add note')!.click();
		const status = () => target.querySelector('.added[role=status]')?.textContent ?? '';
		await until(() => status() !== '', 'the confirmation');
		expect(status()).toBe('Added a note with 1 card to “My cards”.');
		await until(() => document.activeElement?.id === 'field-front', 'the focus on the front');
		const decks = await db.decks.toArray();
		expect(decks.map((d) => [d.title, d.origin])).toEqual([['My cards', 'user']]);
		expect(draft.deckId).toBe(decks[0]!.id);
		expect((await db.notes.toArray()).map((n) => n.deckId)).toEqual([decks[0]!.id]);

		// A second note without a deck chosen finds the same deck; no "My cards 2".
		const again = new NoteDraft(() => db, { clock: () => NOW });
		again.setField('front', 'Baum');
		expect(await again.save()).not.toBeNull();
		expect(await db.decks.count()).toBe(1);
		expect(await db.notes.where('deckId').equals(decks[0]!.id).count()).toBe(2);
	});

	it('writes a reversed note’s extra and reverse question, previews them on the right side and saves them', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		const deck = await manager.create('Trotsky');
		const draft = new NoteDraft(() => db, { deckId: deck!.id, clock: () => NOW });
		component = mount(AddNote, {
			target,
			props: { draft, decks: manager.decks, onadded: () => {} }
		});
		const label = (id: string) => target.querySelector(`label[for=${id}]`)?.textContent?.trim();
		// A basic note offers the extra, not the reverse question.
		expect(label('field-extra')).toBe('Extra (shown after the answer)');
		expect(target.querySelector('#field-reversePrompt')).toBeNull();
		target.querySelector<HTMLInputElement>('input[value=reversed]')!.click();
		flushSync();
		expect(label('field-reversePrompt')).toBe('Question for the reverse card (optional)');
		expect([...target.querySelectorAll<HTMLTextAreaElement>('textarea')].map((t) => t.id)).toEqual([
			'field-front',
			'field-back',
			'field-reversePrompt',
			'field-extra'
		]);

		type(target.querySelector<HTMLTextAreaElement>('#field-front')!, 'Trotsky’s assassin');
		type(target.querySelector<HTMLTextAreaElement>('#field-back')!, 'Ramón Mercader');
		type(
			target.querySelector<HTMLTextAreaElement>('#field-reversePrompt')!,
			'Who was Ramón Mercader?'
		);
		type(target.querySelector<HTMLTextAreaElement>('#field-extra')!, 'He used the name Jacson.');
		flushSync();
		const figures = [...target.querySelectorAll('figure')];
		expect(figures.map((f) => f.querySelector('figcaption')?.textContent)).toEqual([
			'Front → back',
			'Back → front'
		]);
		const side = (f: Element, s: string) => f.querySelector(`.${s}`)?.textContent?.trim();
		expect(side(figures[0]!, 'front')).toBe('Trotsky’s assassin');
		expect(side(figures[1]!, 'front')).toBe('Who was Ramón Mercader?');
		for (const figure of figures) {
			// The extra is below the answer, never with the question.
			expect(side(figure, 'front')).not.toContain('Jacson');
			expect(figure.querySelector('.back .extra')?.textContent?.trim()).toBe(
				'He used the name Jacson.'
			);
		}

		button('Add note')!.click();
		await until(() => draft.savedDeck !== null, 'saved');
		const [note] = await db.notes.toArray();
		expect(note?.fields).toEqual({
			front: 'Trotsky’s assassin',
			back: 'Ramón Mercader',
			reversePrompt: 'Who was Ramón Mercader?',
			extra: 'He used the name Jacson.'
		});
		expect(await db.cards.count()).toBe(2);
	});

	it('stores an empty optional field as absent, on a new note and on an edit', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		const deck = await manager.create('D');
		const draft = new NoteDraft(() => db, { deckId: deck!.id, clock: () => NOW });
		draft.setType('reversed');
		draft.setField('front', 'gehen');
		draft.setField('back', 'to go');
		draft.setField('extra', '   ');
		expect(await draft.save()).not.toBeNull();
		const [added] = await db.notes.toArray();
		expect(added?.fields).toEqual({ front: 'gehen', back: 'to go' });

		await db.notes.update(added!.id, { fields: { ...added!.fields, extra: 'irregular' } });
		const stored = await db.notes.get(added!.id);
		const edit = new NoteDraft(() => db, { note: stored!, clock: () => NOW + 1000 });
		expect(edit.fieldNames).toEqual(['front', 'back', 'reversePrompt', 'extra']);
		edit.setField('extra', '');
		edit.setField('reversePrompt', 'What does “to go” translate?');
		expect(await edit.save()).not.toBeNull();
		expect((await db.notes.get(added!.id))?.fields).toEqual({
			front: 'gehen',
			back: 'to go',
			reversePrompt: 'What does “to go” translate?'
		});
	});

	it('carries the fields over when the type changes before saving', () => {
		const draft = new NoteDraft(() => db, {});
		draft.setType('reversed');
		draft.setField('front', 'Lev');
		draft.setField('back', 'Bronstein');
		draft.setField('reversePrompt', 'Trotsky’s birth name?');
		draft.setField('extra', 'Born 1879');
		draft.setType('basic');
		expect(draft.note.fields).toEqual({ front: 'Lev', back: 'Bronstein', extra: 'Born 1879' });
		draft.setType('reversed');
		expect(draft.fields.reversePrompt).toBe('Trotsky’s birth name?');
		draft.setType('cloze');
		expect(draft.note.fields).toEqual({ text: 'Lev', extra: 'Bronstein\n\nBorn 1879' });
		draft.setType('basic');
		expect(draft.note.fields).toEqual({ front: 'Lev', back: 'Bronstein\n\nBorn 1879' });
	});

	it('says what is missing instead of saving a cloze without a cloze', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		const deck = await manager.create('D');
		const draft = new NoteDraft(() => db, { deckId: deck!.id });
		component = mount(AddNote, {
			target,
			props: { draft, decks: manager.decks, onadded: () => {} }
		});
		target.querySelector<HTMLInputElement>('input[value=cloze]')!.click();
		flushSync();
		type(target.querySelector<HTMLTextAreaElement>('#field-text')!, 'No cloze here');
		button('Add note')!.click();
		await until(() => !!target.querySelector('[role=alert]'), 'the problem');
		expect(target.querySelector('[role=alert]')?.textContent).toMatch(/Hide at least one part/);
		expect(await db.notes.count()).toBe(0);
	});
});

describe('accessibility at 360 px', () => {
	it('has no axe violations and no horizontal scroll on the add form and the deck list', async () => {
		const manager = new Decks(
			() => db,
			() => NOW
		);
		const deck = await manager.create('A deck with a rather long name for a phone');
		await manager.create('Child', deck!.id);
		const draft = new NoteDraft(() => db, { deckId: deck!.id });
		const holder = document.createElement('div');
		target.append(holder);
		component = mount(AddNote, {
			target: holder,
			props: { draft, decks: manager.decks, onadded: () => {} }
		});
		const second = mount(DeckManager, { target, props: { manager } });
		flushSync();
		try {
			const results = await axe.run(target, { resultTypes: ['violations'] });
			expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target)}`)).toEqual([]);
			expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(360);
			for (const el of target.querySelectorAll<HTMLElement>(
				'button, label.button, select, input[type=text]'
			)) {
				expect(el.getBoundingClientRect().height, el.outerHTML.slice(0, 80)).toBeGreaterThanOrEqual(
					47.5
				);
			}
		} finally {
			await unmount(second);
		}
	});
});
