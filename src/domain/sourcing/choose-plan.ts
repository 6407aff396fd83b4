import {
  comparePlans,
  scorePlan,
  skuTargets,
  standaloneScores,
  type PlanScore,
  type SearchSpace,
} from './plan-score';
import { pruneDominated } from './prune-dominated';
import { searchExact } from './search-exact';
import { searchGreedy } from './search-greedy';

/** Pools up to this many nodes (after pruning) are always searched exhaustively. */
export const DEFAULT_EXACT_NODE_LIMIT = 10;

/** Larger pools are searched exhaustively too while that visits at most this many branches; else greedily. */
export const DEFAULT_EXACT_BRANCH_BUDGET = 2000;

/** How hard the search may work. */
export interface SearchLimits {
  /** Pools up to this many nodes (after pruning) are always searched exhaustively. */
  exactNodeLimit?: number;
  /** Larger pools are searched exhaustively while that visits at most this many branches; 0: greedy. */
  exactBranchBudget?: number;
}

/** The chosen plan and how it was found. */
export interface ChosenPlan {
  plan: PlanScore;
  strategy: 'single-node' | 'exact-search' | 'greedy-search' | 'nothing-available';
  /** Units the network can serve now; the plan serves all of them. */
  targetUnits: number;
  /** Candidates pruned as dominated, each with the candidate that dominates it. */
  dominatedBy: Map<number, number>;
  plansEvaluated: number;
}

/**
 * The best plan over all candidates: a single node when one serves every servable unit (checked
 * exhaustively, it always has the fewest parcels); otherwise exact search over the pool left after
 * dominance pruning when it is small or the search stays within its budget, else greedy cover with
 * local improvement.
 */
export function choosePlan(space: SearchSpace, limits: SearchLimits = {}): ChosenPlan {
  const all = space.candidates.map((_, index) => index);
  const targets = skuTargets(space, all);
  const targetUnits = targets.reduce((sum, units) => sum + units, 0);
  const dominatedBy = new Map<number, number>();
  if (targetUnits === 0) {
    const plan = scorePlan(space, []);
    return { plan, strategy: 'nothing-available', targetUnits, dominatedBy, plansEvaluated: 0 };
  }
  let single: PlanScore | undefined;
  for (const plan of standaloneScores(space)) {
    if (plan.units === targetUnits && (!single || comparePlans(plan, single) < 0)) single = plan;
  }
  if (single) {
    return { plan: single, strategy: 'single-node', targetUnits, dominatedBy, plansEvaluated: all.length };
  }
  const pruned = pruneDominated(space, all);
  const budget =
    pruned.kept.length <= (limits.exactNodeLimit ?? DEFAULT_EXACT_NODE_LIMIT)
      ? Number.POSITIVE_INFINITY
      : (limits.exactBranchBudget ?? DEFAULT_EXACT_BRANCH_BUDGET);
  const exact = budget > 0 ? searchExact(space, pruned.kept, targets, budget) : undefined;
  const outcome = exact ?? searchGreedy(space, pruned.kept, targets);
  return {
    plan: outcome.best,
    strategy: exact ? 'exact-search' : 'greedy-search',
    targetUnits,
    dominatedBy: pruned.dominatedBy,
    plansEvaluated: all.length + outcome.plansEvaluated,
  };
}
