import { describe, expect, it } from 'vitest';
import { isNormalized, occlusionMasks, occlusionShapes } from './anki-occlusion';

const FIELD =
	'{{c1::image-occlusion:rect:left=.2:top=.3:width=.1:height=.1:oi=1}}<br>' +
	'{{c2::image-occlusion:ellipse:left=.5:top=.5:width=.2:height=.1:oi=1}}<br>' +
	'{{c3::image-occlusion:polygon:points=.1,.1 .3,.1 .2,.4:oi=1}}';

describe('Anki Image Occlusion shapes', () => {
	it('reads each cloze as a shape with its position in fractions of the image', () => {
		const shapes = occlusionShapes(FIELD);
		expect(shapes.map((s) => [s.ordinal, s.kind, s.occludeInactive])).toEqual([
			[1, 'rect', true],
			[2, 'ellipse', true],
			[3, 'polygon', true]
		]);
		expect(shapes[0]).toMatchObject({ left: 0.2, top: 0.3, width: 0.1, height: 0.1 });
		expect(shapes[2]?.points).toEqual([
			[0.1, 0.1],
			[0.3, 0.1],
			[0.2, 0.4]
		]);
		expect(shapes[2]).toMatchObject({ left: 0.1, top: 0.1 });
		expect(shapes[2]?.width).toBeCloseTo(0.2);
		expect(isNormalized(shapes)).toBe(true);
		expect(
			isNormalized(
				occlusionShapes('{{c1::image-occlusion:rect:left=40:top=30:width=20:height=10}}')
			)
		).toBe(false);
	});

	it('"hide all, guess one": the question covers every shape, the answer outlines its own', () => {
		const shapes = occlusionShapes(FIELD);
		expect(occlusionMasks(shapes, 2, 'front').map((m) => [m.shape.ordinal, m.role])).toEqual([
			[1, 'inactive'],
			[2, 'question'],
			[3, 'inactive']
		]);
		expect(occlusionMasks(shapes, 2, 'back').map((m) => [m.shape.ordinal, m.role])).toEqual([
			[1, 'inactive'],
			[2, 'answer'],
			[3, 'inactive']
		]);
	});

	it('"hide one, guess one": only the card’s own shape is drawn', () => {
		const shapes = occlusionShapes(FIELD.replaceAll(':oi=1', ''));
		expect(occlusionMasks(shapes, 1, 'front').map((m) => [m.shape.ordinal, m.role])).toEqual([
			[1, 'question']
		]);
		expect(occlusionMasks(shapes, 1, 'back').map((m) => m.role)).toEqual(['answer']);
		expect(occlusionShapes('no shapes {{c1::text}}')).toEqual([]);
	});
});
