import type { SearchSpace } from './plan-score';

/** The pool without dominated nodes, and for each removed node the one that dominates it. */
export interface PrunedPool {
  kept: number[];
  dominatedBy: Map<number, number>;
}

/** True when B holds the whole need of every SKU A holds. */
function coversSkusOf(space: SearchSpace, b: number, a: number): boolean {
  const stockA = space.candidates[a]!.stock;
  const stockB = space.candidates[b]!.stock;
  for (let s = 0; s < stockA.length; s++) {
    if (stockA[s]! > 0 && stockB[s]! < space.skus[s]!.need) return false;
  }
  return true;
}

/** True when B is no worse than A on fixed cost, per-gram cost, promise and priority (ties: lower index). */
function noWorse(space: SearchSpace, b: number, a: number): boolean {
  const qa = space.candidates[a]!;
  const qb = space.candidates[b]!;
  if (qb.rate.fixedMinor > qa.rate.fixedMinor || qb.rate.perGramMinor > qa.rate.perGramMinor) return false;
  if (qb.promise.promisedDay > qa.promise.promisedDay || qb.priority > qa.priority) return false;
  const strictlyBetter =
    qb.rate.fixedMinor < qa.rate.fixedMinor ||
    qb.rate.perGramMinor < qa.rate.perGramMinor ||
    qb.promise.promisedDay < qa.promise.promisedDay ||
    qb.priority < qa.priority;
  return strictlyBetter || b < a;
}

/**
 * Removes nodes no optimal plan needs. B dominates A when B holds the whole need of every SKU A holds,
 * and B is no worse on fixed cost, per-gram cost, promise and priority (exact ties go to the lower
 * index). Then any plan with A is matched or beaten by the same plan with B instead of A, or without A
 * when B is already in it. Dominance is acyclic, so removing every dominated node at once is safe.
 */
export function pruneDominated(space: SearchSpace, pool: readonly number[]): PrunedPool {
  const { candidates, skus } = space;
  const byFixedCost = [...pool].sort(
    (a, b) => candidates[a]!.rate.fixedMinor - candidates[b]!.rate.fixedMinor || a - b,
  );
  // Per SKU, the nodes holding its whole need, cheapest fixed cost first: only they can dominate a node
  // holding that SKU, so each node scans the shortest such list among its SKUs, up to its own cost.
  const fullHolders: number[][] = skus.map(() => []);
  for (const index of byFixedCost) {
    const stock = candidates[index]!.stock;
    for (let s = 0; s < skus.length; s++) if (stock[s]! >= skus[s]!.need) fullHolders[s]!.push(index);
  }
  const dominatedBy = new Map<number, number>();
  for (const a of pool) {
    const qa = candidates[a]!;
    let scan: number[] | undefined;
    for (let s = 0; s < skus.length; s++) {
      if (qa.stock[s]! > 0 && (!scan || fullHolders[s]!.length < scan.length)) scan = fullHolders[s];
    }
    for (const b of scan ?? []) {
      if (candidates[b]!.rate.fixedMinor > qa.rate.fixedMinor) break;
      if (b !== a && noWorse(space, b, a) && coversSkusOf(space, b, a)) {
        dominatedBy.set(a, b);
        break;
      }
    }
  }
  return { kept: pool.filter((index) => !dominatedBy.has(index)), dominatedBy };
}
