import { comparePlans, scorePlan, type PlanScore, type SearchSpace } from './plan-score';

/** The best plan found, and how many plans were scored to find it. */
export interface SearchOutcome {
  best: PlanScore;
  plansEvaluated: number;
}

/**
 * Exhaustive search: every subset of the pool by increasing size, stopping at the first size whose
 * best plan serves every target unit (a larger set can only add parcels). A branch stops as soon as
 * the largest nodes left cannot make up the missing units. Gives up, returning undefined, once more
 * than `budget` branches have been visited.
 */
export function searchExact(
  space: SearchSpace,
  pool: readonly number[],
  targets: readonly number[],
  budget = Number.POSITIVE_INFINITY,
): SearchOutcome | undefined {
  const { candidates } = space;
  // Largest first, so the units the next r nodes can add at most is a sum of consecutive entries.
  const order = [...pool].sort((a, b) => candidates[b]!.units - candidates[a]!.units || a - b);
  const unitsFrom = order.map((index) => candidates[index]!.units);
  let best: PlanScore | undefined;
  let plansEvaluated = 0;
  let visited = 0;
  const picks: number[] = [];
  const held = targets.map(() => 0); // units per SKU held by the picked nodes
  const missingUnits = (): number => {
    let missing = 0;
    for (let s = 0; s < targets.length; s++) missing += Math.max(0, targets[s]! - held[s]!);
    return missing;
  };
  const visit = (start: number, size: number): void => {
    visited++;
    const missing = missingUnits();
    const toPick = size - picks.length;
    if (toPick === 0) {
      if (missing > 0) return;
      const plan = scorePlan(space, picks);
      plansEvaluated++;
      if (!best || comparePlans(plan, best) < 0) best = plan;
      return;
    }
    for (let i = start; i <= order.length - toPick && visited <= budget; i++) {
      let reachable = 0;
      for (let j = i; j < i + toPick; j++) reachable += unitsFrom[j]!;
      if (reachable < missing) break; // later starts only offer smaller nodes
      const stock = candidates[order[i]!]!.stock;
      picks.push(order[i]!);
      for (let s = 0; s < held.length; s++) held[s]! += stock[s]!;
      visit(i + 1, size);
      for (let s = 0; s < held.length; s++) held[s]! -= stock[s]!;
      picks.pop();
    }
  };
  for (let size = 1; size <= order.length && !best; size++) {
    visit(0, size);
    if (visited > budget) return undefined;
  }
  return { best: best ?? scorePlan(space, pool), plansEvaluated };
}
