import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettingsState } from '$lib/state/settings.svelte';
import { setDb, type RecallDb } from '$lib/storage/db';
import { dropDb, freshDb } from '$lib/storage/testing';
import PresetsSection from './PresetsSection.svelte';

let db: RecallDb;
let target: HTMLElement;
let component: ReturnType<typeof mount> | undefined;

beforeEach(() => {
	db = freshDb();
	setDb(db);
	target = document.createElement('div');
	document.body.append(target);
});
afterEach(async () => {
	if (component) await unmount(component);
	component = undefined;
	target.remove();
	setDb(undefined);
	await dropDb(db);
});

const text = () => target.textContent?.replace(/\s+/g, ' ') ?? '';

describe('the presets section', () => {
	it('shows the Default preset’s form once the store is read', async () => {
		const settings = new SettingsState(() => db);
		component = mount(PresetsSection, { target, props: { settings } });
		expect(text()).toContain('Reading the presets…');
		await settings.load();
		flushSync();
		expect(target.querySelector('form[aria-label="Preset Default"]')).not.toBeNull();
		expect(
			target.querySelector('[data-parameters-kind]')?.getAttribute('data-parameters-kind')
		).toBe('default');
	});

	it('says in words why the presets are missing when the store cannot be read, with Reload', async () => {
		vi.spyOn(db.presets, 'toArray').mockRejectedValueOnce(new Error('the disk is unreadable'));
		const settings = new SettingsState(() => db);
		component = mount(PresetsSection, { target, props: { settings } });
		await settings.load();
		flushSync();
		const alert = target.querySelector('[role="alert"]');
		expect(alert?.textContent).toContain(
			"The presets could not be read from this device's storage (the disk is unreadable)."
		);
		expect([...alert!.querySelectorAll('button')].map((b) => b.textContent?.trim())).toEqual([
			'Reload'
		]);
		expect(target.querySelector('form')).toBeNull();
	});
});
