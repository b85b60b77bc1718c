/**
 * Which indexes can narrow a search before the predicate runs. A plan is a union of index
 * sources whose cards include every match (a superset: the predicate still decides); a search
 * with no usable index (plain words, prop:, added:, a negation at the top) has no plan and the
 * storage layer reads every card once. In an AND the cheapest source wins, and a deck together
 * with a queue state becomes one range on `[deckId+queue+due]`.
 */
import { Queue, type Grade } from '../model';
import { nextStudyDayStart } from '../scheduling/day';
import type { IsState, SearchNode } from './ast';
import { daysBackStart, matchingDeckIds, type SearchEnv } from './evaluate';
import { literalOf, literalPrefix } from './pattern';

/** Cards of `queue` with `from <= due < to`. */
export interface QueueRange {
	queue: Queue;
	from: number;
	to: number;
}

export type IndexSource =
	/** cards.deckId */
	| { index: 'deck'; deckIds: string[] }
	/** cards.[deckId+queue+due], in the given decks (all decks when absent) */
	| { index: 'queue'; ranges: QueueRange[]; deckIds?: string[] }
	/** notes.*tags (case-insensitive): tags equal to one of `equals` or starting with a prefix */
	| { index: 'tag'; equals: string[]; prefixes: string[] }
	/** revlog.reviewedAt: cards answered since `from` */
	| { index: 'rated'; from: number; rating?: Grade };

export interface IndexPlan {
	sources: IndexSource[];
	/** Rough rank of how many cards the sources read (lower is fewer). */
	cost: number;
}

const ALL = { from: -Infinity, to: Infinity };
const HELD = [Queue.Suspended, Queue.Buried] as const;

function queueRanges(state: IsState, env: SearchEnv): QueueRange[] | null {
	const whole = (queues: readonly Queue[]) => queues.map((queue) => ({ queue, ...ALL }));
	switch (state) {
		case 'new':
			return whole([Queue.New, ...HELD]);
		case 'learn':
			return whole([Queue.Learning, Queue.Relearning, ...HELD]);
		case 'review':
			return whole([Queue.Review, Queue.Relearning, ...HELD]);
		case 'suspended':
			return whole([Queue.Suspended]);
		case 'buried':
			return whole([Queue.Buried]);
		case 'due': {
			const dayEnd = nextStudyDayStart(env.now, env.dayStartHour, env.timeZone);
			return [
				{ queue: Queue.Learning, from: -Infinity, to: env.now + 1 },
				{ queue: Queue.Relearning, from: -Infinity, to: env.now + 1 },
				{ queue: Queue.Review, from: -Infinity, to: dayEnd }
			];
		}
		case 'leech':
			return null;
	}
}

function tagSource(pattern: string): IndexSource | null {
	const literal = literalOf(pattern);
	if (literal !== null) {
		return literal.toLowerCase() === 'none'
			? null
			: { index: 'tag', equals: [literal], prefixes: [`${literal}::`] };
	}
	const prefix = literalPrefix(pattern);
	return prefix === '' ? null : { index: 'tag', equals: [], prefixes: [prefix] };
}

/** Cost ranks: few cards answered lately, then tags, then narrow queue states, then decks. */
const COST = { rated: 1, tag: 2, narrowQueue: 3, deck: 4, wideQueue: 5 };

function planTerm(node: SearchNode, env: SearchEnv): IndexPlan | null {
	switch (node.kind) {
		case 'deck':
			return {
				sources: [{ index: 'deck', deckIds: [...matchingDeckIds(node.pattern, env.decks)] }],
				cost: COST.deck
			};
		case 'tag': {
			const source = tagSource(node.pattern);
			return source && { sources: [source], cost: COST.tag };
		}
		case 'is': {
			if (node.state === 'leech') {
				return { sources: [{ index: 'tag', equals: ['leech'], prefixes: [] }], cost: COST.tag };
			}
			const ranges = queueRanges(node.state, env);
			const wide = node.state === 'new' || node.state === 'review';
			return (
				ranges && {
					sources: [{ index: 'queue', ranges }],
					cost: wide ? COST.wideQueue : COST.narrowQueue
				}
			);
		}
		case 'rated':
			return {
				sources: [
					{
						index: 'rated',
						from: daysBackStart(node.days, env),
						...(node.rating ? { rating: node.rating } : {})
					}
				],
				cost: COST.rated
			};
		default:
			return null;
	}
}

/** An AND of a deck and a queue state: the queue ranges within those decks only. */
function withinDecks(plans: IndexPlan[]): IndexPlan | null {
	const deck = plans.find((p) => p.sources.length === 1 && p.sources[0]?.index === 'deck');
	const queue = plans.find((p) => p.sources.length === 1 && p.sources[0]?.index === 'queue');
	const deckSource = deck?.sources[0];
	const queueSource = queue?.sources[0];
	if (deckSource?.index !== 'deck' || queueSource?.index !== 'queue' || queueSource.deckIds) {
		return null;
	}
	return {
		sources: [{ ...queueSource, deckIds: deckSource.deckIds }],
		cost: Math.min(deck!.cost, queue!.cost) - 0.5
	};
}

export function planSearch(node: SearchNode, env: SearchEnv): IndexPlan | null {
	switch (node.kind) {
		case 'and': {
			const plans = node.children
				.map((c) => planSearch(c, env))
				.filter((p): p is IndexPlan => p !== null);
			const combined = withinDecks(plans);
			if (combined) plans.push(combined);
			return plans.reduce<IndexPlan | null>(
				(best, p) => (!best || p.cost < best.cost ? p : best),
				null
			);
		}
		case 'or': {
			const plans = node.children.map((c) => planSearch(c, env));
			if (plans.some((p) => p === null)) return null;
			const all = plans as IndexPlan[];
			return {
				sources: all.flatMap((p) => p.sources),
				cost: Math.max(...all.map((p) => p.cost))
			};
		}
		case 'all':
		case 'not':
			return null;
		default:
			return planTerm(node, env);
	}
}
