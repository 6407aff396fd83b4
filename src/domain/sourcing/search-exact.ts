import {
  comparePlans,
  coverageOf,
  reachesTargets,
  scorePlan,
  type PlanScore,
  type SearchSpace,
} from './plan-score';

/** The best plan found, and how many plans were scored to find it. */
export interface SearchOutcome {
  best: PlanScore;
  plansEvaluated: number;
}

/**
 * Exhaustive search: every subset of the pool by increasing size, stopping at the first size whose
 * best plan serves every target unit (a larger set can only add parcels). Meant for small pools.
 */
export function searchExact(
  space: SearchSpace,
  pool: readonly number[],
  targets: readonly number[],
): SearchOutcome {
  let best: PlanScore | undefined;
  let plansEvaluated = 0;
  const picks: number[] = [];
  const visit = (start: number, size: number): void => {
    if (picks.length === size) {
      if (!reachesTargets(space, coverageOf(space, picks), targets)) return;
      const plan = scorePlan(space, picks);
      plansEvaluated++;
      if (!best || comparePlans(plan, best) < 0) best = plan;
      return;
    }
    for (let i = start; i <= pool.length - (size - picks.length); i++) {
      picks.push(pool[i]!);
      visit(i + 1, size);
      picks.pop();
    }
  };
  for (let size = 1; size <= pool.length && !best; size++) visit(0, size);
  return { best: best ?? scorePlan(space, pool), plansEvaluated };
}
