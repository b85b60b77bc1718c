import { describe, expect, it } from 'vitest';
import type { NoteModel } from '../model';
import {
	fieldIsEmpty,
	renderAnkiCard,
	renderAnkiTemplate,
	type AnkiCardContext
} from './anki-template';

/** Anki's stock note types, templates verbatim. */
const BASIC: NoteModel = {
	id: 'anki-1',
	name: 'Basic',
	kind: 'standard',
	fields: ['Front', 'Back'],
	templates: [
		{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }
	],
	css: '.card { font-family: arial; }'
};
const OPTIONAL_REVERSED: NoteModel = {
	...BASIC,
	id: 'anki-2',
	name: 'Basic (optional reversed card)',
	fields: ['Front', 'Back', 'Add Reverse'],
	templates: [
		BASIC.templates[0] as NoteModel['templates'][number],
		{
			name: 'Card 2',
			front: '{{#Add Reverse}}{{Back}}{{/Add Reverse}}',
			back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}'
		}
	]
};
const CLOZE: NoteModel = {
	id: 'anki-3',
	name: 'Cloze',
	kind: 'cloze',
	fields: ['Text', 'Back Extra'],
	templates: [
		{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>\n{{Back Extra}}' }
	],
	css: '.cloze { font-weight: bold; color: blue; }'
};
const TYPE_IN: NoteModel = {
	...BASIC,
	name: 'Basic (type in the answer)',
	templates: [
		{
			name: 'Card 1',
			front: '{{Front}}\n\n{{type:Back}}',
			back: '{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}'
		}
	]
};

const ctx = (
	fields: Record<string, string>,
	more: Partial<AnkiCardContext> = {}
): AnkiCardContext => ({ fields, ...more });

describe('rendering Anki card templates', () => {
	it('renders the stock Basic card, the back including the front', () => {
		expect(renderAnkiCard(BASIC, { fields: { Front: 'Haus', Back: 'house' } }, 0)).toEqual({
			front: 'Haus',
			back: 'Haus\n\n<hr id=answer>\n\nhouse',
			css: '.card { font-family: arial; }'
		});
	});

	it('renders a conditional reverse card only when its field is filled', () => {
		const filled = { fields: { Front: 'Haus', Back: 'house', 'Add Reverse': 'y' } };
		expect(renderAnkiCard(OPTIONAL_REVERSED, filled, 1).front).toBe('house');
		const empty = { fields: { Front: 'Haus', Back: 'house', 'Add Reverse': ' <br> ' } };
		expect(renderAnkiCard(OPTIONAL_REVERSED, empty, 1).front).toBe('');
	});

	it('renders inverted sections when the field is empty', () => {
		const template =
			'{{^Image}}<i>no picture</i>{{/Image}}{{#Image}}<div>{{Image}}</div>{{/Image}}';
		expect(renderAnkiTemplate(template, ctx({ Image: '' }), 'front')).toBe('<i>no picture</i>');
		expect(renderAnkiTemplate(template, ctx({ Image: '<img src="a.png">' }), 'front')).toBe(
			'<div><img src="a.png"></div>'
		);
	});

	it('renders a cloze card: [...] on the front, the answer in a span on the back, Back Extra after', () => {
		const note = {
			fields: {
				Text: 'The {{c1::Rhine}} flows into the {{c2::North Sea}}.',
				'Back Extra': 'Europe'
			}
		};
		const card = renderAnkiCard(CLOZE, note, 1);
		expect(card.front).toBe('The Rhine flows into the <span class="cloze">[...]</span>.');
		expect(card.back).toBe(
			'The Rhine flows into the <span class="cloze">North Sea</span>.<br>\nEurope'
		);
	});

	it('puts a typing box on the front and the expected answer on the back for {{type:}}', () => {
		const card = renderAnkiCard(TYPE_IN, { fields: { Front: 'Haus', Back: '<b>house</b>' } }, 0);
		expect(card.front).toBe('Haus\n\n<span class="anki-type-input"></span>');
		expect(card.back).toBe('Haus\n\n<hr id=answer>\n\n<span class="anki-type-answer">house</span>');
		const typed = renderAnkiTemplate(
			'{{type:cloze:Text}}',
			ctx({ Text: '{{c1::a}} {{c1::b}}' }, { clozeNumber: 1 }),
			'back'
		);
		expect(typed).toBe('<span class="anki-type-answer">a, b</span>');
	});

	it("compares the front's {{type:}} when the back only has {{FrontSide}}", () => {
		const model: NoteModel = {
			...BASIC,
			templates: [{ name: 'Card 1', front: '{{Front}} {{type:Back}}', back: '{{FrontSide}}' }]
		};
		const card = renderAnkiCard(model, { fields: { Front: 'Haus', Back: 'house' } }, 0);
		expect(card.back).toBe('Haus <span class="anki-type-answer">house</span>');
	});

	it('applies text:, hint: and furigana filters, innermost first', () => {
		const fields = {
			Back: '<b>house</b>',
			Hint: 'a building',
			Reading: '漢字[かんじ] 日本[にほん]'
		};
		expect(renderAnkiTemplate('{{text:Back}}', ctx(fields), 'front')).toBe('house');
		expect(renderAnkiTemplate('{{hint:Hint}}', ctx(fields), 'front')).toBe(
			'<details class="hint"><summary>Hint</summary>a building</details>'
		);
		expect(renderAnkiTemplate('{{furigana:Reading}}', ctx(fields), 'front')).toBe(
			'<ruby><rb>漢字</rb><rt>かんじ</rt></ruby><ruby><rb>日本</rb><rt>にほん</rt></ruby>'
		);
		expect(renderAnkiTemplate('{{kana:Reading}}|{{kanji:Reading}}', ctx(fields), 'front')).toBe(
			'かんじにほん|漢字日本'
		);
		expect(renderAnkiTemplate('{{hint:Missing}}{{hint:Empty}}', ctx({ Empty: '' }), 'front')).toBe(
			''
		);
	});

	it('fills the special fields Tags, Deck, Subdeck, Card and Type', () => {
		const template = '{{Tags}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{Type}}';
		const more = {
			tags: ['noun', 'german'],
			deck: 'Languages::German',
			cardName: 'Card 1',
			noteType: 'Basic'
		};
		expect(renderAnkiTemplate(template, ctx({}, more), 'front')).toBe(
			'noun german|Languages::German|German|Card 1|Basic'
		);
	});

	it('is graceful with unknown filters, unknown fields, odd spacing and broken tags', () => {
		const fields = { Front: 'Haus' };
		expect(renderAnkiTemplate('{{nosuchfilter:Front}}', ctx(fields), 'front')).toBe('Haus');
		expect(renderAnkiTemplate('[{{Nope}}]', ctx(fields), 'front')).toBe('[]');
		expect(renderAnkiTemplate('{{ Front }}|{{front}}', ctx(fields), 'front')).toBe('Haus|Haus');
		expect(renderAnkiTemplate('{{#Front}}open', ctx(fields), 'front')).toBe('open');
		expect(renderAnkiTemplate('a{{/Front}}b {{Front', ctx(fields), 'front')).toBe('ab {{Front');
		expect(renderAnkiTemplate('{{tts en_US:Front}}', ctx(fields), 'front')).toBe(
			'<span class="anki-tts" hidden lang="en-US">Haus</span>'
		);
	});

	it('leaves scripts in templates as text for the UI to sanitise, never running them', () => {
		const template = '<script>anki.setup()</script>{{Front}}';
		expect(renderAnkiTemplate(template, ctx({ Front: 'x' }), 'front')).toBe(
			'<script>anki.setup()</script>x'
		);
	});

	it('treats a field of whitespace, <br> and <div> as empty, as Anki does', () => {
		expect([
			fieldIsEmpty(' <br>\n<div></div> '),
			fieldIsEmpty('<img src="a.png">'),
			fieldIsEmpty('0')
		]).toEqual([true, false, false]);
	});

	it('renders nested sections', () => {
		const template = '{{#A}}a{{#B}}b{{/B}}{{^B}}!b{{/B}}{{/A}}';
		expect(renderAnkiTemplate(template, ctx({ A: '1', B: '' }), 'front')).toBe('a!b');
		expect(renderAnkiTemplate(template, ctx({ A: '1', B: '1' }), 'front')).toBe('ab');
		expect(renderAnkiTemplate(template, ctx({ A: '', B: '1' }), 'front')).toBe('');
	});

	it('wraps right-to-left fields in dir="auto", not inside tags or left-to-right ones', () => {
		const fields = { Word: 'سلام', Latin: 'hello', Pic: 'عکس.png' };
		expect(renderAnkiTemplate('{{Word}}|{{Latin}}', ctx(fields), 'front')).toBe(
			'<span dir="auto">سلام</span>|hello'
		);
		expect(renderAnkiTemplate('<img src="{{Pic}}">', ctx(fields), 'front')).toBe(
			'<img src="عکس.png">'
		);
	});

	it('text: decodes entities and escapes the result; furigana keeps [sound:] tags', () => {
		expect(renderAnkiTemplate('{{text:F}}', ctx({ F: '<b>a&nbsp;&amp;&lt;b</b>' }), 'front')).toBe(
			'a &amp;&lt;b'
		);
		const reading = ' 日本[にほん] [sound:nihon.mp3]';
		expect(renderAnkiTemplate('{{furigana:R}}', ctx({ R: reading }), 'front')).toBe(
			'<ruby><rb>日本</rb><rt>にほん</rt></ruby> [sound:nihon.mp3]'
		);
		expect(renderAnkiTemplate('{{kana:R}}', ctx({ R: reading }), 'front')).toBe(
			'にほん [sound:nihon.mp3]'
		);
		expect(renderAnkiTemplate('{{kanji:R}}', ctx({ R: '日本&nbsp;語[ご]' }), 'front')).toBe(
			'日本語'
		);
	});

	it('turns [sound:] into audio marked with its side: the answer plays only its own', () => {
		const card = renderAnkiCard(
			BASIC,
			{ fields: { Front: 'a [sound:q.mp3]', Back: 'b [sound:my a.mp3]' } },
			0
		);
		expect(card.front).toBe(
			'a <audio class="anki-sound anki-q" preload="auto" src="q.mp3" title="q.mp3"></audio>'
		);
		expect(card.back).toContain('class="anki-sound anki-q" preload="auto" src="q.mp3"');
		expect(card.back).toContain(
			'<audio class="anki-sound anki-a" preload="auto" src="my%20a.mp3" title="my a.mp3"></audio>'
		);
	});

	it('shows {{#Field}} sections only for filled fields and {{^Field}} only for empty ones', () => {
		const template = '{{#Extra}}[{{Extra}}]{{/Extra}}{{^Extra}}no extra{{/Extra}}';
		expect(renderAnkiTemplate(template, ctx({ Extra: 'x' }), 'front')).toBe('[x]');
		expect(renderAnkiTemplate(template, ctx({ Extra: '<br>' }), 'front')).toBe('no extra');
		expect(renderAnkiTemplate(template, ctx({}), 'front')).toBe('no extra');
	});
});

describe('Image Occlusion', () => {
	const IO: NoteModel = {
		id: 'anki-io',
		name: 'Image Occlusion',
		kind: 'cloze',
		fields: ['Occlusion', 'Image', 'Header', 'Back Extra', 'Comments'],
		templates: [
			{
				name: 'Image Occlusion',
				front: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n{{image-occlusion:Occlusion}}',
				back: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n{{image-occlusion:Occlusion}}\n<div><button id="toggle">Toggle Masks</button></div>\n{{Back Extra}}'
			}
		],
		css: ''
	};
	const note = {
		fields: {
			Occlusion:
				'{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.1:oi=1}}{{c2::image-occlusion:ellipse:left=.5:top=.5:width=.2:height=.2:oi=1}}',
			Image: '<img src="heart.png">',
			Header: '',
			'Back Extra': 'Aorta',
			Comments: ''
		}
	};

	it("the filter form puts the picture in the masks' container, the shapes out of sight", () => {
		const { front, back } = renderAnkiCard(IO, note, 1);
		// The shapes' text stays in a hidden block, as in Anki's stock template.
		expect(front).toMatch(
			/^\n<div style="display: none">[^<]*<span class="cloze">\[\.\.\.\]<\/span><\/div><div id="image-occlusion-container"><img src="heart.png"><\/div>$/
		);
		expect(back).toContain('<div id="image-occlusion-container"><img src="heart.png"></div>');
	});

	it('"Toggle Masks" becomes the slot for a working button (a <button> is not let through)', () => {
		const { back } = renderAnkiCard(IO, note, 0);
		expect(back).toContain('<div><span class="io-toggle"></span></div>');
		expect(back).not.toContain('<button');
	});
});
