import { parcelCostMinor } from './shipping-cost';
import type { SourcingContext } from './sourcing-context';

/** The parts of the context a plan is scored against. */
export type SearchSpace = Pick<SourcingContext, 'candidates' | 'skus' | 'lines'>;

/** A set of candidate nodes scored on the lexicographic objective. */
export interface PlanScore {
  /** Indexes into `candidates` of the nodes that receive units, ascending. */
  nodes: number[];
  units: number;
  parcels: number;
  costMinor: number;
  latestDay: number;
  prioritySum: number;
}

/** Whether candidate `a` is filled before `b`: lower per-gram cost, then lower fixed cost, then index. */
function fillsBefore(space: SearchSpace, a: number, b: number): boolean {
  const rateA = space.candidates[a]!.rate;
  const rateB = space.candidates[b]!.rate;
  if (rateA.perGramMinor !== rateB.perGramMinor) return rateA.perGramMinor < rateB.perGramMinor;
  if (rateA.fixedMinor !== rateB.fixedMinor) return rateA.fixedMinor < rateB.fixedMinor;
  return a < b;
}

/** Called for each share of a line given to a node while a plan is filled. */
export type TakeListener = (candidateIndex: number, lineIndex: number, quantity: number) => void;

/**
 * Fills the order from a set of nodes and scores it. Every SKU is independent given the set, and a
 * parcel's cost is a fixed part plus a per-gram part, so filling each SKU from the lowest per-gram
 * node first (heaviest lines first, and leaving out the heaviest units when the set is short) serves
 * the most units at the lowest cost for that set.
 */
export function scorePlan(space: SearchSpace, set: readonly number[], onTake?: TakeListener): PlanScore {
  const { candidates, skus, lines } = space;
  // Insertion sort: sets are small, and this runs in the search's inner loop.
  const order = set.slice();
  for (let i = 1; i < order.length; i++) {
    const index = order[i]!;
    let j = i - 1;
    while (j >= 0 && fillsBefore(space, index, order[j]!)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = index;
  }
  const size = order.length;
  const grams = new Array<number>(size).fill(0);
  const taken = new Array<number>(size).fill(0);
  let units = 0;
  for (let s = 0; s < skus.length; s++) {
    let position = 0;
    let left = size > 0 ? candidates[order[0]!]!.stock[s]! : 0;
    // When the set is short of a SKU, the heaviest units are the ones left out: it costs least.
    let held = 0;
    for (const index of order) held += candidates[index]!.stock[s]!;
    let skip = Math.max(0, skus[s]!.need - held);
    for (const lineIndex of skus[s]!.lineIndexes) {
      const line = lines[lineIndex]!;
      let wanted = line.quantity;
      if (skip > 0) {
        const skipped = Math.min(skip, wanted);
        skip -= skipped;
        wanted -= skipped;
      }
      while (wanted > 0 && position < size) {
        if (left === 0) {
          position++;
          if (position < size) left = candidates[order[position]!]!.stock[s]!;
          continue;
        }
        const take = Math.min(wanted, left);
        wanted -= take;
        left -= take;
        units += take;
        taken[position]! += take;
        grams[position]! += take * line.weightGrams;
        onTake?.(order[position]!, lineIndex, take);
      }
    }
  }
  const nodes: number[] = [];
  let costMinor = 0;
  let latestDay = Number.NEGATIVE_INFINITY;
  let prioritySum = 0;
  for (let position = 0; position < size; position++) {
    if (taken[position] === 0) continue;
    const quote = candidates[order[position]!]!;
    nodes.push(order[position]!);
    costMinor += parcelCostMinor(quote.rate, grams[position]!);
    latestDay = Math.max(latestDay, quote.promise.promisedDay);
    prioritySum += quote.priority;
  }
  nodes.sort((a, b) => a - b);
  return { nodes, units, parcels: nodes.length, costMinor, latestDay, prioritySum };
}

/**
 * Negative when `a` is the better plan: most units, then fewest parcels, lowest cost, earliest latest
 * promise, lowest summed priority, and finally node ids, so the order is total and results reproducible.
 */
export function comparePlans(a: PlanScore, b: PlanScore): number {
  const difference =
    b.units - a.units ||
    a.parcels - b.parcels ||
    a.costMinor - b.costMinor ||
    a.latestDay - b.latestDay ||
    a.prioritySum - b.prioritySum;
  if (difference !== 0) return difference;
  for (let i = 0; i < Math.min(a.nodes.length, b.nodes.length); i++) {
    const nodeDifference = a.nodes[i]! - b.nodes[i]!;
    if (nodeDifference !== 0) return nodeDifference;
  }
  return a.nodes.length - b.nodes.length;
}

/** Units of each SKU (index of `skus`) a set of nodes holds together, capped at the need. */
export function coverageOf(space: SearchSpace, set: readonly number[]): number[] {
  return space.skus.map((entry, s) => {
    let units = 0;
    for (const index of set) units += space.candidates[index]!.stock[s]!;
    return Math.min(entry.need, units);
  });
}

/** True when a set's coverage plus candidate `added` (if any) reaches `targets` for every SKU. */
export function reachesTargets(
  space: SearchSpace,
  coverage: readonly number[],
  targets: readonly number[],
  added?: number,
): boolean {
  const stock = added === undefined ? undefined : space.candidates[added]!.stock;
  for (let s = 0; s < targets.length; s++) {
    if (coverage[s]! + (stock ? stock[s]! : 0) < targets[s]!) return false;
  }
  return true;
}

/** Units a plan must serve per SKU to serve every unit the pool can: the need, or the pool's stock. */
export const skuTargets = (space: SearchSpace, pool: readonly number[]): number[] => coverageOf(space, pool);

/** `scorePlan(space, [index])`, without the bookkeeping a set needs: it runs for every candidate. */
function scoreAlone(space: SearchSpace, index: number): PlanScore {
  const quote = space.candidates[index]!;
  if (quote.units === 0) return scorePlan(space, []);
  let grams = 0;
  space.skus.forEach((entry, s) => {
    // Lightest units first: when the node is short, the heaviest are left out (see scorePlan).
    let left = quote.stock[s]!;
    for (let i = entry.lineIndexes.length - 1; i >= 0 && left > 0; i--) {
      const line = space.lines[entry.lineIndexes[i]!]!;
      const take = Math.min(line.quantity, left);
      left -= take;
      grams += take * line.weightGrams;
    }
  });
  return {
    nodes: [index],
    units: quote.units,
    parcels: 1,
    costMinor: parcelCostMinor(quote.rate, grams),
    latestDay: quote.promise.promisedDay,
    prioritySum: quote.priority,
  };
}

const standaloneCache = new WeakMap<SearchSpace, PlanScore[]>();

/** Each candidate's plan on its own, computed once per search space. */
export function standaloneScores(space: SearchSpace): PlanScore[] {
  let scores = standaloneCache.get(space);
  if (!scores) {
    scores = space.candidates.map((_, index) => scoreAlone(space, index));
    standaloneCache.set(space, scores);
  }
  return scores;
}
