/**
 * Anki's Image Occlusion (Anki 23.10+, the built-in note type): the Occlusion field holds one
 * cloze per shape, `{{c1::image-occlusion:rect:left=.2:top=.3:width=.1:height=.1:oi=1}}`, with
 * positions as fractions of the image (Anki 23.10.1+; the first 23.10 wrote pixels of the
 * image's own size). A card asks its own cloze number's shapes; `oi=1` ("hide all, guess one")
 * covers the other shapes too. Anki's template draws them with a script, which Recall never
 * runs: the UI lays the shapes over the image itself (components/anki/occlusion.ts).
 */
export type OcclusionKind = 'rect' | 'ellipse' | 'polygon' | 'text';

export interface OcclusionShape {
	/** The cloze number: card `ordinal - 1` asks it. */
	ordinal: number;
	kind: OcclusionKind;
	left: number;
	top: number;
	width: number;
	height: number;
	/** Polygon corners, in the same units as left/top. */
	points: [number, number][];
	/** "Hide all, guess one": this shape is covered on the other cards too. */
	occludeInactive: boolean;
}

const SHAPE = /\{\{c(\d+)::image-occlusion:(rect|ellipse|polygon|text):([^}]*?)\}\}/gi;

const num = (value: string | undefined): number => {
	const n = Number(value);
	return Number.isFinite(n) ? n : 0;
};

/** The shapes of an Occlusion field, in field order (unknown kinds are skipped). */
export function occlusionShapes(field: string): OcclusionShape[] {
	const shapes: OcclusionShape[] = [];
	for (const m of field.matchAll(SHAPE)) {
		const props = new Map<string, string>();
		for (const part of (m[3] ?? '').split(':')) {
			const eq = part.indexOf('=');
			if (eq > 0) props.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
		}
		const points = (props.get('points') ?? '')
			.split(/\s+/)
			.map((p) => p.split(',').map(num) as [number, number])
			.filter((p) => p.length === 2);
		const kind = (m[2] ?? 'rect').toLowerCase() as OcclusionKind;
		let { left, top, width, height } = {
			left: num(props.get('left')),
			top: num(props.get('top')),
			width: num(props.get('width')),
			height: num(props.get('height'))
		};
		if (kind === 'ellipse' && !props.has('width')) {
			// An ellipse may be given by its radii.
			width = 2 * num(props.get('rx'));
			height = 2 * num(props.get('ry'));
		}
		if (kind === 'polygon' && points.length > 0) {
			const xs = points.map((p) => p[0]);
			const ys = points.map((p) => p[1]);
			left = Math.min(...xs);
			top = Math.min(...ys);
			width = Math.max(...xs) - left;
			height = Math.max(...ys) - top;
		}
		shapes.push({
			ordinal: Number(m[1]),
			kind,
			left,
			top,
			width,
			height,
			points,
			occludeInactive: props.get('oi') === '1'
		});
	}
	return shapes;
}

/** Whether the shapes are in fractions of the image (else in the image's pixels). */
export const isNormalized = (shapes: readonly OcclusionShape[]): boolean =>
	shapes.every(
		(s) =>
			s.left + s.width <= 1.0001 &&
			s.top + s.height <= 1.0001 &&
			s.points.every(([x, y]) => x <= 1.0001 && y <= 1.0001)
	);

export interface OcclusionMask {
	shape: OcclusionShape;
	/** `question`: covered, the one asked; `inactive`: covered, another card's; `answer`: outlined. */
	role: 'question' | 'inactive' | 'answer';
}

/** What the card of cloze number `ordinal` draws on its question or answer side, as Anki does. */
export function occlusionMasks(
	shapes: readonly OcclusionShape[],
	ordinal: number,
	side: 'front' | 'back'
): OcclusionMask[] {
	return shapes.flatMap((shape): OcclusionMask[] => {
		if (shape.kind === 'text') return [];
		if (shape.ordinal === ordinal)
			return [{ shape, role: side === 'front' ? 'question' : 'answer' }];
		return shape.occludeInactive ? [{ shape, role: 'inactive' }] : [];
	});
}
