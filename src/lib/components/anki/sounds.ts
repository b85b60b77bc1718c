/**
 * Sounds and text-to-speech of an Anki card, in its shadow root: a replay button beside each
 * `[sound:…]` (an `<audio class="anki-sound anki-q|anki-a">` from the renderer) and each
 * `{{tts …}}` text, hints turned into buttons, and playing a side's sounds one after another.
 */

let speakingVoices: SpeechSynthesisVoice[] | null = null;

/** The device's voices (Chromium lists them late: asked again until there are some). */
function voices(): SpeechSynthesisVoice[] {
	if (typeof speechSynthesis === 'undefined') return [];
	if (!speakingVoices?.length) speakingVoices = speechSynthesis.getVoices();
	return speakingVoices;
}

/** A voice for `lang` (`en-US`; `en` matches any English voice), or undefined. */
export function voiceFor(lang: string): SpeechSynthesisVoice | undefined {
	const want = lang.toLowerCase();
	const all = voices();
	return (
		all.find((v) => v.lang.toLowerCase().replace(/_/g, '-') === want) ??
		all.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === want.split('-')[0])
	);
}

function button(label: string, text: string, className: string): HTMLButtonElement {
	const b = document.createElement('button');
	b.type = 'button';
	b.className = className;
	b.setAttribute('aria-label', label);
	b.textContent = text;
	return b;
}

/** Adds the controls the renderer's placeholders stand for. */
export function decorate(root: HTMLElement): void {
	for (const details of root.querySelectorAll<HTMLDetailsElement>('details.hint')) {
		const summary = details.querySelector(':scope > summary');
		const label = summary?.textContent?.trim() || 'Hint';
		summary?.remove();
		const content = document.createElement('div');
		content.className = 'hint';
		content.hidden = true;
		content.append(...details.childNodes);
		const show = button(`Show ${label}`, label, 'hint');
		show.setAttribute('aria-expanded', 'false');
		show.addEventListener('click', () => {
			content.hidden = false;
			show.hidden = true;
			show.setAttribute('aria-expanded', 'true');
		});
		details.replaceWith(show, content);
	}
	for (const audio of root.querySelectorAll<HTMLAudioElement>('audio.anki-sound')) {
		const name = audio.title || 'sound';
		audio.removeAttribute('title');
		const replay = button(`Play sound ${name}`, '▶', 'replay-button');
		if (!audio.getAttribute('src')) {
			replay.disabled = true;
			replay.setAttribute('aria-label', `Sound ${name} is not on this device`);
			replay.title = `${name} is not in this device's media`;
		}
		replay.addEventListener('click', () => {
			stopAll(root);
			audio.currentTime = 0;
			void audio.play().catch(() => {});
		});
		audio.after(replay);
	}
	for (const span of root.querySelectorAll<HTMLElement>('span.anki-tts')) {
		const lang = span.lang || 'und';
		const voice = span.lang ? voiceFor(span.lang) : undefined;
		const speak = button(`Speak the text (${lang})`, '▶', 'replay-button tts');
		if (!voice) {
			speak.disabled = true;
			const reason = `no text-to-speech voice for ${lang} on this device`;
			speak.setAttribute('aria-label', `Speak the text: ${reason}`);
			speak.title = reason;
			const note = document.createElement('small');
			note.className = 'tts-reason';
			note.textContent = `(no ${lang} voice on this device)`;
			span.after(speak, note);
		} else {
			speak.addEventListener('click', () => {
				stopAll(root);
				say(span, voice);
			});
			span.after(speak);
		}
	}
}

function say(span: HTMLElement, voice: SpeechSynthesisVoice, onend?: () => void): void {
	const u = new SpeechSynthesisUtterance(span.textContent ?? '');
	u.voice = voice;
	u.lang = voice.lang;
	if (onend) u.onend = onend;
	speechSynthesis.speak(u);
}

/** Stops whatever the card is playing. */
export function stopAll(root: ParentNode): void {
	for (const audio of root.querySelectorAll<HTMLAudioElement>('audio.anki-sound')) audio.pause();
	if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
}

/**
 * Plays the side's sounds and speech in order: `q` the question's, `a` the answer's (not the
 * question's again, as Anki), `all` both (Anki's replay on the answer). A refused play (the
 * browser's autoplay policy before any tap) is quiet: the replay buttons are there.
 */
export function playSide(root: HTMLElement, side: 'q' | 'a' | 'all'): void {
	stopAll(root);
	const selector =
		side === 'all' ? '.anki-sound, .anki-tts' : `.anki-sound.anki-${side}, .anki-tts.anki-${side}`;
	const queue = [...root.querySelectorAll<HTMLElement>(selector)];
	const next = () => {
		const item = queue.shift();
		if (!item) return;
		if (item instanceof HTMLAudioElement) {
			if (!item.getAttribute('src')) return next();
			item.currentTime = 0;
			item.addEventListener('ended', next, { once: true });
			void item.play().catch(() => {});
		} else {
			const voice = item.lang ? voiceFor(item.lang) : undefined;
			if (voice) say(item, voice, next);
			else next();
		}
	};
	next();
}
