import type { SearchSpace } from './plan-score';

/** The pool without dominated nodes, and for each removed node the one that dominates it. */
export interface PrunedPool {
  kept: number[];
  dominatedBy: Map<number, number>;
}

/** SKU sets as bit masks, 32 SKUs a word. */
const maskOf = (flags: readonly boolean[]): Uint32Array => {
  const mask = new Uint32Array(Math.ceil(flags.length / 32) || 1);
  flags.forEach((flag, s) => {
    if (flag) mask[s >>> 5]! |= 1 << (s & 31);
  });
  return mask;
};

const isSubset = (a: Uint32Array, b: Uint32Array): boolean => {
  for (let word = 0; word < a.length; word++) if ((a[word]! & ~b[word]!) !== 0) return false;
  return true;
};

/**
 * Removes nodes no optimal plan needs. B dominates A when B holds the whole need of every SKU A holds,
 * and B is no worse on fixed cost, per-gram cost, promise and priority (exact ties go to the lower
 * index). Then any plan with A is matched or beaten by the same plan with B instead of A, or without A
 * when B is already in it. Dominance is acyclic, so removing every dominated node at once is safe.
 */
export function pruneDominated(space: SearchSpace, pool: readonly number[]): PrunedPool {
  const { candidates, skus } = space;
  const held = new Map<number, Uint32Array>();
  const full = new Map<number, Uint32Array>();
  // For each SKU, the nodes holding its whole need, cheapest fixed cost first: only they can dominate
  // a node holding that SKU, so each node scans the shortest such list among the SKUs it holds.
  const fullHolders: number[][] = skus.map(() => []);
  for (const index of pool) {
    const stock = candidates[index]!.stock;
    held.set(index, maskOf(stock.map((units) => units > 0)));
    full.set(index, maskOf(stock.map((units, s) => units >= skus[s]!.need)));
    stock.forEach((units, s) => {
      if (units >= skus[s]!.need) fullHolders[s]!.push(index);
    });
  }
  const byFixedCost = (a: number, b: number): number =>
    candidates[a]!.rate.fixedMinor - candidates[b]!.rate.fixedMinor || a - b;
  for (const holders of fullHolders) holders.sort(byFixedCost);
  const dominatedBy = new Map<number, number>();
  for (const a of pool) {
    const qa = candidates[a]!;
    let scan: number[] | undefined;
    qa.stock.forEach((units, s) => {
      if (units > 0 && (!scan || fullHolders[s]!.length < scan.length)) scan = fullHolders[s];
    });
    for (const b of scan ?? []) {
      const qb = candidates[b]!;
      if (qb.rate.fixedMinor > qa.rate.fixedMinor) break;
      if (b === a || qb.rate.perGramMinor > qa.rate.perGramMinor) continue;
      if (qb.promise.promisedDay > qa.promise.promisedDay || qb.priority > qa.priority) continue;
      const strictlyBetter =
        qb.rate.fixedMinor < qa.rate.fixedMinor ||
        qb.rate.perGramMinor < qa.rate.perGramMinor ||
        qb.promise.promisedDay < qa.promise.promisedDay ||
        qb.priority < qa.priority;
      if (!strictlyBetter && b > a) continue;
      if (!isSubset(held.get(a)!, full.get(b)!)) continue;
      dominatedBy.set(a, b);
      break;
    }
  }
  return { kept: pool.filter((index) => !dominatedBy.has(index)), dominatedBy };
}
