/**
 * Image Occlusion masks, drawn over the note's image where Anki's template puts it
 * (`#image-occlusion-container`): an SVG layer the size of the image, in the shapes' own units
 * (fractions of the image, or its pixels for notes of the first Anki 23.10). The question covers
 * the card's shapes (and, "hide all, guess one", the others); the answer outlines them. Built
 * with DOM calls from the parsed field, never from HTML: nothing of the note runs or is parsed.
 */
import {
	isNormalized,
	occlusionMasks,
	occlusionShapes,
	type OcclusionMask
} from '$lib/core/render/anki-occlusion';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The note's occlusion field: "Occlusion", else the first that holds shapes. */
export function occlusionField(fields: Record<string, string>): string | undefined {
	return fields.Occlusion ?? Object.values(fields).find((v) => v.includes('image-occlusion:'));
}

function shapeElement(mask: OcclusionMask): SVGElement {
	const { shape } = mask;
	let el: SVGElement;
	if (shape.kind === 'ellipse') {
		el = document.createElementNS(SVG_NS, 'ellipse');
		el.setAttribute('cx', String(shape.left + shape.width / 2));
		el.setAttribute('cy', String(shape.top + shape.height / 2));
		el.setAttribute('rx', String(shape.width / 2));
		el.setAttribute('ry', String(shape.height / 2));
	} else if (shape.kind === 'polygon' && shape.points.length > 2) {
		el = document.createElementNS(SVG_NS, 'polygon');
		el.setAttribute('points', shape.points.map((p) => p.join(',')).join(' '));
	} else {
		el = document.createElementNS(SVG_NS, 'rect');
		el.setAttribute('x', String(shape.left));
		el.setAttribute('y', String(shape.top));
		el.setAttribute('width', String(shape.width));
		el.setAttribute('height', String(shape.height));
	}
	el.setAttribute('class', `io-shape io-${mask.role}`);
	el.setAttribute('vector-effect', 'non-scaling-stroke');
	return el;
}

/** Anki's "Toggle Masks" (its slot, from render/anki-template.ts): shows or hides the masks. */
function toggleButtons(root: Element): void {
	for (const slot of root.querySelectorAll('.io-toggle')) {
		if (slot.querySelector('button')) continue;
		const button = document.createElement('button');
		button.type = 'button';
		button.className = 'io-toggle-button';
		button.textContent = 'Toggle Masks';
		button.setAttribute('aria-pressed', 'true');
		button.addEventListener('click', () => {
			const hidden = root.classList.toggle('io-masks-hidden');
			button.setAttribute('aria-pressed', String(!hidden));
		});
		slot.append(button);
	}
}

/** Lays the masks of card `ordinal` (its cloze number) over each occlusion container. */
export function drawOcclusions(root: Element, field: string | undefined, ordinal: number): void {
	const shapes = occlusionShapes(field ?? '');
	if (shapes.length === 0) return;
	root.classList.remove('io-masks-hidden');
	toggleButtons(root);
	const normalized = isNormalized(shapes);
	for (const container of root.querySelectorAll<HTMLElement>('#image-occlusion-container')) {
		container.querySelector(':scope > svg.io-layer')?.remove();
		const side = container.closest('.side.back') ? 'back' : 'front';
		const svg = document.createElementNS(SVG_NS, 'svg');
		svg.setAttribute('class', 'io-layer');
		svg.setAttribute('aria-hidden', 'true');
		svg.setAttribute('preserveAspectRatio', 'none');
		svg.setAttribute('viewBox', '0 0 1 1');
		for (const mask of occlusionMasks(shapes, ordinal, side)) svg.append(shapeElement(mask));
		container.append(svg);
		if (!normalized) {
			// Pixels of the image's own size.
			const img = container.querySelector('img');
			const size = () => {
				if (img?.naturalWidth)
					svg.setAttribute('viewBox', `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
			};
			size();
			img?.addEventListener('load', size, { once: true });
		}
	}
}
