import { comparePlans, scorePlan, type PlanScore, type SearchSpace } from './plan-score';

/** The best plan found, and how many plans were scored to find it. */
export interface SearchOutcome {
  best: PlanScore;
  plansEvaluated: number;
}

/**
 * Exhaustive search: every subset of the pool by increasing size, stopping at the first size whose
 * best plan serves every target unit (a larger set can only add parcels). Gives up, returning
 * undefined, once more than `subsetBudget` subsets have been visited.
 */
export function searchExact(
  space: SearchSpace,
  pool: readonly number[],
  targets: readonly number[],
  subsetBudget = Number.POSITIVE_INFINITY,
): SearchOutcome | undefined {
  const { candidates } = space;
  let best: PlanScore | undefined;
  let plansEvaluated = 0;
  let visited = 0;
  const picks: number[] = [];
  // Units held per SKU by the picked nodes, kept up to date as nodes are picked and dropped.
  const held = targets.map(() => 0);
  const holdsTargets = (): boolean => {
    for (let s = 0; s < targets.length; s++) if (held[s]! < targets[s]!) return false;
    return true;
  };
  const visit = (start: number, size: number): void => {
    if (picks.length === size) {
      visited++;
      if (!holdsTargets()) return;
      const plan = scorePlan(space, picks);
      plansEvaluated++;
      if (!best || comparePlans(plan, best) < 0) best = plan;
      return;
    }
    for (let i = start; i <= pool.length - (size - picks.length) && visited <= subsetBudget; i++) {
      const stock = candidates[pool[i]!]!.stock;
      picks.push(pool[i]!);
      for (let s = 0; s < held.length; s++) held[s]! += stock[s]!;
      visit(i + 1, size);
      for (let s = 0; s < held.length; s++) held[s]! -= stock[s]!;
      picks.pop();
    }
  };
  for (let size = 1; size <= pool.length && !best; size++) {
    visit(0, size);
    if (visited > subsetBudget) return undefined;
  }
  return { best: best ?? scorePlan(space, pool), plansEvaluated };
}
