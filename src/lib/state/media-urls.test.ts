import { describe, expect, it } from 'vitest';
import { referencedMedia } from './media-urls.svelte';

describe('media a card refers to', () => {
	it('finds pictures quoted or not, sounds and CSS urls, not remote URLs', () => {
		expect(
			referencedMedia(
				'<img src="a%20b.png"><img src=c.jpg>[sound:d e.mp3]<div style="background: url(\'f.png\')"></div>' +
					'<img src="https://x.example/g.png"> .x { background: url(data:image/png;base64,AA) }'
			).sort()
		).toEqual(['a b.png', 'c.jpg', 'd e.mp3', 'f.png']);
	});
});
