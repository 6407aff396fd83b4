import {
  comparePlans,
  coverageOf,
  reachesTargets,
  scorePlan,
  type PlanScore,
  type SearchSpace,
} from './plan-score';
import type { SearchOutcome } from './search-exact';

/** Rounds of local improvement before the search settles for what it has. */
const MAX_IMPROVEMENT_ROUNDS = 25;

/**
 * Greedy set cover: repeatedly add the node serving the most still-missing units, ties to the lowest
 * cost per unit added, until every target unit is covered.
 */
function coverGreedily(space: SearchSpace, pool: readonly number[], targets: readonly number[]): number[] {
  const { candidates, skus, lines } = space;
  const missing = targets.slice();
  const chosen: number[] = [];
  const remaining = new Set(pool);
  let left = missing.reduce((sum, units) => sum + units, 0);
  while (left > 0 && remaining.size > 0) {
    let bestIndex = -1;
    let bestGain = 0;
    let bestCostPerUnit = Number.POSITIVE_INFINITY;
    for (const index of remaining) {
      const quote = candidates[index]!;
      let gain = 0;
      let grams = 0;
      for (let s = 0; s < skus.length; s++) {
        const units = Math.min(missing[s]!, quote.stock[s]!);
        if (units === 0) continue;
        gain += units;
        grams += units * lines[skus[s]!.lineIndexes[0]!]!.weightGrams;
      }
      if (gain === 0) continue;
      const costPerUnit = (quote.rate.fixedMinor + quote.rate.perGramMinor * grams) / gain;
      if (gain > bestGain || (gain === bestGain && costPerUnit < bestCostPerUnit)) {
        bestIndex = index;
        bestGain = gain;
        bestCostPerUnit = costPerUnit;
      }
    }
    if (bestIndex < 0) break;
    const quote = candidates[bestIndex]!;
    for (let s = 0; s < skus.length; s++) {
      const units = Math.min(missing[s]!, quote.stock[s]!);
      missing[s]! -= units;
      left -= units;
    }
    chosen.push(bestIndex);
    remaining.delete(bestIndex);
  }
  return chosen;
}

/**
 * Greedy cover, then best-improvement local search on the full lexicographic objective until no move
 * helps. Moves: drop a node, swap one for an outside node, merge two into one outside node. A move is
 * scored only when its nodes still hold every target unit, so most of the neighbourhood costs a sum.
 */
export function searchGreedy(
  space: SearchSpace,
  pool: readonly number[],
  targets: readonly number[],
): SearchOutcome {
  let best: PlanScore = scorePlan(space, coverGreedily(space, pool, targets));
  let plansEvaluated = 1;
  for (let round = 0; round < MAX_IMPROVEMENT_ROUNDS; round++) {
    let improved: PlanScore | undefined;
    const consider = (nodes: number[]): void => {
      const plan = scorePlan(space, nodes);
      plansEvaluated++;
      if (comparePlans(plan, improved ?? best) < 0) improved = plan;
    };
    const current = best.nodes;
    const inside = new Set(current);
    const outside = pool.filter((index) => !inside.has(index));
    const tryReplacing = (removed: readonly number[]): void => {
      const kept = current.filter((index) => !removed.includes(index));
      const coverage = coverageOf(space, kept);
      if (reachesTargets(space, coverage, targets)) consider(kept);
      for (const added of outside) {
        if (reachesTargets(space, coverage, targets, added)) consider([...kept, added]);
      }
    };
    for (let i = 0; i < current.length; i++) {
      tryReplacing([current[i]!]);
      for (let j = i + 1; j < current.length; j++) tryReplacing([current[i]!, current[j]!]);
    }
    if (!improved) break;
    best = improved;
  }
  return { best, plansEvaluated };
}
